"""Counting joins at commit, without holding the gathering's row while a command runs.

A join into a gathering with no capacity, whose target is reached or was never set, decides
nothing from the count: it is "you're in" whatever the number. Its +1 commutes with every
other join's, so there is no need to lock the gathering's row when the command starts and
hold it through the pledge, the reminders, the reply and the commit (a flash mob into one
gathering then queues on that row, one transaction at a time). Instead the command reads the
gathering without a lock and adds to a pending count; just before COMMIT one UPDATE adds it
(`people_going = people_going + n`), so the row is held for that UPDATE and the COMMIT only,
and commands batched in one transaction (core/storage/group_commit.py) add theirs together.

That UPDATE re-checks what the command read without the lock: same version (no edit, no
cancellation since), still open, still no capacity, target still reached or unset. If any of
that changed, it raises `Conflict` and the whole transaction runs again from the start (see
core/storage/db.py), this time taking the lock first. Anything that locks the gathering in
the same transaction (a leave, an edit, a recount) writes the pending count first, so what it
reads under the lock is whole.

Everything else keeps the lock for the whole command: a capacity or an unreached target is a
rule that reads the count, and the count must not move between reading and writing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, or_, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from core.storage.db import Conflict, before_commit
from core.storage.models import Gathering
from core.storage.statuses import GatheringStatus

_PENDING = "counts_pending"  # session.info key: gathering id -> _Pending

_SETTLE = (
    update(Gathering)
    .where(
        Gathering.id == bindparam("gathering"),
        Gathering.version == bindparam("seen_version"),
        Gathering.status == GatheringStatus.OPEN,
        Gathering.capacity.is_(None),
        or_(Gathering.target.is_(None), Gathering.reached_target_at.is_not(None)),
    )
    .values(
        people_going=Gathering.people_going + bindparam("more_people"),
        guests_going=Gathering.guests_going + bindparam("more_guests"),
    )
    .returning(Gathering.people_going, Gathering.guests_going)
)


@dataclass
class _Pending:
    gathering: Gathering
    seen_version: int
    people: int = 0
    guests: int = 0
    then: list[Callable[[Session], None]] = field(default_factory=list)


def needs_no_lock(gathering: Gathering) -> bool:
    """True when no rule reads this gathering's count, so a join may count at commit."""
    return (
        gathering.status == GatheringStatus.OPEN
        and gathering.capacity is None
        and (gathering.target is None or gathering.reached_target_at is not None)
        # roles have their own limits and moves between them: those read the counts
        and not gathering.has_roles
    )


def count_at_commit(session: Session, gathering: Gathering) -> None:
    """From now on in this transaction, counts of `gathering` (read without a lock) are
    added at commit. The caller has checked `needs_no_lock`."""
    if _PENDING not in session.info:
        session.info[_PENDING] = {}
        before_commit(session, settle)
    pending: dict[int, _Pending] = session.info[_PENDING]
    if gathering.id not in pending:
        pending[gathering.id] = _Pending(gathering, gathering.version)


def is_pending(session: Session, gathering_id: int) -> bool:
    return gathering_id in session.info.get(_PENDING, {})


def add(session: Session, gathering: Gathering, people: int, guests: int) -> bool:
    """Add to the pending count; False if this gathering is counted now (under its lock).

    The object's counters move at once, so what this transaction shows includes it.
    """
    entry = session.info.get(_PENDING, {}).get(gathering.id)
    if entry is None:
        return False
    entry.people += people
    entry.guests += guests
    set_committed_value(gathering, "people_going", gathering.people_going + people)
    set_committed_value(gathering, "guests_going", gathering.guests_going + guests)
    return True


def after_count(session: Session, gathering_id: int, work: Callable[[Session], None]) -> None:
    """Run `work` right after the pending count is written (at once if none is pending):
    for writes that lock a row every join touches, such as the announcements' refresh."""
    entry = session.info.get(_PENDING, {}).get(gathering_id)
    if entry is None:
        work(session)
    else:
        entry.then.append(work)


def settle(session: Session, gathering_id: int | None = None) -> None:
    """Write the pending counts now: one gathering's, or all (in id order, so that two
    transactions lock gatherings in the same order)."""
    pending: dict[int, _Pending] = session.info.get(_PENDING, {})
    for key in sorted(pending) if gathering_id is None else [gathering_id]:
        entry = pending.pop(key, None)
        if entry is None:
            continue
        row = (
            session.connection()
            .execute(
                _SETTLE,
                {
                    "gathering": key,
                    "seen_version": entry.seen_version,
                    "more_people": entry.people,
                    "more_guests": entry.guests,
                },
            )
            .first()
        )
        if row is None:
            raise Conflict(f"gathering {key} changed while joins counted it without a lock")
        set_committed_value(entry.gathering, "people_going", row.people_going)
        set_committed_value(entry.gathering, "guests_going", row.guests_going)
        for work in entry.then:
            work(session)
