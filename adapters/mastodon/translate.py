"""Notifications become core commands. Pure: the code lookup is passed in."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from adapters.mastodon.text import html_to_text, without_leading_mentions, without_mention_of
from core import Command, Identity, PledgeSource, RoomRef, split_command

PUBLIC_ROOM = "public"
_NEEDS_CODE = {"join", "leave", "guest", "who", "show"}
# Whether "@gather <text>" with no command word announces a gathering: the core decides, in
# the community's languages (`Gather.reads_as_announcement`).
Announces = Callable[[RoomRef, str], bool]
# What a reply to one of the bot's statuses means when it answers a "Still coming?" check it
# put ("/still K7QF no"), or None: the core decides (`Gather.answer_to_check`).
AnswersCheck = Callable[[str, str], str | None]


@dataclass(frozen=True)
class Translation:
    """What to do with one notification: run `command`, and answer (or not) as said here."""

    command: Command | None
    notification_id: str
    # The status to reply to and the account to address, when the person should get an answer.
    reply_to: str | None = None
    reply_acct: str | None = None
    reply_visibility: str = "direct"
    # No command: answer with the short help instead.
    help: bool = False
    # A boost of an announcement: its status id and the gathering code.
    boosted_status: str | None = None
    code: str | None = None


def identity_of(account: Mapping[str, Any]) -> Identity:
    name = str(account.get("display_name") or account.get("username") or "")
    return Identity("mastodon", str(account["id"]), name, handle=str(account.get("acct") or ""))


def public_room() -> RoomRef:
    return RoomRef("mastodon", PUBLIC_ROOM, is_private=False, title="Mastodon")


def translate(
    notification: Mapping[str, Any],
    *,
    bot_id: str,
    bot_username: str,
    code_for: Callable[[str], str | None],
    announces: Announces,
    reply_visibility: str = "unlisted",
    awaits_report: Callable[[Identity], bool] = lambda actor: False,
    answers_check: AnswersCheck | None = None,
) -> Translation | None:
    """None for notifications that mean nothing to Gather (favourites, follows, the bot's own,
    other bots' mentions, boosts of posts that are not announcements, replies to an
    announcement without a command word)."""
    kind = notification.get("type")
    account = notification.get("account") or {}
    status = notification.get("status") or {}
    notification_id = str(notification.get("id", ""))
    if not notification_id or not account or str(account.get("id")) == str(bot_id):
        return None
    event_key = f"notification:{notification_id}"
    actor = identity_of(account)
    if kind == "reblog":
        status_id = str(status.get("id", ""))
        code = code_for(status_id) if status_id else None
        if code is None:
            return None
        command = Command(
            actor, public_room(), f"/join {code}", event_key=event_key, via=PledgeSource.BOOST
        )
        return Translation(command, notification_id, boosted_status=status_id, code=code)
    if kind != "mention" or not status or account.get("bot"):
        return None  # bots talking to bots is how reply storms start
    visibility = str(status.get("visibility") or "public")
    if visibility == "direct":
        room = RoomRef("mastodon", f"dm:{actor.native_id}", is_private=True, title=actor.handle)
    else:
        room = public_room()
    reply_to = str(status.get("id"))
    reply_acct = actor.handle or str(account.get("username") or "")
    answer_visibility = "direct" if visibility in ("direct", "private") else reply_visibility
    said = without_leading_mentions(
        without_mention_of(html_to_text(status.get("content", "")), bot_username)
    )
    parent = status.get("in_reply_to_id")
    answer = (
        answers_check(str(parent), said)
        if answers_check is not None and parent and split_command(said) is None
        else None
    )
    if answer is not None:
        # "no" (or "nein", "non"...) to the reminder that asked "Still coming?".
        command = Command(actor, room, answer, event_key=event_key, via=PledgeSource.REPLY)
        return Translation(command, notification_id, reply_to, reply_acct, answer_visibility)
    if split_command(said) is None and parent and code_for(str(parent)) is not None:
        # A reply to an announcement with no command word ("thanks for organising, see you
        # Saturday!") is talk about that gathering: never a new one, and no help either.
        return None
    text = command_text(said, status, code_for, lambda said: announces(room, said))
    if text is None and room.is_private and said.strip() and awaits_report(actor):
        # The answer to the core's "how did it go?" DM: a report, in the organiser's words.
        text = f"/report {said.strip()}"
    if text is None:
        return Translation(
            None, notification_id, reply_to, reply_acct, answer_visibility, help=True
        )
    return Translation(
        Command(actor, room, text, event_key=event_key, via=PledgeSource.REPLY),
        notification_id,
        reply_to,
        reply_acct,
        answer_visibility,
    )


def command_text(
    said: str,
    status: Mapping[str, Any],
    code_for: Callable[[str], str | None],
    announces: Callable[[str], bool],
) -> str | None:
    """The command for what a person wrote to the bot; None when it is not one (help)."""
    split = split_command(said)
    if split is not None:
        word, args = split
        words = args.split()
        parent = status.get("in_reply_to_id")
        plain = [w for w in words if not w.startswith("+")]
        code = code_for(str(parent)) if word in _NEEDS_CODE and parent else None
        # "join driver" in reply to an announcement: its code, then the role
        named_other = word == "join" and plain and plain[0].lstrip("#").upper() != code
        if code is not None and (not plain or named_other):
            args = " ".join([code, *words])
        return f"/{word} {args}".strip()
    if announces(said):
        return f"/gather {said}"
    return None
