"""Rate limits on commands that reach other people: uses are stored, so a limit holds across
restarts and processes, and counted over a sliding window.

/edit and /cancel count per person (each change may notify every pledger); /tell counts per
gathering (whoever of its organiser and admins sends it). Rows older than the longest window
are pruned as new ones are written, so the table stays small.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from core.storage.models import CommandUse

CHANGES_PER_PERSON_PER_HOUR = 20  # /edit, /cancel and correction buttons together
TELLS_PER_GATHERING_PER_DAY = 3
CHANGE_WORDS = ("edit", "cancel", "fix")  # a correction button is an edit
KEPT_FOR = timedelta(days=1)  # the longest window any limit counts over


def changes_spent(session: Session, person_id: int, now: datetime) -> bool:
    """The person has used up their /edit and /cancel for this hour."""
    used = session.scalar(
        select(func.count(CommandUse.id)).where(
            CommandUse.word.in_(CHANGE_WORDS),
            CommandUse.person_id == person_id,
            CommandUse.used_at > now - timedelta(hours=1),
        )
    )
    return (used or 0) >= CHANGES_PER_PERSON_PER_HOUR


def tells_left(session: Session, gathering_id: int, now: datetime) -> int:
    """How many more /tell messages the gathering may send in the 24 hours up to now."""
    used = session.scalar(
        select(func.count(CommandUse.id)).where(
            CommandUse.word == "tell",
            CommandUse.gathering_id == gathering_id,
            CommandUse.used_at > now - KEPT_FOR,
        )
    )
    return max(0, TELLS_PER_GATHERING_PER_DAY - (used or 0))


def record(
    session: Session, word: str, person_id: int, now: datetime, gathering_id: int | None = None
) -> None:
    """Count one use, in the command's own transaction (a refused command counts nothing)."""
    session.execute(delete(CommandUse).where(CommandUse.used_at <= now - KEPT_FOR))
    session.add(CommandUse(word=word, person_id=person_id, gathering_id=gathering_id, used_at=now))
    session.flush()


def forget_person(session: Session, person_id: int) -> None:
    """/forget: their uses of per-person limits go; a /tell keeps counting against its
    gathering, with nobody's name on it."""
    session.execute(
        delete(CommandUse).where(
            CommandUse.person_id == person_id, CommandUse.gathering_id.is_(None)
        )
    )
    session.execute(
        update(CommandUse)
        .where(CommandUse.person_id == person_id)
        .values(person_id=None)
        .execution_options(synchronize_session=False)
    )
