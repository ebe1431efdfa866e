"""Dead letters: inbound events whose handling raised, kept so that nothing is lost.

The event is acknowledged to the platform (its queue must not stall behind one bad event) and
kept here with its raw JSON. The network that received it retries it with backoff, because only
it can translate the raw event again; after MAX_ATTEMPTS it is kept for the operator
(`gather dead-letters`), who may retry it once more or drop it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from core.storage.running import DeadLetter

MAX_ATTEMPTS = 5  # the first failure included
FIRST_RETRY = timedelta(seconds=30)  # then 4x longer each time: 30 s, 2 min, 8 min, 32 min
RETRY_LEASE = timedelta(minutes=5)  # a claimed retry is not claimed again meanwhile
ERROR_LENGTH = 2000


@dataclass(frozen=True)
class Letter:
    id: int
    network: str
    event_key: str
    raw_event: str
    error: str
    failed_at: datetime
    last_failed_at: datetime
    attempts: int
    next_attempt_at: datetime | None  # None: kept for the operator


def backoff(attempts: int, first: timedelta = FIRST_RETRY) -> timedelta:
    """How long after failure number `attempts` the next try comes."""
    factor: int = 4 ** max(0, attempts - 1)
    return first * factor


def keep(
    session: Session,
    network: str,
    event_key: str,
    raw_event: str,
    error: str,
    now: datetime,
    first: timedelta = FIRST_RETRY,
) -> None:
    """Store a failed event; the same event failing again (a redelivery) updates its row."""
    row = session.scalar(
        select(DeadLetter).where(DeadLetter.network == network, DeadLetter.event_key == event_key)
    )
    if row is None:
        session.add(
            DeadLetter(
                network=network,
                event_key=event_key[:200],
                raw_event=raw_event,
                error=error[:ERROR_LENGTH],
                failed_at=now,
                last_failed_at=now,
                attempts=1,
                next_attempt_at=now + backoff(1, first),
            )
        )
    else:
        row.error, row.last_failed_at = error[:ERROR_LENGTH], now


def claim_due(session: Session, network: str, now: datetime, limit: int = 20) -> list[Letter]:
    """Letters of `network` due for a retry, leased so that no other call takes them too."""
    rows = list(
        session.scalars(
            select(DeadLetter)
            .where(DeadLetter.network == network, DeadLetter.next_attempt_at <= now)
            .order_by(DeadLetter.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    for row in rows:
        row.next_attempt_at = now + RETRY_LEASE
    return [_letter(row) for row in rows]


def settle(session: Session, letter_id: int) -> None:
    """The retry was handled: the letter is done."""
    session.execute(delete(DeadLetter).where(DeadLetter.id == letter_id))


def failed_again(
    session: Session,
    letter_id: int,
    error: str,
    now: datetime,
    first: timedelta = FIRST_RETRY,
) -> Letter | None:
    """Count a failed retry; past MAX_ATTEMPTS the letter is kept for the operator."""
    row = session.get(DeadLetter, letter_id)
    if row is None:
        return None  # dropped by the operator meanwhile
    row.attempts += 1
    row.error, row.last_failed_at = error[:ERROR_LENGTH], now
    row.next_attempt_at = (
        now + backoff(row.attempts, first) if row.attempts < MAX_ATTEMPTS else None
    )
    return _letter(row)


def listing(session: Session, network: str | None = None) -> list[Letter]:
    query = select(DeadLetter).order_by(DeadLetter.failed_at, DeadLetter.id)
    if network is not None:
        query = query.where(DeadLetter.network == network)
    return [_letter(row) for row in session.scalars(query)]


def counts(session: Session) -> dict[str, tuple[int, int]]:
    """Per network: (letters still being retried, letters kept for the operator)."""
    found: dict[str, tuple[int, int]] = {}
    query = select(DeadLetter.network, DeadLetter.next_attempt_at.is_(None), func.count()).group_by(
        DeadLetter.network, DeadLetter.next_attempt_at.is_(None)
    )
    for network, kept, count in session.execute(query):
        retrying, held = found.get(network, (0, 0))
        found[network] = (retrying, held + count) if kept else (retrying + count, held)
    return found


def retry_soon(session: Session, now: datetime, letter_id: int | None = None) -> int:
    """The operator's retry: one more attempt, now, by the receiving network. Returns how many."""
    query = update(DeadLetter).values(next_attempt_at=now)
    if letter_id is not None:
        query = query.where(DeadLetter.id == letter_id)
    return int(session.execute(query).rowcount)  # type: ignore[attr-defined]


def drop(session: Session, letter_id: int | None = None) -> int:
    """The operator gives up on one letter (or all). Returns how many went."""
    query = delete(DeadLetter)
    if letter_id is not None:
        query = query.where(DeadLetter.id == letter_id)
    return int(session.execute(query).rowcount)  # type: ignore[attr-defined]


def _letter(row: DeadLetter) -> Letter:
    return Letter(
        row.id,
        row.network,
        row.event_key,
        row.raw_event,
        row.error,
        row.failed_at,
        row.last_failed_at,
        row.attempts,
        row.next_attempt_at,
    )
