"""A fake Discord (REST API v10 + gateway websocket) on 127.0.0.1 for tests.

The real discord.py talks to it; nothing in discord.py is patched except its two endpoint
settings::

    async with FakeDiscord(token="t") as dc:
        discord.http.Route.BASE = dc.api_base                        # http://127.0.0.1:P/api/v10
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(dc.gateway_url)

READY carries ``resume_gateway_url = dc.gateway_url`` so resumes come back here too.
Modules: discord_models (payloads), discord_rest (REST pipeline, rate limits, faults,
messages), discord_guilds (members, scheduled events, commands), discord_gateway
(websocket sessions), discord_interactions (simulated users and their interactions).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web

from .discord_gateway import GatewayMixin
from .discord_guilds import GuildRestMixin
from .discord_interactions import InteractionHandle, InteractionsMixin
from .discord_models import (
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    Perm,
    RecordedRequest,
    StoredMessage,
    snowflake,
)
from .discord_rest import RestMixin

__all__ = [
    "FakeChannel", "FakeDiscord", "FakeGuild", "FakeMember", "FakeRole", "FakeUser",
    "InteractionHandle", "Perm", "RecordedRequest", "StoredMessage",
]

T = TypeVar("T")


class FakeDiscord(RestMixin, GuildRestMixin, GatewayMixin, InteractionsMixin):
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
        self.token = token
        self.host = host
        self.port = 0
        self.bot_user = FakeUser(snowflake(), bot_name, bot=True)
        self.application_id = self.bot_user.id  # as for every bot created since 2020
        self.owner = FakeUser(snowflake(), "app-owner")
        self.users: dict[int, FakeUser] = {u.id: u for u in (self.bot_user, self.owner)}
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        self._dm_channels: dict[int, FakeChannel] = {}
        self._unsynced_command_ids: dict[str, int] = {}
        self._changed = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._runner: web.AppRunner | None = None
        self._rest_init(route_limits, global_limit)
        self._gateway_init(heartbeat_interval)
        self._interactions_init(ack_deadline, token_lifetime)
        self._routes = self._rest_routes() + self._guild_routes() + self._interaction_routes()

    # ---------------------------------------------------------------- lifecycle
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/"

    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_route("*", "/api/v10/{tail:.*}", self._handle_rest)
        app.router.add_get("/", self._handle_gateway)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        for conn in list(self.connections):
            conn.queue.put_nowait(None)
            await conn.ws.close(code=1001, message=b"server shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ---------------------------------------------------------------- waiting
    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        """Wait until ``predicate()`` is truthy (re-checked after every request, gateway
        frame and connection change) and return its value."""
        try:
            async with asyncio.timeout(timeout):
                while not (result := predicate()):
                    await self._changed.wait()
                return result
        except TimeoutError:
            raise TimeoutError(f"fake Discord: condition not met within {timeout}s") from None

    # ---------------------------------------------------------------- world building
    def create_user(self, username: str, *, dm_open: bool = True, bot: bool = False
                    ) -> FakeUser:
        user = FakeUser(snowflake(), username, bot=bot, dm_open=dm_open)
        self.users[user.id] = user
        return user

    def close_dms(self, user: FakeUser | FakeMember, closed: bool = True) -> None:
        """The user refuses DMs from server members: sends to them get 403 / 50007."""
        (user.user if isinstance(user, FakeMember) else user).dm_open = not closed

    def create_guild(self, name: str = "Gather Test Guild", *,
                     bot_permissions: int = Perm.BOT_DEFAULT,
                     everyone_permissions: int = Perm.EVERYONE_DEFAULT) -> FakeGuild:
        """A guild with an owner, the bot as member (managed role with ``bot_permissions``).
        Created after READY, it is announced with GUILD_CREATE."""
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

    def create_channel(self, guild: FakeGuild, name: str = "general") -> FakeChannel:
        channel = FakeChannel(snowflake(), name, guild.id, position=len(guild.channels))
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        self.dispatch("CHANNEL_CREATE", channel.payload(), intent=0)
        return channel

    def add_member(self, guild: FakeGuild, user: FakeUser | str, *,
                   roles: list[FakeRole] | None = None, permissions: int | None = None,
                   admin: bool = False) -> FakeMember:
        """Add a member. ``permissions`` creates a role granting them; ``admin`` a role with
        ADMINISTRATOR. E.g. ``add_member(g, "ann", permissions=Perm.MANAGE_EVENTS)``."""
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
        """The bot's DM channel with ``user`` (what POST /users/@me/channels returns)."""
        if isinstance(user, FakeMember):
            user = user.user
        channel = self._dm_channels.get(user.id)
        if channel is None:
            channel = FakeChannel(snowflake(), None, type=1, recipient=user)
            self._dm_channels[user.id] = channel
            self.channels[channel.id] = channel
        return channel
