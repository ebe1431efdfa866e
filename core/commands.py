"""Commands as people type them, the same words on every network, and the replies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from core.config import Settings
from core.identities import Identity, RoomRef
from core.messages import Message, Span, code, text_message
from core.models import Identity as StoredIdentity
from core.models import Room

MAX_COMMAND_LENGTH = 4000
COMMAND_WORDS = (
    "gather",
    "join",
    "leave",
    "list",
    "who",
    "show",
    "edit",
    "cancel",
    "link",
    "forget",
    "help",
    "start",
    "settings",
    "guest",
)
ALIASES = {
    "in": "join",
    "out": "leave",
    "drop": "leave",
    "info": "show",
    "upcoming": "list",
    "forget_me": "forget",
    "forgetme": "forget",
    "me": "settings",
}
_COMMAND = re.compile(r"^\s*/?([A-Za-z_]+)(?:@[\w.@-]+)?(?=\s|$)(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Command:
    """Something a person said to the bot, translated by an adapter at the edge.

    `event_key` identifies the network event (update id, interaction id, notification id):
    a second delivery of the same key is answered with `Reply.duplicate`.
    `actor_is_admin`: the adapter's word that the actor administers `room`.
    """

    actor: Identity
    room: RoomRef
    text: str
    event_key: str | None = None
    actor_is_admin: bool = False


@dataclass(frozen=True)
class Reply:
    """The answer to the person who spoke. `message` None means say nothing (a duplicate)."""

    message: Message | None
    ok: bool = True
    # Better shown only to the person who acted (ephemeral on Discord).
    private: bool = True
    # "ok" when the bot can DM the actor, "unknown" when it has not tried; "unreachable" when a DM
    # to them failed before this command (say once how to open DMs; the next DM is tried again).
    dm_status: str = "unknown"
    gathering_code: str | None = None
    duplicate: bool = False


@dataclass
class Context:
    session: Session
    settings: Settings
    now: datetime
    command: Command
    identity: StoredIdentity
    room: Room
    word: str
    args: str
    extras: dict[str, object] = field(default_factory=dict)


def split_command(text: str) -> tuple[str, str] | None:
    """('join', 'K7QF +2') from '/join@GatherBot K7QF +2'; None when no command word starts it."""
    match = _COMMAND.match(text)
    if not match:
        return None
    word = match.group(1).lower()
    word = ALIASES.get(word, word)
    if word not in COMMAND_WORDS:
        return None
    return word, match.group(2).strip()


def problem(*lines: str | Span | tuple[str | Span, ...]) -> Reply:
    return Reply(text_message(*lines), ok=False)


HELP = text_message(
    "Gather gets people in one place at one time. Commands:",
    ("/gather ", code("Beach clean at Portobello beach, Saturday 10am, need 20 people")),
    ("/join ", code("K7QF"), " (add ", code("+2"), " for friends coming with you)"),
    ("/leave ", code("K7QF"), ": drop out"),
    "/list: what's coming up here",
    ("/who ", code("K7QF"), ": details and headcount"),
    ("/edit ", code("K7QF when Sunday 11am"), " (or where, need, max, title)"),
    ("/cancel ", code("K7QF"), ": for organisers and admins"),
    "/link: count your accounts on different networks as one person",
    "/settings: reminders on|off, names on|off (show your name in /who)",
    "/forget: erase everything Gather knows about you",
    "Without a code, /join and /leave mean the latest gathering in this room.",
)
