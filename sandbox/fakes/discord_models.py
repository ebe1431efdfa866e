"""Data model and payload builders for the fake Discord server (see discord_server.py)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

DISCORD_EPOCH_MS = 1420070400000
_counter = itertools.count()


class Perm:
    """Permission bits (https://discord.com/developers/docs/topics/permissions)."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    MANAGE_ROLES = 1 << 28
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_EVENTS = 1 << 33
    SEND_MESSAGES_IN_THREADS = 1 << 38
    CREATE_EVENTS = 1 << 44
    ALL = (1 << 51) - 1
    EVERYONE_DEFAULT = (
        VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | ADD_REACTIONS | EMBED_LINKS
        | USE_APPLICATION_COMMANDS | USE_EXTERNAL_EMOJIS | CREATE_INSTANT_INVITE
        | SEND_MESSAGES_IN_THREADS
    )
    BOT_DEFAULT = EVERYONE_DEFAULT | MANAGE_EVENTS | MANAGE_MESSAGES | CREATE_EVENTS


def snowflake() -> int:
    """A fresh snowflake carrying the current time, like Discord's."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (ms << 22) | (1 << 17) | (next(_counter) & 0xFFF)


def iso_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """JSON reply with Content-Type exactly ``application/json`` (discord.py requires it)."""
    resp = web.Response(status=status, body=json.dumps(data).encode(), headers=headers)
    resp.headers["Content-Type"] = "application/json"
    return resp


class DiscordError(Exception):
    """Raised inside handlers: turned into Discord's JSON error body."""

    def __init__(self, status: int, code: int, message: str, errors: Any = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status, self.code, self.message, self.errors = status, code, message, errors

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def unknown(what: str, code: int) -> DiscordError:
    return DiscordError(404, code, f"Unknown {what}")


@dataclass
class FakeUser:
    id: int
    username: str
    bot: bool = False
    dm_open: bool = True
    global_name: str | None = None

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id), "username": self.username, "discriminator": "0",
            "global_name": self.global_name or self.username, "avatar": None,
            "bot": self.bot, "public_flags": 0, "flags": 0,
        }


@dataclass
class FakeRole:
    id: int
    guild_id: int
    name: str
    permissions: int
    position: int = 1

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id), "name": self.name, "permissions": str(self.permissions),
            "color": 0, "colors": {"primary_color": 0, "secondary_color": None,
                                    "tertiary_color": None},
            "hoist": False, "icon": None, "unicode_emoji": None, "position": self.position,
            "managed": False, "mentionable": False, "flags": 0,
        }


@dataclass
class FakeChannel:
    id: int
    name: str | None
    guild_id: int | None = None
    type: int = 0  # 0 GUILD_TEXT, 1 DM
    recipient: FakeUser | None = None
    position: int = 0

    def payload(self) -> dict[str, Any]:
        if self.type == 1:
            assert self.recipient is not None
            return {"id": str(self.id), "type": 1, "last_message_id": None, "flags": 0,
                    "recipients": [self.recipient.payload()]}
        return {
            "id": str(self.id), "type": self.type, "guild_id": str(self.guild_id),
            "name": self.name, "position": self.position, "permission_overwrites": [],
            "nsfw": False, "topic": None, "last_message_id": None, "rate_limit_per_user": 0,
            "parent_id": None, "flags": 0,
        }


@dataclass
class FakeMember:
    user: FakeUser
    guild: FakeGuild
    roles: list[FakeRole] = field(default_factory=list)
    joined_at: str = field(default_factory=iso_now)
    nick: str | None = None

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def permissions(self) -> int:
        perms = self.guild.everyone.permissions
        for role in self.roles:
            perms |= role.permissions
        if self.guild.owner_id == self.user.id or perms & Perm.ADMINISTRATOR:
            return Perm.ALL
        return perms

    def payload(self, *, with_permissions: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "user": self.user.payload(), "nick": self.nick, "avatar": None, "banner": None,
            "roles": [str(r.id) for r in self.roles], "joined_at": self.joined_at,
            "premium_since": None, "deaf": False, "mute": False, "flags": 0,
            "pending": False, "communication_disabled_until": None,
        }
        if with_permissions:
            data["permissions"] = str(self.permissions)
        return data


