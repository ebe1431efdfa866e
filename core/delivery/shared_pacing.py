"""The pacer's schedules kept in PostgreSQL, so several processes sending for one bot share
one budget per limit (the bot, each chat, each group) and together stay inside it.

Each (limit, key) is a row holding its GCRA "theoretical arrival time" on the database
server's clock (processes on several hosts agree on it). `reserve` locks the rows of a send's
limits in a fixed order (no deadlocks), decides as the in-process `Pacer` does, and writes the
booking back in the same transaction.

Booking ahead: when a send's turn is near (within `horizon`) and the limit that holds it back
is the one it would book on every key (no gap left unused on another limit), the turn is
booked now and the caller is told to come back at it; the booking is then kept in this
process and handed out without a database round trip. Without this, every process's waiting
sends would all ask again at the same instant for the one next slot, and all but one would
be refused (hundreds of transactions a second for 30 sends). A booked turn may be taken up to
`STALE` late (the event loop was busy), so a second can hold `rate × STALE` sends more than
the limit's own burst: Telegram's defaults (29/s against about 30/s with a burst of 30) leave
that room. A send held back by another
limit (a group's 20 a minute) books nothing, as in `Pacer`, so it holds no place in the bot's
shared limit.
"""

from __future__ import annotations

from collections.abc import Hashable

from sqlalchemy import Connection, delete, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from core.delivery.pacing import Limit
from core.storage.db import Database
from core.storage.running import SendBudget

EARLY = 0.002  # a booking this close is due (sleeps wake a little early)
STALE = 0.25  # a booking missed by more than this is dropped, not used late
ATTEMPTS = 5

# Creates the limits' rows a send is the first under (a new chat), locks them and the keys'
# pause rows in one order (no deadlocks), and reads the database server's clock. Rows it
# created are not in `locked` (same snapshot) but are returned by, and locked by, `created`.
LOCK = text(
    """
    WITH created AS (
        INSERT INTO send_budgets (bucket, next_free)
        SELECT unnest(CAST(:limits AS text[])), 0
        ON CONFLICT DO NOTHING
        RETURNING bucket, next_free
    ), locked AS (
        SELECT bucket, next_free FROM send_budgets
        WHERE bucket = ANY(CAST(:all AS text[])) ORDER BY bucket FOR UPDATE
    ), found AS (
        SELECT bucket, next_free FROM created UNION ALL SELECT bucket, next_free FROM locked
    )
    SELECT found.bucket, found.next_free, extract(epoch FROM clock_timestamp()) AS now
    FROM (SELECT 1) AS one LEFT JOIN found ON true
    """
)
BOOK = text(
    """
    UPDATE send_budgets SET next_free = booked.next_free
    FROM unnest(CAST(:buckets AS text[]), CAST(:next_free AS double precision[]))
        AS booked(bucket, next_free)
    WHERE send_budgets.bucket = booked.bucket
    """
)
TIDY_EVERY = 60.0  # seconds between deletions of rows that lie in the past


class _Raced(Exception):
    pass


def _key_text(key: Hashable) -> str:
    return ":".join(map(str, key)) if isinstance(key, tuple) else str(key)


