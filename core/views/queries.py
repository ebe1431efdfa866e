"""The few questions adapters ask, and the few facts they report, each one named.

Functions of a session; `Gather` runs each in its own transaction. Nothing here decides
anything: what changes the gatherings goes through `Gather.handle`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from core.storage.models import Announcement, Cursor, Gathering, Identity, Pledge, Room
from core.storage.statuses import LIVE_PLEDGE_STATES, DmStatus, GatheringStatus

CHOICES_SCANNED = 100  # the newest open gatherings of a room that a typed prefix is matched in


def mark_unreachable(session: Session, network: str, native_id: str) -> None:
    identity = session.scalar(
        select(Identity).where(Identity.network == network, Identity.native_id == native_id)
    )
    if identity is not None:
        identity.dm_status = DmStatus.UNREACHABLE


def dm_status(session: Session, network: str, native_id: str) -> DmStatus | None:
    return session.scalar(
        select(Identity.dm_status).where(
            Identity.network == network, Identity.native_id == native_id
        )
    )


def gathering_code_for_post(session: Session, network: str, message_id: str) -> str | None:
    return session.scalar(
        select(Gathering.code)
        .join(Announcement, Announcement.gathering_id == Gathering.id)
        .join(Room, Room.id == Announcement.room_id)
        .where(Room.network == network, Announcement.message_id == message_id)
    )


def open_posts(session: Session, network: str, now: datetime) -> list[tuple[str, str]]:
    return [
        (code, message_id)
        for code, message_id in session.execute(
            select(Gathering.code, Announcement.message_id)
            .join(Announcement, Announcement.gathering_id == Gathering.id)
            .join(Room, Room.id == Announcement.room_id)
            .where(
                Room.network == network,
                Announcement.message_id.is_not(None),
                Gathering.status == GatheringStatus.OPEN,
                Gathering.joinable_until > now,
            )
        )
        if message_id is not None
    ]


def open_gatherings_in(
    session: Session, network: str, chat_id: str, typed: str, now: datetime, limit: int
) -> list[tuple[str, str]]:
    rows = session.execute(
        select(Gathering.code, Gathering.title)
        .join(Announcement, Announcement.gathering_id == Gathering.id)
        .join(Room, Room.id == Announcement.room_id)
        .where(
            Room.network == network,
            Room.chat_id == chat_id,
            Gathering.status == GatheringStatus.OPEN,
            Gathering.joinable_until > now,
        )
        .order_by(Gathering.created_at.desc(), Gathering.id.desc())
        .limit(CHOICES_SCANNED)
    ).all()
    typed = typed.strip().upper()
    matches = [
        (code, title) for code, title in rows if code.startswith(typed) or typed in title.upper()
    ]
    return matches[:limit]


def pledgers_via(session: Session, code: str, network: str) -> list[str]:
    return list(
        session.scalars(
            select(Identity.native_id)
            .join(Pledge, Pledge.person_id == Identity.person_id)
            .join(Gathering, Gathering.id == Pledge.gathering_id)
            .where(
                Gathering.code == code,
                Pledge.network == network,
                Pledge.state.in_(LIVE_PLEDGE_STATES),
                Identity.network == network,
            )
        )
    )


def cursor(session: Session, key: str) -> str | None:
    return session.scalar(select(Cursor.value).where(Cursor.key == key))


def set_cursor(session: Session, key: str, value: str, now: datetime) -> None:
    row = session.get(Cursor, key)
    if row is None:
        session.add(Cursor(key=key, value=value, updated_at=now))
    else:
        row.value, row.updated_at = value, now


def _announcement_in(network: str, chat_id: str, code: str) -> Select[Announcement]:
    return (
        select(Announcement)
        .join(Room, Room.id == Announcement.room_id)
        .join(Gathering, Gathering.id == Announcement.gathering_id)
        .where(Room.network == network, Room.chat_id == chat_id, Gathering.code == code)
    )


def mirror(session: Session, network: str, chat_id: str, code: str) -> str | None:
    return session.scalar(
        _announcement_in(network, chat_id, code).with_only_columns(Announcement.mirror)
    )


def set_mirror(session: Session, network: str, chat_id: str, code: str, value: str) -> None:
    announcement = session.scalars(_announcement_in(network, chat_id, code)).first()
    if announcement is not None:
        announcement.mirror = value
