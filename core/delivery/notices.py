"""Telling people, by DM, what changed about a gathering they joined."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import Settings
from core.contract.messages import Message
from core.delivery import outbox, reminders
from core.rules import pledges
from core.rules.people import reachable_identity
from core.rules.pledges import Promotion
from core.rules.rooms import announcing_room
from core.storage.models import Gathering, Identity
from core.storage.statuses import PledgeState
from core.words import rendering


def tell_pledgers(
    session: Session,
    gathering: Gathering,
    message: Message,
    purpose: str,
    now: datetime,
    *,
    skip_person: int | None = None,
    states: tuple[PledgeState, ...] = (PledgeState.GOING,),
) -> int:
    """Queue `message` to every pledger by DM (on the network they joined through, else any
    they can be reached on). Those nobody can DM are mentioned together in one post in the
    gathering's room on their network, so a change or cancellation reaches them too."""
    queued = 0
    unreachable: dict[str, list[tuple[str, str]]] = {}
    for pledge in pledges.active_pledges(session, gathering.id, states):
        if pledge.person_id == skip_person:
            continue
        if tell_person(session, pledge.person_id, pledge.network, message, purpose, gathering, now):
            queued += 1
            continue
        account = session.scalar(
            select(Identity).where(
                Identity.person_id == pledge.person_id, Identity.network == pledge.network
            )
        )
        if account is not None:
            unreachable.setdefault(pledge.network, []).append(
                (account.display_name or account.handle, f"{account.network}:{account.native_id}")
            )
    what: rendering.InRoom = "news" if purpose in ("cancelled", "changed") else "message"
    # In the DM's language (not the room's), so the mentions and the news read as one.
    language = rendering.language_of(gathering)
    for network, people in unreachable.items():
        room = announcing_room(session, gathering.id, network)
        if room is not None:
            notice = rendering.in_the_room(people[:50], what, message, language)
            outbox.to_room(session, room, notice, f"{purpose}_in_room", gathering.id, now)
            queued += 1
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
    """Queue a DM to the person (1), or nothing if no account of theirs can be messaged (0)."""
    identity = reachable_identity(session, person_id, network)
    if identity is None:
        return 0
    outbox.to_person(session, identity, message, purpose, gathering.id, now)
    return 1


def welcome_promoted(
    session: Session,
    settings: Settings,
    gathering: Gathering,
    promotion: Promotion,
    now: datetime,
) -> None:
    """People moved up from the waitlist: tell them, and give them their reminders. If that
    reached the target, everyone hears it is on."""
    for pledge in promotion.promoted:
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
    if promotion.reached_target:
        tell_pledgers(session, gathering, rendering.its_on(gathering), "its_on", now)
