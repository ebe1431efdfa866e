"""Interactions for the fake Discord server: simulated users invoking slash commands,
autocomplete and buttons, and the REST endpoints the bot answers them on."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from aiohttp import web

from .discord_models import (
    DiscordError,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeUser,
    Perm,
    StoredMessage,
    json_response,
    snowflake,
    unknown,
)
from .discord_rest import Route, make_route
from .discord_world import DiscordWorld

APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE = 2, 3, 4
LOADING, EPHEMERAL = 128, 64
DM_APP_PERMISSIONS = Perm.EVERYONE_DEFAULT
T = TypeVar("T")


class Waiting(Protocol):
    """The fake server, as far as a handle needs it: to wait for the bot's answers."""

    async def wait_for(self, predicate: Callable[[], T], timeout: float = ...,
                       message: str = ...) -> T: ...


class InteractionHandle:
    """One simulated interaction and everything the bot answered to it."""

    def __init__(self, server: Waiting, payload: dict[str, Any],
                 channel: FakeChannel, message: StoredMessage | None) -> None:
        self.server = server
        self.payload = payload
        self.id = int(payload["id"])
        self.token: str = payload["token"]
        self.type: int = payload["type"]
        self.channel = channel
        self.message = message  # the message a component sits on
        self.created = time.monotonic()
        self.acknowledged = False
        self.callback: dict[str, Any] | None = None  # body of the first accepted callback
        self.callbacks: list[dict[str, Any]] = []  # every callback POST body, even refused
        self.original: StoredMessage | None = None
        self.followups: list[StoredMessage] = []
        self.edits: list[dict[str, Any]] = []  # PATCH bodies of the original / follow-ups

    @property
    def user_id(self) -> int:
        user = self.payload.get("member", {}).get("user") or self.payload["user"]
        return int(user["id"])

    async def response(self, timeout: float = 5.0) -> dict[str, Any]:
        """The accepted callback body ``{"type": N, "data": {...}}``."""
        await self.server.wait_for(lambda: self.callback is not None, timeout)
        assert self.callback is not None
        return self.callback

    async def followup(self, index: int = 0, timeout: float = 5.0) -> StoredMessage:
        await self.server.wait_for(lambda: len(self.followups) > index, timeout)
        return self.followups[index]

    async def edit(self, index: int = 0, timeout: float = 5.0) -> dict[str, Any]:
        await self.server.wait_for(lambda: len(self.edits) > index, timeout)
        return self.edits[index]

    async def original_message(self, timeout: float = 5.0) -> StoredMessage:
        await self.server.wait_for(lambda: self.original is not None, timeout)
        assert self.original is not None
        return self.original


def _options(options: Any, focused: str | None = None) -> list[dict[str, Any]]:
    if options is None:
        return []
    if isinstance(options, list):
        return options
    out = []
    for name, value in options.items():
        kind = 5 if isinstance(value, bool) else 4 if isinstance(value, int) else \
            10 if isinstance(value, float) else 3
        opt: dict[str, Any] = {"name": name, "type": kind, "value": value}
        if name == focused:
            opt.update(focused=True, value=str(value))
        out.append(opt)
    return out


