"""Commands as people type them, the same words on every network, and the replies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from core.config import Settings
from core.contract.identities import Identity, RoomRef
from core.contract.messages import Message, Span, code, text_message
from core.storage.models import Identity as StoredIdentity
from core.storage.models import Room
from core.storage.statuses import DmStatus, PledgeSource
from core.words import i18n

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
    "organiser",
    "tell",
    "report",
    "impact",
    "still",
    "fix",
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
    "organizer": "organiser",
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
    # How it was said (typed, a button, a boost, a reply to a post): a pledge it makes keeps it.
    via: PledgeSource = PledgeSource.COMMAND


@dataclass(frozen=True)
class Reply:
    """The answer to the person who spoke. `message` None means say nothing (a duplicate)."""

    message: Message | None
    ok: bool = True
    # Better shown only to the person who acted (ephemeral on Discord).
    private: bool = True
    # REACHABLE when the bot can DM the actor, UNKNOWN when it has not tried; UNREACHABLE when a
    # DM to them failed before this command (say once how to open DMs; the next DM is tried again).
    dm_status: DmStatus = DmStatus.UNKNOWN
    gathering_code: str | None = None
    duplicate: bool = False
    # Set when handling raised (a bug, the database away): why. The adapter keeps the event as
    # a dead letter (adapters/receiving.py) and retries it; nothing of it was written.
    failed: str | None = None


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
    # The language of the replies: the main language of the room's community.
    language: str = "en"


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


def help_message(language: str) -> Message:
    """/help in `language`: the command words stay English (the bot understands those)."""

    def t(key: str) -> str:
        return i18n.text(language, key)

    def line(key: str, command: str, example: str = "", **values: object) -> tuple[str | Span, ...]:
        # "/who K7QF: details and headcount": the command and its example, then the words.
        shown: tuple[str | Span, ...] = (command + " ", code(example)) if example else (command,)
        return tuple(i18n.spans(language, key, command=shown, **values))

    example = t("gather.example").removeprefix("/gather ")
    return text_message(
        t("help.intro"),
        ("/gather ", code(example)),
        t("help.series"),
        line("help.join_line", "/join", "K7QF", guests=code("+2")),
        line("help.leave_line", "/leave", "K7QF"),
        line("help.list_line", "/list"),
        line("help.who_line", "/who", "K7QF"),
        line("help.edit_line", "/edit", t("help.edit_example")),
        line("help.cancel_line", "/cancel", "K7QF"),
        line("help.tell_line", "/tell", t("help.tell_example")),
        line("help.link_line", "/link"),
        line("help.settings_line", "/settings"),
        line("help.forget_line", "/forget"),
        line("help.report_line", "/report", "K7QF …"),
        line("help.impact_line", "/impact"),
        t("help.latest"),
    )


HELP = help_message("en")
