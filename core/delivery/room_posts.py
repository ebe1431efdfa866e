"""Posts owed to every room a gathering is announced in, rendered when they go ("we need N
more", "1 place has opened"): one pending row per room, so asking again folds in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.delivery import outbox
from core.storage.models import Announcement, Gathering, Room
from core.storage.sql import insert_many_ignoring_conflict
from core.storage.statuses import GatheringStatus, OutboxKind, OutboxStatus
from core.storage.traffic import OutboxMessage


def to_announced_rooms(
    session: Session,
    gathering_id: int,
    purpose: str,
    key: str,
    due: datetime,
    now: datetime,
    payload: str = "",
) -> None:
    """One post in every room the gathering is announced in, rendered when it goes; a post
    already waiting there (same `key` and room) stays as it is, so a second ask folds in.
    `payload`: what the renderer needs to know besides the gathering (a call's slot)."""
    rooms = session.execute(
        select(Room.id, Room.network)
        .join(Announcement, Announcement.room_id == Room.id)
        .where(Announcement.gathering_id == gathering_id)
    ).all()
    rows = [
        {
            "network": network,
            "kind": OutboxKind.ROOM,
            "purpose": purpose,
            "gathering_id": gathering_id,
            "room_id": room_id,
            "payload": payload,
            "coalesce_key": f"{key}:{gathering_id}:{room_id}",
            "status": OutboxStatus.PENDING,
            "not_before": due,
            "created_at": now,
            "attempts": 0,
        }
        for room_id, network in rooms
    ]
    if rows:
        outbox.queued_networks(session).update(network for _room, network in rooms)
        insert_many_ignoring_conflict(
            session, OutboxMessage, rows, index_elements=["coalesce_key"], index_where=outbox.PENDING
        )


def still_open(
    session: Session, row: OutboxMessage, now: datetime
) -> tuple[Gathering, Room] | None:
    """The gathering and room of a claimed room post, while the gathering is open and not yet
    started; otherwise the row is finished as skipped and None returned."""
    gathering = session.get(Gathering, row.gathering_id)
    room = session.get(Room, row.room_id)
    if (
        gathering is None
        or room is None
        or gathering.status != GatheringStatus.OPEN
        or gathering.joinable_until <= now
    ):
        outbox.finish(row, OutboxStatus.SKIPPED, now, "gathering cancelled or started")
        return None
    return gathering, room