@dataclass
class FakeGuild:
    id: int
    name: str
    owner_id: int
    everyone: FakeRole = field(init=False)
    roles: dict[int, FakeRole] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    members: dict[int, FakeMember] = field(default_factory=dict)
    locale: str = "en-US"

    def __post_init__(self) -> None:
        self.everyone = FakeRole(self.id, self.id, "@everyone", Perm.EVERYONE_DEFAULT, 0)
        self.roles[self.id] = self.everyone

    def payload(self) -> dict[str, Any]:
        """Full GUILD_CREATE payload."""
        return {
            "id": str(self.id), "name": self.name, "icon": None, "splash": None,
            "discovery_splash": None, "owner_id": str(self.owner_id), "afk_channel_id": None,
            "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 1,
            "explicit_content_filter": 0, "features": [], "mfa_level": 0,
            "application_id": None, "system_channel_id": None, "system_channel_flags": 0,
            "rules_channel_id": None, "vanity_url_code": None, "description": None,
            "banner": None, "premium_tier": 0, "premium_subscription_count": 0,
            "preferred_locale": self.locale, "public_updates_channel_id": None,
            "nsfw_level": 0, "premium_progress_bar_enabled": False, "emojis": [],
            "stickers": [], "roles": [r.payload() for r in self.roles.values()],
            "joined_at": iso_now(), "large": False, "unavailable": False,
            "member_count": len(self.members), "voice_states": [],
            "members": [m.payload() for m in self.members.values()],
            "channels": [c.payload() for c in self.channels.values()],
            "threads": [], "presences": [], "stage_instances": [],
            "guild_scheduled_events": [], "soundboard_sounds": [],
        }


MENTION_USER = re.compile(r"<@!?(\d+)>")
MENTION_ROLE = re.compile(r"<@&(\d+)>")


def resolve_mentions(
    content: str, allowed: dict[str, Any] | None, users: dict[int, FakeUser]
) -> tuple[list[dict[str, Any]], list[str], bool]:
    """(mentions, mention_roles, mention_everyone) the way Discord applies allowed_mentions."""
    parse = ["users", "roles", "everyone"] if allowed is None else list(allowed.get("parse", []))
    ok_users = {int(u) for u in (allowed or {}).get("users", [])}
    ok_roles = {int(r) for r in (allowed or {}).get("roles", [])}
    mentions = []
    for uid in dict.fromkeys(int(x) for x in MENTION_USER.findall(content)):
        if ("users" in parse or uid in ok_users) and uid in users:
            mentions.append(users[uid].payload())
    roles = [
        rid for rid in dict.fromkeys(MENTION_ROLE.findall(content))
        if "roles" in parse or int(rid) in ok_roles
    ]
    everyone = "everyone" in parse and ("@everyone" in content or "@here" in content)
    return mentions, roles, everyone


@dataclass
class StoredMessage:
    """A message as users currently see it, plus what was sent to produce it."""

    payload: dict[str, Any]
    allowed_mentions: dict[str, Any] | None
    history: list[dict[str, Any]] = field(default_factory=list)  # every request body applied

    @property
    def id(self) -> int:
        return int(self.payload["id"])

    @property
    def channel_id(self) -> int:
        return int(self.payload["channel_id"])

    @property
    def content(self) -> str:
        return str(self.payload["content"])

    @property
    def components(self) -> list[dict[str, Any]]:
        return list(self.payload.get("components", []))

    @property
    def ephemeral(self) -> bool:
        return bool(self.payload.get("flags", 0) & 64)

    def custom_ids(self) -> list[str]:
        """All custom_ids found in the message's components (any nesting)."""
        found: list[str] = []

        def walk(items: list[dict[str, Any]]) -> None:
            for item in items:
                if "custom_id" in item:
                    found.append(item["custom_id"])
                walk(item.get("components", []))
                if isinstance(item.get("accessory"), dict):
                    walk([item["accessory"]])

        walk(self.components)
        return found


@dataclass
class RecordedRequest:
    method: str
    path: str  # below /api/v10, e.g. /channels/1/messages
    query: dict[str, str]
    json: Any
    time: float
    route: str | None = None  # template, e.g. "POST /channels/{channel_id}/messages"
    status: int | None = None