class InteractionEndpoints:
    """Simulated users invoking commands and buttons, and the endpoints the bot answers on."""

    def __init__(self, world: DiscordWorld, server: Waiting, *, ack_deadline: float,
                 token_lifetime: float) -> None:
        self.world = world
        self.server = server
        self.ack_deadline = ack_deadline
        self.token_lifetime = token_lifetime
        self.handles: dict[int, InteractionHandle] = {}

    # ---------------------------------------------------------------- simulation
    async def slash_command(self, guild: FakeGuild | None,
                            channel: FakeChannel | None, member: FakeMember | FakeUser,
                            name: str, options: Any = None, *, locale: str = "en-US"
                            ) -> InteractionHandle:
        """A user runs ``/name``. ``options``: dict name→value (types inferred) or raw list.
        DM: ``guild=None, channel=None`` and a FakeUser (or the FakeMember's user)."""
        return self._interact(APPLICATION_COMMAND, guild, channel, member,
                              self._command_data(guild, name, _options(options)), None, locale)

    async def autocomplete(self, guild: FakeGuild | None,
                           channel: FakeChannel | None, member: FakeMember | FakeUser,
                           name: str, options: Any, focused: str, *, locale: str = "en-US"
                           ) -> InteractionHandle:
        data = self._command_data(guild, name, _options(options, focused))
        return self._interact(AUTOCOMPLETE, guild, channel, member, data, None, locale)

    async def press_button(self, channel: FakeChannel,
                           member: FakeMember | FakeUser, message_id: int, custom_id: str,
                           *, locale: str = "en-US") -> InteractionHandle:
        msg = self.world.get_message(message_id)
        if custom_id not in msg.custom_ids():
            raise ValueError(f"message {message_id} has no component {custom_id!r}")
        guild = self.world.guilds.get(channel.guild_id) if channel.guild_id else None
        data = {"custom_id": custom_id, "component_type": 2}
        return self._interact(MESSAGE_COMPONENT, guild, channel, member, data, msg, locale)

    def _command_data(self, guild: FakeGuild | None, name: str,
                      options: list[dict[str, Any]]) -> dict[str, Any]:
        registered = None
        if guild is not None:
            registered = next((c for c in self.world.guild_commands.get(guild.id, [])
                               if c["name"] == name), None)
        cmd = registered or next((c for c in self.world.global_commands if c["name"] == name), None)
        data: dict[str, Any] = {"id": cmd["id"] if cmd else str(self._command_id(name)),
                                "name": name, "type": 1, "options": options}
        if registered is not None and guild is not None:
            data["guild_id"] = str(guild.id)
        return data

    def _command_id(self, name: str) -> int:
        return self.world.unsynced_command_ids.setdefault(name, snowflake())

    def _interact(self, type_: int, guild: FakeGuild | None,
                  channel: FakeChannel | None, who: FakeMember | FakeUser,
                  data: dict[str, Any], message: StoredMessage | None, locale: str
                  ) -> InteractionHandle:
        user = who.user if isinstance(who, FakeMember) else who
        if guild is None and channel is None:
            channel = self.world.dm_channel(user)
        assert channel is not None
        payload: dict[str, Any] = {
            "id": str(snowflake()), "application_id": str(self.world.application_id),
            "type": type_, "data": data, "channel_id": str(channel.id),
            "channel": channel.payload(), "token": f"itoken-{snowflake():x}", "version": 1,
            "locale": locale, "entitlements": [], "attachment_size_limit": 10 * 1024 * 1024,
        }
        if guild is not None:
            member = guild.members[user.id] if not isinstance(who, FakeMember) else who
            payload.update(
                guild_id=str(guild.id), guild_locale=guild.locale, context=0,
                guild={"id": str(guild.id), "locale": guild.locale, "features": []},
                member=member.payload(with_permissions=True),
                app_permissions=str(guild.members[self.world.bot_user.id].permissions),
                authorizing_integration_owners={"0": str(guild.id)},
            )
        else:
            payload.update(user=user.payload(), context=1,
                           app_permissions=str(DM_APP_PERMISSIONS),
                           authorizing_integration_owners={"0": "0"})
        if message is not None:
            payload["message"] = message.payload
        handle = InteractionHandle(self.server, payload, channel, message)
        self.handles[handle.id] = handle
        self.world.dispatch("INTERACTION_CREATE", payload)
        return handle

    # ---------------------------------------------------------------- REST
    def routes(self) -> list[Route]:
        r = make_route
        return [
            r("POST", "/interactions/{interaction_id}/{token}/callback", self._callback),
            r("POST", "/webhooks/{webhook_id}/{webhook_token}", self._followup),
            r("GET", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
              self._wh_get),
            r("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
              self._wh_edit),
            r("DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
              self._wh_delete),
        ]

    def _message_extra(self, h: InteractionHandle) -> dict[str, Any]:
        user = self.world.users[h.user_id].payload()
        meta = {"id": str(h.id), "type": h.type, "user": user,
                "authorizing_integration_owners": h.payload["authorizing_integration_owners"]}
        if h.type == APPLICATION_COMMAND:
            meta["name"] = h.payload["data"]["name"]
        if h.message is not None:
            meta["interacted_message_id"] = str(h.message.id)
        return {"webhook_id": str(self.world.application_id),
                "application_id": str(self.world.application_id), "interaction_metadata": meta}

    async def _callback(self, request: web.Request, p: dict[str, str],
                        body: Any) -> web.Response:
        h = self.handles.get(int(p["interaction_id"]) if p["interaction_id"].isdigit()
                                  else -1)
        if h is not None:
            h.callbacks.append(body)
        if h is None or h.token != p["token"] or (
            not h.acknowledged and time.monotonic() - h.created > self.ack_deadline
        ):
            raise unknown("interaction", 10062)
        if h.acknowledged:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        body = body or {}
        kind, data = body.get("type"), body.get("data") or {}
        msg: StoredMessage | None = None
        if kind == 4:
            msg = self.world.create_message(h.channel, self.world.bot_user, data,
                                      type_=20 if h.type == APPLICATION_COMMAND else 19,
                                      extra=self._message_extra(h))
            h.original = msg
        elif kind == 5:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            msg = self.world.create_message(h.channel, self.world.bot_user, {"flags": flags},
                                      type_=20 if h.type == APPLICATION_COMMAND else 19,
                                      extra=self._message_extra(h), validate=False)
            h.original = msg
        elif kind in (6, 7):
            if h.message is None:
                raise DiscordError(400, 40063, "Invalid interaction callback type")
            h.original = h.message
            if kind == 7:
                msg = self.world.edit_message(h.message, data)
        elif kind not in (8, 9):
            raise DiscordError(400, 50035, "Invalid Form Body")
        h.acknowledged = True
        h.callback = body
        if request.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        info: dict[str, Any] = {"id": str(h.id), "type": h.type}
        resource: dict[str, Any] = {"type": kind}
        if msg is not None:
            info.update(response_message_id=msg.payload["id"],
                        response_message_loading=bool(msg.payload["flags"] & LOADING),
                        response_message_ephemeral=msg.ephemeral)
            resource["message"] = msg.payload
        return json_response({"interaction": info, "resource": resource})

    def _webhook_handle(self, p: dict[str, str]) -> InteractionHandle:
        h = next((h for h in self.handles.values() if h.token == p["webhook_token"]), None)
        if h is None or p["webhook_id"] != str(self.world.application_id) or not h.acknowledged:
            raise unknown("Webhook", 10015)
        if time.monotonic() - h.created > self.token_lifetime:
            raise DiscordError(401, 50027, "Invalid Webhook Token")
        return h

    def _webhook_message(self, h: InteractionHandle, mid: str) -> StoredMessage:
        if mid == "@original":
            if h.original is None:
                raise unknown("Message", 10008)
            return h.original
        msg = next((m for m in h.followups if m.payload["id"] == mid), None)
        if msg is None:
            raise unknown("Message", 10008)
        return msg

    async def _followup(self, request: web.Request, p: dict[str, str],
                        body: Any) -> web.Response:
        h = self._webhook_handle(p)
        body = body or {}
        orig = h.original
        if orig is not None and orig.payload["flags"] & LOADING and not h.followups:
            # Discord: the first follow-up after a deferred reply replaces the "thinking" one.
            orig.payload["flags"] &= ~LOADING
            msg = self.world.edit_message(orig, body)
        else:
            msg = self.world.create_message(h.channel, self.world.bot_user, body,
                                      extra=self._message_extra(h))
        h.followups.append(msg)
        if request.query.get("wait") in ("1", "true", "True"):
            return json_response(msg.payload)
        return web.Response(status=204)

    async def _wh_get(self, request: web.Request, p: dict[str, str], body: Any
                      ) -> web.Response:
        return json_response(self._webhook_message(self._webhook_handle(p),
                                                   p["message_id"]).payload)

    async def _wh_edit(self, request: web.Request, p: dict[str, str], body: Any
                       ) -> web.Response:
        h = self._webhook_handle(p)
        msg = self._webhook_message(h, p["message_id"])
        msg.payload["flags"] &= ~LOADING
        self.world.edit_message(msg, body or {})
        h.edits.append(body or {})
        return json_response(msg.payload)

    async def _wh_delete(self, request: web.Request, p: dict[str, str],
                         body: Any) -> web.Response:
        msg = self._webhook_message(self._webhook_handle(p), p["message_id"])
        self.world.delete_message(msg)
        return web.Response(status=204)
