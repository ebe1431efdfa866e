"""Telegram updates as core commands: pure functions, tested on recorded payloads.

Nothing here talks to Telegram or the database; `bot.py` does the I/O around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import Chat, Update, User

from adapters.telegram import keyboards
from core import Command, Identity, PledgeSource, RoomRef, split_command

NETWORK = "telegram"
ANONYMOUS_ADMIN_ID = 1087968824  # "GroupAnonymousBot": an admin posting as the group
ADMIN_WORDS = frozenset({"edit", "cancel"})
_ADDRESSEE = re.compile(r"^\s*/[A-Za-z_]+@([\w.]+)")


@dataclass(frozen=True)
class Press:
    """A button press: the command it stands for, or None when the data is not ours."""

    command: Command | None
    query_id: str
    room: RoomRef | None = None  # where the button was, for the words of an answer


@dataclass(frozen=True)
class Moved:
    old_chat_id: str
    new_chat_id: str


@dataclass(frozen=True)
class Reachability:
    """A private chat's member status changed: blocked (kicked the bot) or started again."""

    user_id: str
    blocked: bool


Inbound = Command | Press | Moved | Reachability | None


def event_key(update: Update) -> str:
    return f"update:{update.update_id}"


def room_of(chat: Chat) -> RoomRef:
    title = chat.title or chat.full_name or chat.username or ""
    return RoomRef(NETWORK, str(chat.id), is_private=chat.type == Chat.PRIVATE, title=title)


def actor_of(user: User | None, sender_chat: Chat | None) -> Identity | None:
    """Who spoke. An anonymous admin (or a channel) speaks as a chat: that chat is the actor."""
    if sender_chat is not None and (user is None or user.id == ANONYMOUS_ADMIN_ID or user.is_bot):
        name = sender_chat.title or sender_chat.username or str(sender_chat.id)
        return Identity(NETWORK, str(sender_chat.id), name, sender_chat.username or "")
    if user is None or user.is_bot:
        return None
    return Identity(NETWORK, str(user.id), user.full_name, user.username or "")


def is_anonymous_admin(user: User | None, sender_chat: Chat | None, chat: Chat) -> bool:
    return (
        user is not None
        and user.id == ANONYMOUS_ADMIN_ID
        and sender_chat is not None
        and sender_chat.id == chat.id
    )


def command_word(text: str) -> str | None:
    split = split_command(text)
    return split[0] if split else None


def addressed_elsewhere(text: str, bot_username: str) -> bool:
    """`/gather@OtherBot ...`: meant for another bot in the same group."""
    match = _ADDRESSEE.match(text)
    return match is not None and match.group(1).lower() != bot_username.lower()


def translate(update: Update, bot_username: str) -> Inbound:
    """What an update means to Gather (None: nothing for us)."""
    if update.my_chat_member is not None:
        member = update.my_chat_member
        if member.chat.type != Chat.PRIVATE:
            return None
        status = member.new_chat_member.status
        return Reachability(str(member.chat.id), blocked=status in ("kicked", "left"))
    if update.callback_query is not None:
        return _press(update)
    message = update.message
    if message is None:
        return None  # edits, channel posts, reactions: nothing to do
    if message.migrate_to_chat_id:
        return Moved(str(message.chat.id), str(message.migrate_to_chat_id))
    if message.migrate_from_chat_id:
        return Moved(str(message.migrate_from_chat_id), str(message.chat.id))
    text = message.text or ""
    private = message.chat.type == Chat.PRIVATE
    if not text.strip():
        return None
    if not private:
        # Privacy mode shows the bot commands and replies to it; speak only to our commands.
        if not text.lstrip().startswith("/") or addressed_elsewhere(text, bot_username):
            return None
        if command_word(text) is None:
            return None
    elif addressed_elsewhere(text, bot_username):
        return None
    actor = actor_of(message.from_user, message.sender_chat)
    if actor is None:
        return None
    return Command(
        actor=actor,
        room=room_of(message.chat),
        text=text,
        event_key=event_key(update),
        actor_is_admin=is_anonymous_admin(message.from_user, message.sender_chat, message.chat),
    )


def _press(update: Update) -> Press | None:
    query = update.callback_query
    assert query is not None
    press = keyboards.parse(query.data)
    message = query.message
    actor = actor_of(query.from_user, None)
    if press is None or message is None or actor is None:
        return Press(None, query.id, room_of(message.chat) if message is not None else None)
    return Press(
        Command(
            actor=actor,
            room=room_of(message.chat),
            text=press.command,
            event_key=event_key(update),
            via=PledgeSource.BUTTON,
        ),
        query.id,
    )


def needs_admin_check(command: Command) -> bool:
    """Only /edit and /cancel in a group ask Telegram who administers the chat."""
    return (
        not command.room.is_private
        and not command.actor_is_admin
        and command_word(command.text) in ADMIN_WORDS
    )
