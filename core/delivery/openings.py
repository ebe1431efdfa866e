"""'1 place has opened': the room post after someone answered "Can't make it now".

Only for a gathering that was full (without a capacity, or with places free all along,
nobody was kept out: the caller checks), and only while places are free after the waitlist
moved up. One pending post per room: releases within
SETTLE of the first fold into it, and it is rendered when it goes, with the places free
then (none free by then, or the gathering started or was cancelled: nothing is posted).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from core.config import Settings
from core.delivery import outbox, room_posts
from core.delivery.outbox import Delivery
from core.rules.rooms import community_language
from core.storage.models import Gathering
from core.storage.statuses import OutboxStatus
from core.storage.traffic import OutboxMessage
from core.words import still_coming

PURPOSE = "place_opened"
SETTLE = timedelta(minutes=3)


def free_places(gathering: Gathering) -> int:
    return max(0, (gathering.capacity or 0) - gathering.headcount)


def place_opened(session: Session, gathering: Gathering, now: datetime) -> None:
    """Queue the post in every room the gathering is announced in (or fold into one waiting)."""
    if not gathering.capacity or free_places(gathering) <= 0 or gathering.joinable_until <= now:
        return
    room_posts.to_announced_rooms(session, gathering.id, PURPOSE, "opened", now + SETTLE, now)


def prepare(
    session: Session, settings: Settings, row: OutboxMessage, now: datetime
) -> Delivery | None:
    found = room_posts.still_open(session, row, now)
    if found is None:
        return None
    gathering, room = found
    free = free_places(gathering)
    if free <= 0:
        outbox.finish(row, OutboxStatus.SKIPPED, now, "the places were taken again")
        return None
    message = still_coming.place_opened(gathering, free, community_language(settings, room.community))
    return outbox.room_message(row, room.chat_id, message)
