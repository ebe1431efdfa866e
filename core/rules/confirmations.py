"""The "Still coming?" check: who was asked, who said yes, and who has not answered.

The day-before reminder puts the question (core/delivery/reminders.py); a "yes" marks the
pledge confirmed, a "no" withdraws it like /leave (core/handlers/still_coming.py). Both live on
the pledge, so leaving clears them and /forget, which erases the pledge, erases them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.storage.models import Gathering, Pledge
from core.storage.statuses import PledgeState


@dataclass(frozen=True)
class Confirmations:
    """Of the people going: how many (with their guests) said yes, and who was asked and has
    not answered yet. `asked` is False until the check has gone to anyone."""

    asked: bool
    confirmed: int
    unanswered: list[int]  # person ids, in the order they joined


def asked(
    session: Session, gathering_id: int, person_id: int, where: str | None, now: datetime
) -> None:
    """The check went to this pledger (`where`: "network:message id" of the post, if known)."""
    pledge = _going(session, gathering_id, person_id)
    if pledge is None:
        return
    pledge.asked_at = pledge.asked_at or now
    if where:
        pledge.asked_in = where[:100]


def confirm(pledge: Pledge, now: datetime) -> bool:
    """Mark a going pledge confirmed; False when it already was (nothing changes)."""
    if pledge.confirmed_at is not None:
        return False
    pledge.confirmed_at = now
    pledge.asked_at = pledge.asked_at or now
    return True


def forget_answers(pledge: Pledge) -> None:
    """A withdrawn pledge keeps no check: made again, it is asked again."""
    pledge.asked_at = pledge.asked_in = pledge.confirmed_at = None


def of(session: Session, gathering_id: int) -> Confirmations:
    rows = session.execute(
        select(Pledge.person_id, Pledge.guests, Pledge.asked_at, Pledge.confirmed_at)
        .where(Pledge.gathering_id == gathering_id, Pledge.state == PledgeState.GOING)
        .order_by(Pledge.created_at, Pledge.id)
    ).all()
    confirmed = sum(1 + guests for _p, guests, _a, at in rows if at is not None)
    unanswered = [p for p, _g, when, at in rows if when is not None and at is None]
    return Confirmations(any(a is not None for _p, _g, a, _c in rows), confirmed, unanswered)


def asked_by(session: Session, network: str, message_id: str) -> Gathering | None:
    """The gathering whose check this post put (a Mastodon reply to it answers it)."""
    return session.scalar(
        select(Gathering)
        .join(Pledge, Pledge.gathering_id == Gathering.id)
        .where(Pledge.asked_in == f"{network}:{message_id}")
        .limit(1)
    )


def _going(session: Session, gathering_id: int, person_id: int) -> Pledge | None:
    return session.scalar(
        select(Pledge).where(
            Pledge.gathering_id == gathering_id,
            Pledge.person_id == person_id,
            Pledge.state == PledgeState.GOING,
        )
    )
