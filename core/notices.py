"""Telling people, by DM, what changed about a gathering they joined."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core import outbox, pledges
from core.messages import Message
from core.models import Gathering
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
