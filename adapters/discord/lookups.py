"""Read-only questions the adapter asks the database directly (the core has no call for them).

Never writes: everything that changes state goes through `Gather.handle`.
"""

from __future__ import annotations

from sqlalchemy import select

from core.app import Gather
from core.storage.models import Announcement, Gathering, Identity, Room

NETWORK = "discord"


def open_gatherings(
    gather: Gather, channel_id: str, typed: str, limit: int = 25
) -> list[tuple[str, str]]:
    """(code, title) of open, future gatherings announced in a channel, newest first."""
    now = gather.clock.now()
    typed = typed.strip().upper()
    rows = gather.database.read(
        lambda session: session.execute(
            select(Gathering.code, Gathering.title)
            .join(Announcement, Announcement.gathering_id == Gathering.id)
            .join(Room, Room.id == Announcement.room_id)
            .where(
                Room.network == NETWORK,
                Room.chat_id == channel_id,
                Gathering.status == "open",
                Gathering.starts_at > now,
            )
            .order_by(Gathering.created_at.desc(), Gathering.id.desc())
            .limit(100)
        ).all()
    )
    matches = [
        (code, title) for code, title in rows if code.startswith(typed) or typed in title.upper()
    ]
    return matches[:limit]


def dm_status(gather: Gather, user_id: str) -> str | None:
    """What the core knows about DMing this Discord user (None: never seen)."""
    return gather.database.read(
        lambda session: session.scalar(
            select(Identity.dm_status).where(
                Identity.network == NETWORK, Identity.native_id == user_id
            )
        )
    )
