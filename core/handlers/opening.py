"""Storing a new gathering and keeping its posts current: its code, its announcement in
each room of its community, and queued edits of those posts. Split from gatherings.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import Settings
from core.delivery import calls, impact_ask, organiser_links, outbox, reminders
from core.parsing import ParsedRole
from core.rules import counting, pledges, roles
from core.rules.codes import GATHERING_CODE_LENGTH, new_code
from core.rules.rooms import rooms_of_community
from core.storage.models import Announcement, Gathering, Room
from core.storage.series import Series


def open_gathering(
    session: Session,
    settings: Settings,
    gathering: Gathering,
    room: Room,
    network: str,
    now: datetime,
    *,
    organiser_link: bool = True,
    organiser_going: bool = True,
    wanted: Sequence[ParsedRole] = (),
) -> list[Room]:
    """Store a new gathering: its organiser is in (through `network`) unless not
    `organiser_going`, it is announced in every room of its community (and `room`), reminders
    are queued and, with `organiser_link`, the organiser gets the private link to its page.
    Returns the rooms. `wanted`: the roles read from its announcement, each with its own count."""
    session.add(gathering)
    session.flush()
    roles.create(session, gathering, wanted)
    if organiser_going:
        pledges.join(session, gathering, gathering.organiser_id, network, 0, now)
    rooms = rooms_of_community(session, room.community) or [room]
    if room not in rooms:
        rooms.append(room)
    for each in rooms:
        announce(session, gathering, each, now)
    organiser = pledges.pledge_of(session, gathering.id, gathering.organiser_id)
    if organiser is not None:
        reminders.schedule(session, settings, gathering, organiser, now)
    calls.schedule(session, settings, gathering, now)
    impact_ask.schedule(session, gathering, network, now)
    if organiser_link:
        organiser_links.send(session, settings, gathering, gathering.organiser_id, network, now)
    return rooms


def unused_code(session: Session, length: int = GATHERING_CODE_LENGTH) -> str:
    """A code no gathering and no series has (series codes are one letter longer)."""
    while True:
        candidate = new_code(length)
        taken = session.scalar(select(Gathering.id).where(Gathering.code == candidate))
        if taken is None and length != GATHERING_CODE_LENGTH:
            taken = session.scalar(select(Series.id).where(Series.code == candidate))
        if taken is None:
            return candidate


def announce(session: Session, gathering: Gathering, room: Room, now: datetime) -> None:
    """Make sure `room` has (or gets) a post about `gathering`, showing its current state."""
    announcement = session.scalar(
        select(Announcement).where(
            Announcement.gathering_id == gathering.id, Announcement.room_id == room.id
        )
    )
    if announcement is None:
        announcement = Announcement(gathering_id=gathering.id, room_id=room.id)
        session.add(announcement)
        session.flush()
    outbox.refresh_announcements(session, now, announcement_ids=[announcement.id])


def refresh_all(session: Session, gathering: Gathering, now: datetime) -> None:
    """Queue an edit of every post about the gathering (coalesced with any already pending)."""
    if not counting.is_pending(session, gathering.id):
        outbox.refresh_announcements(session, now, gathering_id=gathering.id)
        return
    # Counted at commit (core/rules/counting.py): the refresh locks a pending row that every
    # join touches, so it is written then too, after the count; the networks it queues for
    # are noted then, before the commit that wakes their senders (core/app.py).
    deferred: set[int] = session.info.setdefault("refresh_after_count", set())
    if gathering.id not in deferred:
        deferred.add(gathering.id)
        counting.after_count(
            session,
            gathering.id,
            lambda s: outbox.refresh_announcements(s, now, gathering_id=gathering.id),
        )

