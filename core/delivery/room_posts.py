"""Posts owed to every room a gathering is announced in, rendered when they go ("we need N
more", "1 place has opened"): one pending row per room, so asking again folds in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.delivery import outbox
from core.storage.models import Announcement, OutboxMessage, Room
from core.storage.sql import insert_many_ignoring_conflict
from core.storage.statuses import OutboxKind, OutboxStatus


def to_announced_rooms(
    session: Session, gathering_id: int, purpose: str, key: str, due: datetime, now: datetime
) -> None:
    """One post in every room the gathering is announced in, rendered when it goes; a post
    already waiting there (same `key` and room) stays as it is, so a second ask folds in."""
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
            "payload": "",
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
