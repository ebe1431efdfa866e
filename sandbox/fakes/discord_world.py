"""What the fake Discord knows: users, guilds, channels, messages, events and commands.

Every change people can see is dispatched to the gateway sessions through ``dispatch``
(``Sessions.dispatch``), as Discord does; the REST resources and the simulated users
(discord_resources.py, discord_guilds.py, discord_interactions.py) change the world through
this class.
"""

from __future__ import annotations

import collections
from typing import Any

from .discord_models import (
    DiscordError,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    Perm,
    StoredMessage,
    iso_now,
    resolve_mentions,
    snowflake,
    unknown,
)
from .discord_sessions import Dispatch


class DiscordWorld:
    def __init__(self, dispatch: Dispatch, bot_name: str) -> None:
        self.dispatch = dispatch
        self.bot_user = FakeUser(snowflake(), bot_name, bot=True)
        self.application_id = self.bot_user.id  # as for every bot created since 2020
        self.owner = FakeUser(snowflake(), "app-owner")
        self.users: dict[int, FakeUser] = {u.id: u for u in (self.bot_user, self.owner)}
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        self.messages: dict[int, list[StoredMessage]] = collections.defaultdict(list)
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.scheduled_events: dict[int, dict[int, dict[str, Any]]] = collections.defaultdict(dict)
        self.unsynced_command_ids: dict[str, int] = {}  # commands run before any sync
        self._dm_channels: dict[int, FakeChannel] = {}
        self._message_index: dict[int, StoredMessage] = {}

    # ---------------------------------------------------------------- world building
    def create_user(self, username: str, *, dm_open: bool = True, bot: bool = False
                    ) -> FakeUser:
        user = FakeUser(snowflake(), username, bot=bot, dm_open=dm_open)
        self.users[user.id] = user
        return user

    def create_guild(self, name: str, *, bot_permissions: int, everyone_permissions: int
                     ) -> FakeGuild:
        guild = FakeGuild(snowflake(), name, self.owner.id)
        guild.everyone.permissions = everyone_permissions
        self.guilds[guild.id] = guild
        guild.members[self.owner.id] = FakeMember(self.owner, guild)
        bot_role = self.create_role(guild, self.bot_user.username, bot_permissions)
        guild.members[self.bot_user.id] = FakeMember(self.bot_user, guild, [bot_role])
        self.dispatch("GUILD_CREATE", guild.payload(), intent=0)
        return guild

    def create_role(self, guild: FakeGuild, name: str, permissions: int) -> FakeRole:
        role = FakeRole(snowflake(), guild.id, name, permissions, position=len(guild.roles))
        guild.roles[role.id] = role
        return role

    def create_channel(self, guild: FakeGuild, name: str) -> FakeChannel:
        channel = FakeChannel(snowflake(), name, guild.id, position=len(guild.channels))
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        self.dispatch("CHANNEL_CREATE", channel.payload(), intent=0)
        return channel

    def add_member(self, guild: FakeGuild, user: FakeUser | str, *,
                   roles: list[FakeRole] | None = None, permissions: int | None = None,
                   admin: bool = False) -> FakeMember:
        if isinstance(user, str):
            user = self.create_user(user)
        member_roles = list(roles or [])
        if permissions is not None:
            member_roles.append(self.create_role(guild, f"{user.username}-role", permissions))
        if admin:
            member_roles.append(self.create_role(guild, "Admin", Perm.ADMINISTRATOR))
        member = FakeMember(user, guild, member_roles)
        guild.members[user.id] = member
        return member

    def dm_channel(self, user: FakeUser | FakeMember) -> FakeChannel:
        if isinstance(user, FakeMember):
            user = user.user
        channel = self._dm_channels.get(user.id)
        if channel is None:
            channel = FakeChannel(snowflake(), None, type=1, recipient=user)
            self._dm_channels[user.id] = channel
            self.channels[channel.id] = channel
        return channel

    def bot_permissions(self, guild: FakeGuild) -> int:
        return guild.members[self.bot_user.id].permissions

    # ---------------------------------------------------------------- messages
    def create_message(self, channel: FakeChannel, author: FakeUser, body: dict[str, Any], *,
                       type_: int = 0, extra: dict[str, Any] | None = None,
                       validate: bool = True) -> StoredMessage:
        """Validate ``body`` like Discord and store a new message (dispatches MESSAGE_CREATE)."""
        if validate:
            validate_message(body, creating=True)
        content = body.get("content") or ""
        allowed = body.get("allowed_mentions")
        mentions, roles, everyone = resolve_mentions(content, allowed, self.users)
        payload: dict[str, Any] = {
            "id": str(snowflake()), "channel_id": str(channel.id), "type": type_,
            "content": content, "author": author.payload(), "attachments": [],
            "embeds": body.get("embeds") or [], "components": body.get("components") or [],
            "mentions": mentions, "mention_roles": roles, "mention_everyone": everyone,
            "pinned": False, "tts": bool(body.get("tts")), "timestamp": iso_now(),
            "edited_timestamp": None, "flags": int(body.get("flags") or 0),
        }
        if body.get("nonce") is not None:
            payload["nonce"] = body["nonce"]
        payload.update(extra or {})
        msg = StoredMessage(payload, allowed, [body])
        self.messages[channel.id].append(msg)
        self._message_index[msg.id] = msg
        if not msg.ephemeral:
            self._dispatch_message_event("MESSAGE_CREATE", channel, msg)
        return msg

    def edit_message(self, msg: StoredMessage, body: dict[str, Any]) -> StoredMessage:
        validate_message(body, creating=False)
        for key in ("content", "embeds", "components", "flags"):
            if key in body and body[key] is not None:
                msg.payload[key] = body[key]
        if "allowed_mentions" in body:
            msg.allowed_mentions = body["allowed_mentions"]
        mentions, roles, everyone = resolve_mentions(msg.content, msg.allowed_mentions,
                                                     self.users)
        msg.payload.update(mentions=mentions, mention_roles=roles, mention_everyone=everyone,
                           edited_timestamp=iso_now())
        msg.history.append(body)
        if not msg.ephemeral:
            self._dispatch_message_event("MESSAGE_UPDATE", self.channel(msg.channel_id), msg)
        return msg

    def delete_message(self, msg: StoredMessage) -> None:
        self.messages[msg.channel_id].remove(msg)
        self._message_index.pop(msg.id, None)

    def channel_messages(self, channel: object) -> list[StoredMessage]:
        """Messages of a channel: anything with an ``id`` (ours or discord.py's), or an id."""
        channel_id = getattr(channel, "id", channel)
        return list(self.messages.get(parse_id(channel_id), []))

    def get_message(self, message_id: int) -> StoredMessage:
        return self._message_index[int(message_id)]

    def _dispatch_message_event(self, event: str, channel: FakeChannel,
                                msg: StoredMessage) -> None:
        data = dict(msg.payload)
        if channel.guild_id is not None:
            data["guild_id"] = str(channel.guild_id)
            member = self.guilds[channel.guild_id].members.get(int(data["author"]["id"]))
            if member is not None:
                data["member"] = {k: v for k, v in member.payload().items() if k != "user"}
        self.dispatch(event, data, intent=9 if channel.guild_id is not None else 12)

    # ---------------------------------------------------------------- lookups (404 if absent)
    def user(self, user_id: object) -> FakeUser:
        user = self.users.get(parse_id(user_id))
        if user is None:
            raise unknown("User", 10013)
        return user

    def channel(self, channel_id: object) -> FakeChannel:
        channel = self.channels.get(parse_id(channel_id))
        if channel is None:
            raise unknown("Channel", 10003)
        return channel

    def guild(self, guild_id: object) -> FakeGuild:
        guild = self.guilds.get(parse_id(guild_id))
        if guild is None:
            raise unknown("Guild", 10004)
        return guild

    def stored(self, channel_id: object, message_id: object) -> StoredMessage:
        self.channel(channel_id)
        msg = self._message_index.get(parse_id(message_id))
        if msg is None or msg.channel_id != parse_id(channel_id):
            raise unknown("Message", 10008)
        return msg


def parse_id(value: object) -> int:
    """A snowflake from a path or body; -1 (found nowhere) when it is not a number."""
    if isinstance(value, int | float | str):
        try:
            return int(value)
        except ValueError:
            return -1
    return -1


def form_error(field_name: str, code: str, message: str) -> DiscordError:
    return DiscordError(400, 50035, "Invalid Form Body",
                        {field_name: {"_errors": [{"code": code, "message": message}]}})


def validate_message(body: dict[str, Any], *, creating: bool) -> None:
    content = body.get("content") or ""
    if len(content) > 2000:
        raise form_error("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
    if creating and not (content or body.get("embeds") or body.get("components")
                         or body.get("attachments") or body.get("sticker_ids")):
        raise DiscordError(400, 50006, "Cannot send an empty message")
    for custom_id in StoredMessage({"components": body.get("components") or []},
                                   None).custom_ids():
        if not 1 <= len(custom_id) <= 100:
            raise form_error("components", "BASE_TYPE_BAD_LENGTH",
                             "Must be between 1 and 100 in length.")
