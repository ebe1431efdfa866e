"""Telling people, by DM, what changed about a gathering they joined."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core import outbox, pledges, reminders, rendering
from core.config import Settings
from core.messages import Message
from core.models import Gathering, Pledge
from core.people import reachable_identity


def tell_pledgers(
    session: Session,
    gathering: Gathering,
    message: Message,
    purpose: str,
    now: datetime,
    *,
    skip_person: int | None = None,
    states: tuple[str, ...] = ("going",),
) -> int:
    """Queue `message` to every pledger (by the network they joined through, where reachable)."""
    queued = 0
    for pledge in pledges.active_pledges(session, gathering.id, states):
        if pledge.person_id == skip_person:
            continue
        queued += tell_person(
            session, pledge.person_id, pledge.network, message, purpose, gathering, now
        )
    return queued


def tell_person(
    session: Session,
    person_id: int,
    network: str,
    message: Message,
    purpose: str,
    gathering: Gathering,
    now: datetime,
) -> int:
    identity = reachable_identity(session, person_id, network)
    if identity is None:
        return 0
    outbox.to_person(session, identity, message, purpose, gathering.id, now)
    return 1


def welcome_promoted(
    session: Session,
    settings: Settings,
    gathering: Gathering,
    promoted: list[Pledge],
    now: datetime,
) -> None:
    """People moved up from the waitlist: tell them, and give them their reminders."""
    for pledge in promoted:
        reminders.schedule(session, settings, gathering, pledge, now)
        tell_person(
            session,
            pledge.person_id,
            pledge.network,
            rendering.promoted(gathering),
            "promoted",
            gathering,
            now,
        )
