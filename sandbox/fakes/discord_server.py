"""A fake Discord (REST API v10 + gateway websocket) on 127.0.0.1 for tests.

The real discord.py talks to it; nothing in discord.py is patched except its two endpoint
settings::

    async with FakeDiscord(token="t") as dc:
        discord.http.Route.BASE = dc.api_base                        # http://127.0.0.1:P/api/v10
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(dc.gateway_url)

READY carries ``resume_gateway_url = dc.gateway_url`` so resumes come back here too.

``FakeDiscord`` is composed of parts, each in its module: the state (discord_world), the
gateway sessions events are dispatched to (discord_sessions) and their websockets
(discord_gateway), the REST pipeline (discord_rest) and its resources (discord_resources,
discord_guilds, discord_interactions). This class wires them and is the API tests use.
"""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from .discord_gateway import Gateway
from .discord_guilds import GuildResources
from .discord_interactions import InteractionEndpoints, InteractionHandle
from .discord_models import (
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    Perm,
    RecordedRequest,
    StoredMessage,
)
from .discord_resources import CoreResources
from .discord_rest import RestPipeline, rate_limit_body, rate_limit_headers
from .discord_sessions import ALWAYS, GatewaySession, Sessions
from .discord_world import DiscordWorld
from .server import CannedReply, FakeServer, Faults

__all__ = [
    "FakeChannel", "FakeDiscord", "FakeGuild", "FakeMember", "FakeRole", "FakeUser",
    "InteractionHandle", "Perm", "RecordedRequest", "StoredMessage",
]


