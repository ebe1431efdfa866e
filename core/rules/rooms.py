"""Rooms and the communities that link them across networks."""

from __future__ import annotations

import logging

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from core.config import Settings
from core.config_sections import Community
from core.contract.identities import RoomRef
from core.storage.models import Announcement, Gathering, Identity, Room
from core.storage.traffic import OutboxMessage

log = logging.getLogger(__name__)
_KNOWN_ROOMS = "known_rooms"  # in Session.info: the rooms this transaction has looked up
# Built once: on SQLite, building a statement costs more than running it.
_ROOM = select(Room).where(
    Room.network == bindparam("network"), Room.chat_id == bindparam("chat_id")
)


def community_name(settings: Settings, network: str, chat_id: str) -> str:
    """The community a room belongs to; a room no community names is a community of its own."""
    community = settings.community_of(network, chat_id)
    return community.name if community else f"{network}:{chat_id}"


def community_settings(settings: Settings, name: str) -> Community:
    """The settings of a community, with the defaults for a room that stands alone."""
    configured = settings.community_named(name)
    if configured:
        return configured
    network, _, chat_id = name.partition(":")
    return Community(
        name=name,
        rooms=((network, chat_id),),
        time_zone=settings.time_zone,
        languages=settings.languages,
        reminder_minutes=settings.reminder_minutes,
        call_minutes=settings.call_minutes,
    )


def community_language(settings: Settings, name: str) -> str:
    """A community's main language: its posts and the replies in its rooms speak it."""
    return community_settings(settings, name).languages[0]


def room_language(settings: Settings, ref: RoomRef) -> str:
    """`community_language` from the settings alone, for before a transaction (a stored room
    knows its community better: a moved room keeps it)."""
    return community_language(settings, community_name(settings, ref.network, ref.chat_id))


def find_room(session: Session, network: str, chat_id: str) -> Room | None:
    return session.scalar(_ROOM, {"network": network, "chat_id": chat_id})


def room_for(session: Session, settings: Settings, ref: RoomRef) -> Room:
    # Remembered for the transaction, which may carry a burst of commands from one room.
    known: dict[tuple[str, str], Room] = session.info.setdefault(_KNOWN_ROOMS, {})
    room = known.get((ref.network, ref.chat_id)) or find_room(session, ref.network, ref.chat_id)
    if room is None:
        room = Room(
            network=ref.network,
            chat_id=ref.chat_id,
            community=community_name(settings, ref.network, ref.chat_id),
            title=ref.title[:200],
            is_private=ref.is_private,
        )
        session.add(room)
        session.flush()
    elif ref.title and room.title != ref.title[:200]:
        room.title = ref.title[:200]
    known[(ref.network, ref.chat_id)] = room
    return room


def note_private_chat(room: Room, identity: Identity) -> None:
    """A private room is the chat with one account: remember whose, so /forget can erase it."""
    if room.is_private and room.identity_id != identity.id:
        room.identity_id = identity.id


def forget_known_rooms(session: Session) -> None:
    """Rooms are remembered for the transaction; after rooms were erased, look them up again."""
    session.info.pop(_KNOWN_ROOMS, None)


def sync_configured_rooms(session: Session, settings: Settings) -> None:
    """Create the rooms bots.toml names (idempotent), so every community can be announced in."""
    for community in settings.communities:
        for network, chat_id in community.rooms:
            moved = session.scalar(
                select(Room).where(Room.network == network, Room.moved_from == chat_id)
            )
            if moved is not None:
                log.warning(
                    "%s:%s is now %s:%s; update bots.toml", network, chat_id, network, moved.chat_id
                )
                continue
            room = room_for(session, settings, RoomRef(network, chat_id))
            room.community = community.name


def rooms_of_community(session: Session, name: str) -> list[Room]:
    return list(session.scalars(select(Room).where(Room.community == name).order_by(Room.id)))


def announcing_room(session: Session, gathering_id: int, network: str) -> Room | None:
    """The public room on `network` where the gathering is announced, if any."""
    return session.scalar(
        select(Room)
        .join(Announcement, Announcement.room_id == Room.id)
        .where(
            Announcement.gathering_id == gathering_id,
            Room.network == network,
            Room.is_private.is_(False),
        )
        .limit(1)
    )


def move_room(session: Session, network: str, old_chat_id: str, new_chat_id: str) -> bool:
    """A chat changed its id (a Telegram group became a supergroup): keep its gatherings."""
    session.info.pop(_KNOWN_ROOMS, None)
    room = find_room(session, network, old_chat_id)
    if room is None:
        return False
    clash = find_room(session, network, new_chat_id)
    if clash is not None:
        # Someone spoke in the new chat before we heard of the move: fold the old room into it.
        for model in (Announcement, Gathering, OutboxMessage):
            session.execute(update(model).where(model.room_id == room.id).values(room_id=clash.id))
        clash.community = room.community
        clash.moved_from = old_chat_id
        session.delete(room)
        return True
    room.chat_id = new_chat_id
    room.moved_from = old_chat_id
    return True