class SharedPacer:
    """A `Pacer` whose schedules live in the database (PostgreSQL only).

    The `now` and `until` the caller passes are on its own monotonic clock; they are turned
    into the database's with the offset seen at the last reservation.
    """

    def __init__(self, database: Database, scope: str, horizon: float = 5.0) -> None:
        self._database = database
        self._scope = scope  # the network and bot whose budget this is
        self._horizon = horizon
        self._offset: float | None = None  # database clock minus the caller's
        self._booked: dict[tuple[str, ...], list[float]] = {}  # on the database clock
        self._tidied_at = 0.0
        self.transactions = 0  # for tests and benchmarks: round trips made
        self.missed = 0  # bookings dropped because their sender came back too late

    def _bucket(self, name: str, key: Hashable) -> str:
        return f"{self._scope}|{name}|{_key_text(key)}"[:300]

    def reserve(self, now: float, subjects: list[tuple[Limit, Hashable]]) -> float:
        """As `Pacer.reserve`: 0.0 when the send is booked for now; else seconds to wait."""
        signature = tuple(sorted(self._bucket(limit.name, key) for limit, key in subjects))
        bookings = self._booked.get(signature)
        if bookings and self._offset is not None:
            due = min(bookings)
            wait = due - (now + self._offset)
            if wait > EARLY:
                return wait
            bookings.remove(due)
            if not bookings:
                del self._booked[signature]
            if wait > -STALE:
                return 0.0
            self.missed += 1
            # Booked by a send that gave up long ago: sending on it now could bunch sends.
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self._database.engine.begin() as connection:
                    return self._reserve(connection, now, subjects, signature)
            except (DBAPIError, _Raced):  # a deadlock, a lost connection, a race: again
                if attempt == ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def _reserve(
        self,
        connection: Connection,
        now: float,
        subjects: list[tuple[Limit, Hashable]],
        signature: tuple[str, ...],
    ) -> float:
        # Plain SQL on a connection, two statements: this runs for every send, on the
        # sender's event loop, so it must be short.
        self.transactions += 1
        limits = {self._bucket(limit.name, key): limit for limit, key in subjects}
        pauses = sorted({self._bucket("paused", key) for _limit, key in subjects})
        names = sorted(limits)
        rows = connection.execute(LOCK, {"limits": names, "all": names + pauses}).all()
        db_now = float(rows[0].now)
        self._offset = db_now - now
        stored = {row.bucket: float(row.next_free) for row in rows if row.bucket is not None}
        if any(name not in stored for name in names):
            raise _Raced  # another process created a row after this statement's snapshot
        start = max([db_now, *(stored.get(name, 0.0) for name in pauses)])
        earliest: dict[str, float] = {}
        for name, limit in limits.items():
            tolerance = (limit.burst - 1) / limit.rate
            earliest[name] = max(db_now, stored.get(name, 0.0) - tolerance)
            start = max(start, earliest[name])
        wait = start - db_now
        if wait > 0 and (
            wait > self._horizon or any(start - earliest[n] > 1 / limits[n].rate for n in limits)
        ):
            return wait  # held back by a limit that would leave the others' places unused
        booked = [max(stored.get(n, 0.0), start) + 1 / limits[n].rate for n in names]
        connection.execute(BOOK, {"buckets": names, "next_free": booked})
        if wait <= 0:
            return 0.0
        self._booked.setdefault(signature, []).append(start)
        return wait

    def pause(self, key: Hashable, until: float) -> None:
        """Nothing under `key` goes before `until` (caller's clock), in any process."""
        if self._offset is None:
            return  # no reservation yet, so nothing was sent that could have been refused
        shared_until = until + self._offset
        bucket = self._bucket("paused", key)

        def work(session: Session) -> None:
            statement = insert(SendBudget).values(bucket=bucket, next_free=shared_until)
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["bucket"],
                    set_={
                        "next_free": text("greatest(send_budgets.next_free, excluded.next_free)")
                    },
                )
            )

        self._database.transact(work)

    def forget_idle(self, now: float) -> None:
        """Drop bookings that lie in the past, and (at most once a minute) rows that do."""
        if self._offset is None:
            return
        shared_now = now + self._offset
        for signature, bookings in list(self._booked.items()):
            bookings[:] = [b for b in bookings if b > shared_now - STALE]
            if not bookings:
                del self._booked[signature]
        if now - self._tidied_at < TIDY_EVERY:
            return
        self._tidied_at = now
        scope = f"{self._scope}|%"
        self._database.transact(
            lambda s: s.execute(
                delete(SendBudget).where(
                    SendBudget.bucket.like(scope), SendBudget.next_free < shared_now - 60.0
                )
            )
        )