class FakeDiscord(FakeServer[RecordedRequest]):
    name = "fake Discord"

    def __init__(
        self,
        token: str = "fake-bot-token",
        *,
        bot_name: str = "gather-bot",
        heartbeat_interval: int = 41250,
        ack_deadline: float = 3.0,
        token_lifetime: float = 900.0,
        route_limits: dict[str, tuple[int, float]] | None = None,
        global_limit: int = 50,
        host: str = "127.0.0.1",
    ) -> None:
        super().__init__(host)
        self.token = token
        self.faults = Faults[CannedReply]()
        self.sessions = Sessions()
        self.world = DiscordWorld(self.sessions.dispatch, bot_name)
        self.gateway = Gateway(self.world, self.sessions, token,
                               heartbeat_interval=heartbeat_interval,
                               url=lambda: self.gateway_url, notify=self.notify)
        self.interaction_endpoints = InteractionEndpoints(
            self.world, self, ack_deadline=ack_deadline, token_lifetime=token_lifetime)
        self.rest = RestPipeline(token, self.requests, self.faults, self.notify,
                                 route_limits=route_limits, global_limit=global_limit)
        self.session_start_total = 1000  # GET /gateway/bot's day of starts (tests lower it)
        core = CoreResources(self.world, lambda: self.gateway_url,
                             lambda: self.gateway.identify_count,
                             lambda: self.session_start_total)
        self.rest.routes = (core.routes() + GuildResources(self.world).routes()
                            + self.interaction_endpoints.routes())

    # ---------------------------------------------------------------- lifecycle
    def application(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/api/v10/{tail:.*}", self.rest.handle)
        app.router.add_get("/", self.gateway.handle)
        return app

    async def close_connections(self) -> None:
        await self.gateway.close_all()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/"

    # ---------------------------------------------------------------- world building
    def create_user(self, username: str, *, dm_open: bool = True, bot: bool = False
                    ) -> FakeUser:
        return self.world.create_user(username, dm_open=dm_open, bot=bot)

    def close_dms(self, user: FakeUser | FakeMember, closed: bool = True) -> None:
        """The user refuses DMs from server members: sends to them get 403 / 50007."""
        (user.user if isinstance(user, FakeMember) else user).dm_open = not closed

    def create_guild(self, name: str = "Gather Test Guild", *,
                     bot_permissions: int = Perm.BOT_DEFAULT,
                     everyone_permissions: int = Perm.EVERYONE_DEFAULT) -> FakeGuild:
        """A guild with an owner, the bot as member (managed role with ``bot_permissions``).
        Created after READY, it is announced with GUILD_CREATE."""
        return self.world.create_guild(name, bot_permissions=bot_permissions,
                                       everyone_permissions=everyone_permissions)

    def create_role(self, guild: FakeGuild, name: str, permissions: int) -> FakeRole:
        return self.world.create_role(guild, name, permissions)

    def create_channel(self, guild: FakeGuild, name: str = "general") -> FakeChannel:
        return self.world.create_channel(guild, name)

    def add_member(self, guild: FakeGuild, user: FakeUser | str, *,
                   roles: list[FakeRole] | None = None, permissions: int | None = None,
                   admin: bool = False) -> FakeMember:
        """Add a member. ``permissions`` creates a role granting them; ``admin`` a role with
        ADMINISTRATOR. E.g. ``add_member(g, "ann", permissions=Perm.MANAGE_EVENTS)``."""
        return self.world.add_member(guild, user, roles=roles, permissions=permissions,
                                     admin=admin)

    def dm_channel(self, user: FakeUser | FakeMember) -> FakeChannel:
        """The bot's DM channel with ``user`` (what POST /users/@me/channels returns)."""
        return self.world.dm_channel(user)

    def dispatch(self, event: str, data: dict[str, Any], *, intent: int = ALWAYS) -> None:
        """Send a gateway event to the sessions whose intents include ``intent``."""
        self.sessions.dispatch(event, data, intent=intent)

    # ---------------------------------------------------------------- what people do
    async def slash_command(self, guild: FakeGuild | None, channel: FakeChannel | None,
                            member: FakeMember | FakeUser, name: str, options: Any = None, *,
                            locale: str = "en-US") -> InteractionHandle:
        """A user runs ``/name``. ``options``: dict name→value (types inferred) or raw list.
        DM: ``guild=None, channel=None`` and a FakeUser (or the FakeMember's user)."""
        return await self.interaction_endpoints.slash_command(
            guild, channel, member, name, options, locale=locale)

    async def autocomplete(self, guild: FakeGuild | None, channel: FakeChannel | None,
                           member: FakeMember | FakeUser, name: str, options: Any,
                           focused: str, *, locale: str = "en-US") -> InteractionHandle:
        return await self.interaction_endpoints.autocomplete(
            guild, channel, member, name, options, focused, locale=locale)

    async def press_button(self, channel: FakeChannel, member: FakeMember | FakeUser,
                           message_id: int, custom_id: str, *, locale: str = "en-US"
                           ) -> InteractionHandle:
        return await self.interaction_endpoints.press_button(
            channel, member, message_id, custom_id, locale=locale)

    # ---------------------------------------------------------------- gateway faults
    async def drop_gateway(self, code: int | None = None) -> None:
        """Kill every gateway connection: no close frame when ``code`` is None (1006), else
        a close frame with ``code`` (4000-4009 are resumable). Sessions stay resumable."""
        await self.gateway.drop(code)

    async def invalidate_session(self, resumable: bool = False) -> None:
        """Send op 9 (INVALID_SESSION, d=resumable) on every live connection."""
        await self.gateway.invalidate_session(resumable)

    async def request_reconnect(self) -> None:
        """Send op 7 (RECONNECT): the client closes and resumes."""
        await self.gateway.request_reconnect()

    # ---------------------------------------------------------------- REST faults
    def fail_next(self, method: str, path_regex: str, status: int, body: Any = None,
                  times: int = 1, *, retry_after: float = 0.5,
                  headers: dict[str, str] | None = None) -> None:
        """The next ``times`` requests matching (method or "*", regex searched in the path
        below /api/v10) get ``status``. A 429 without body gets Discord's real rate-limit body
        and headers (Via, Retry-After); other statuses default to ``{"message", "code": 0}``."""
        extra = dict(headers or {})
        if status == 429:
            body = rate_limit_body(retry_after) if body is None else body
            extra = {**rate_limit_headers(retry_after), **extra}
        elif body is None:
            body = {"message": f"{status}: {web.Response(status=status).reason}", "code": 0}
        self.faults.add(method.upper(), CannedReply(status, body, extra), times=times,
                        path_regex=path_regex)

    def set_route_limit(self, route: str, limit: int, per: float) -> None:
        """e.g. ``set_route_limit("POST /channels/{channel_id}/messages", 5, 5.0)``."""
        self.rest.route_limits[route] = (limit, per)

    # ---------------------------------------------------------------- inspection
    def requests_to(self, method: str, path_regex: str) -> list[RecordedRequest]:
        matching = re.compile(path_regex)
        return [r for r in self.requests
                if (method == "*" or r.method == method.upper()) and matching.search(r.path)]

    def channel_messages(self, channel: object) -> list[StoredMessage]:
        return self.world.channel_messages(channel)

    def get_message(self, message_id: int) -> StoredMessage:
        return self.world.get_message(message_id)

    def live_sessions(self) -> list[GatewaySession]:
        return self.sessions.live()

    @property
    def bot_user(self) -> FakeUser:
        return self.world.bot_user

    @property
    def application_id(self) -> int:
        return self.world.application_id

    @property
    def users(self) -> dict[int, FakeUser]:
        return self.world.users

    @property
    def guilds(self) -> dict[int, FakeGuild]:
        return self.world.guilds

    @property
    def channels(self) -> dict[int, FakeChannel]:
        return self.world.channels

    @property
    def messages(self) -> dict[int, list[StoredMessage]]:
        return self.world.messages

    @property
    def global_commands(self) -> list[dict[str, Any]]:
        return self.world.global_commands

    @property
    def guild_commands(self) -> dict[int, list[dict[str, Any]]]:
        return self.world.guild_commands

    @property
    def scheduled_events(self) -> dict[int, dict[int, dict[str, Any]]]:
        return self.world.scheduled_events

    @property
    def interactions(self) -> dict[int, InteractionHandle]:
        return self.interaction_endpoints.handles

    @property
    def identify_count(self) -> int:
        return self.gateway.identify_count

    @property
    def resume_count(self) -> int:
        return self.gateway.resume_count

    @property
    def gateway_queries(self) -> list[dict[str, str]]:
        return self.gateway.gateway_queries

    @property
    def rate_limit_hits(self) -> int:
        return self.rest.rate_limit_hits

    @property
    def invalid_requests(self) -> int:
        return self.rest.invalid_requests
