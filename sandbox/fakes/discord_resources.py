"""The fake Discord's REST resources for the bot itself, channels and messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from .discord_models import DiscordError, Perm, json_response
from .discord_rest import Route, make_route
from .discord_world import DiscordWorld


class CoreResources:
    """/users, /applications/@me, /gateway, /channels and their messages."""

    def __init__(self, world: DiscordWorld, gateway_url: Callable[[], str],
                 identify_count: Callable[[], int],
                 session_start_total: Callable[[], int] = lambda: 1000) -> None:
        self.world = world
        self.gateway_url = gateway_url
        self.identify_count = identify_count
        self.session_start_total = session_start_total

    def routes(self) -> list[Route]:
        r = make_route
        return [
            r("GET", "/users/@me", self._get_me),
            r("GET", "/users/{user_id}", self._get_user),
            r("GET", "/oauth2/applications/@me", self._get_app),
            r("GET", "/applications/@me", self._get_app),
            r("GET", "/gateway", self._get_gateway),
            r("GET", "/gateway/bot", self._get_gateway_bot),
            r("POST", "/users/@me/channels", self._create_dm),
            r("GET", "/channels/{channel_id}", self._get_channel),
            r("POST", "/channels/{channel_id}/messages", self._post_message),
            r("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message),
            r("PATCH", "/channels/{channel_id}/messages/{message_id}", self._patch_message),
            r("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_message),
        ]

    # ---------------------------------------------------------------- users / app / gateway
    async def _get_me(self, request: web.Request, p: dict[str, str], body: Any
                      ) -> web.Response:
        return json_response({**self.world.bot_user.payload(), "verified": True,
                              "mfa_enabled": False, "locale": "en-US", "email": None})

    async def _get_user(self, request: web.Request, p: dict[str, str], body: Any
                        ) -> web.Response:
        return json_response(self.world.user(p["user_id"]).payload())

    async def _get_app(self, request: web.Request, p: dict[str, str], body: Any
                       ) -> web.Response:
        world = self.world
        return json_response({
            "id": str(world.application_id), "name": world.bot_user.username, "icon": None,
            "description": "", "summary": "", "type": None, "bot_public": True,
            "bot_require_code_grant": False, "verify_key": "0" * 64, "flags": 0,
            "owner": world.owner.payload(), "team": None, "bot": world.bot_user.payload(),
            "interactions_endpoint_url": None, "redirect_uris": [], "tags": [],
            "approximate_guild_count": len(world.guilds),
        })

    async def _get_gateway(self, request: web.Request, p: dict[str, str], body: Any
                           ) -> web.Response:
        return json_response({"url": self.gateway_url().rstrip("/")})

    async def _get_gateway_bot(self, request: web.Request, p: dict[str, str], body: Any
                               ) -> web.Response:
        total, identified = self.session_start_total(), self.identify_count()
        return json_response({
            "url": self.gateway_url().rstrip("/"), "shards": 1,
            # Every IDENTIFY counts against the day's starts (Discord resets the token at 0).
            "session_start_limit": {"total": total, "remaining": max(0, total - identified),
                                    "reset_after": 86_400_000, "max_concurrency": 1},
        })

    # ---------------------------------------------------------------- channels / messages
    async def _create_dm(self, request: web.Request, p: dict[str, str], body: Any
                         ) -> web.Response:
        user = self.world.user((body or {}).get("recipient_id", 0))
        return json_response(self.world.dm_channel(user).payload())

    async def _get_channel(self, request: web.Request, p: dict[str, str], body: Any
                           ) -> web.Response:
        return json_response(self.world.channel(p["channel_id"]).payload())

    async def _post_message(self, request: web.Request, p: dict[str, str], body: Any
                            ) -> web.Response:
        world = self.world
        channel = world.channel(p["channel_id"])
        if channel.type == 1:
            assert channel.recipient is not None
            if not channel.recipient.dm_open:
                raise DiscordError(403, 50007, "Cannot send messages to this user")
        else:
            need = Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES
            if world.bot_permissions(world.guilds[channel.guild_id or 0]) & need != need:
                raise DiscordError(403, 50013, "Missing Permissions")
        msg = world.create_message(channel, world.bot_user, body or {})
        return json_response(msg.payload)

    async def _get_message(self, request: web.Request, p: dict[str, str], body: Any
                           ) -> web.Response:
        return json_response(self.world.stored(p["channel_id"], p["message_id"]).payload)

    async def _patch_message(self, request: web.Request, p: dict[str, str], body: Any
                             ) -> web.Response:
        msg = self.world.stored(p["channel_id"], p["message_id"])
        if int(msg.payload["author"]["id"]) != self.world.bot_user.id:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        return json_response(self.world.edit_message(msg, body or {}).payload)

    async def _delete_message(self, request: web.Request, p: dict[str, str], body: Any
                              ) -> web.Response:
        self.world.delete_message(self.world.stored(p["channel_id"], p["message_id"]))
        return web.Response(status=204)
