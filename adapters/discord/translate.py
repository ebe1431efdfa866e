"""Interactions as core commands: pure functions, tested on recorded payloads.

`Facts` holds what the adapter needs from one interaction; `facts_from_payload` reads it from
the raw INTERACTION_CREATE payload (as recorded), and the network module builds the same from
a discord.py Interaction. Nothing here talks to Discord or the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from core import BUTTON_ACTIONS, BUTTON_ARGUMENT, Button, Command, Identity, RoomRef

NETWORK = "discord"
ADMINISTRATOR = 1 << 3
MANAGE_EVENTS = 1 << 33
CUSTOM_ID_PREFIX = "gather:"
# What the persistent button handler accepts: anything that starts like ours, so that a
# tampered or outdated id still gets a clear answer from us instead of "interaction failed".
CUSTOM_ID_TEMPLATE = r"gather:(?P<action>[^:]{0,20}):(?P<code>.{0,60})"
_CODE = re.compile(r"^[A-Za-z0-9]{2,12}$")
MAX_GUESTS = 20


@dataclass(frozen=True)
class Facts:
    interaction_id: int
    user_id: int
    user_name: str
    display_name: str
    channel_id: int
    guild_id: int | None
    channel_title: str = ""
    permissions: int = 0  # the member's permissions in the channel (0 in a DM)


def facts_from_payload(payload: dict[str, Any]) -> Facts:
    """Facts of a raw INTERACTION_CREATE payload (guild or DM)."""
    member = payload.get("member") or {}
    user = member.get("user") or payload.get("user") or {}
    channel = payload.get("channel") or {}
    guild_id = payload.get("guild_id")
    return Facts(
        interaction_id=int(payload["id"]),
        user_id=int(user["id"]),
        user_name=str(user.get("username", "")),
        display_name=str(member.get("nick") or user.get("global_name") or user.get("username", "")),
        channel_id=int(payload["channel_id"]),
        guild_id=int(guild_id) if guild_id else None,
        channel_title=str(channel.get("name") or ""),
        permissions=int(member.get("permissions") or 0),
    )


def is_admin(permissions: int) -> bool:
    """Manage Events or Administrator: may edit and cancel anyone's gathering here."""
    return bool(permissions & (MANAGE_EVENTS | ADMINISTRATOR))


def command(facts: Facts, text: str) -> Command:
    in_dm = facts.guild_id is None
    return Command(
        actor=Identity(NETWORK, str(facts.user_id), facts.display_name, facts.user_name),
        room=RoomRef(NETWORK, str(facts.channel_id), is_private=in_dm, title=facts.channel_title),
        text=text,
        event_key=f"interaction:{facts.interaction_id}",
        actor_is_admin=not in_dm and is_admin(facts.permissions),
    )


# Slash commands -------------------------------------------------------------------------


def slash_text(name: str, options: dict[str, Any]) -> str | None:
    """'/join K7QF +2' from /join code:K7QF guests:2; None when an option is unusable."""
    word = name.lower()
    code = options.get("code")
    if code is not None:
        code = str(code).strip().upper()
        if not _CODE.match(code):
            return None
    parts = ["/" + word]
    if word == "gather":
        parts.append(_line(options.get("text", "")))
    elif word in ("report", "impact"):
        # /report K7QF 14 came, 32 bags; without a code, the latest that awaits a report.
        parts += [code or "", _line(options.get("text", ""))]
    elif word in ("join", "leave", "who", "link", "cancel", "edit", "tell"):
        if code:
            parts.append(code)
        if word == "join" and options.get("role"):  # "/join K7QF first aider"
            parts.append(" ".join(str(options["role"]).lstrip("+").split()))
        if word == "join" and options.get("guests"):
            guests = int(options["guests"])
            if not 0 < guests <= MAX_GUESTS:
                return None
            parts.append(f"+{guests}")
        if word == "edit":
            parts.append(_line(options.get("change", "")))
        if word == "cancel" and options.get("reason"):
            parts.append(_line(options["reason"]))
        if word == "tell":
            parts.append(_line(options.get("message", "")))
    elif word == "list" and options.get("page"):
        parts.append(f"all {int(options['page'])}")
    elif word == "settings" and options.get("change"):
        parts.append(_line(options["change"]))
    return " ".join(p for p in parts if p)


def _line(value: Any) -> str:
    return " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()


# Buttons --------------------------------------------------------------------------------


def custom_id(button: Button) -> str:
    """'gather:join:K7QF' or 'gather:join:K7QF:driver': static, compact (≤ 100 characters),
    and the same after a restart."""
    custom = f"{CUSTOM_ID_PREFIX}{button.action}:{button.code}"
    if button.argument:
        custom += f":{button.argument}"
    if len(custom) > 100 or button_text(custom) is None:
        raise ValueError(f"cannot make a custom id for {button!r}")
    return custom


_BUTTON_ID = re.compile(
    rf"gather:({'|'.join(BUTTON_ACTIONS)}):([A-Z0-9]{{2,12}})(?::({BUTTON_ARGUMENT}))?"
)


def button_text(custom: str) -> str | None:
    """'/join K7QF driver' for a button of ours; None for unknown or tampered ids."""
    match = _BUTTON_ID.fullmatch(custom)
    if match is None:
        return None
    return " ".join(part for part in (f"/{match.group(1)}", match.group(2), match.group(3)) if part)


def button_code(custom: str) -> str | None:
    text = button_text(custom)
    return text.split()[1] if text else None
