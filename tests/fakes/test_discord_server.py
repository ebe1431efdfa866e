"""The real discord.py against the fake Discord server (sandbox/fakes/discord_server.py)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from sandbox.fakes.discord_server import FakeDiscord, FakeGuild, Perm

TOKEN = "fake-token-for-tests"
FAST = {"guild_ready_timeout": 0.2}  # a documented Client option: on_ready sooner


@pytest.fixture
async def dc() -> AsyncIterator[FakeDiscord]:
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    async with FakeDiscord(token=TOKEN) as server:
        Route.BASE = server.api_base
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(server.gateway_url)
        try:
            yield server
        finally:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


class World:
    def __init__(self, dc: FakeDiscord) -> None:
        self.guild: FakeGuild = dc.create_guild("Gatherers")
        self.channel = dc.create_channel(self.guild, "events")
        self.organiser = dc.add_member(self.guild, "olga", permissions=Perm.MANAGE_EVENTS)
        self.admin = dc.add_member(self.guild, "ada", admin=True)
        self.member = dc.add_member(self.guild, "mo")
        self.closed = dc.add_member(self.guild, "cleo")
        dc.close_dms(self.closed)


@pytest.fixture
def world(dc: FakeDiscord) -> World:
    return World(dc)


class JoinView(discord.ui.View):
    def __init__(self, bot: Bot) -> None:
        super().__init__(timeout=None)
        self.bot = bot

    @discord.ui.button(label="Join", style=discord.ButtonStyle.success, custom_id="gather:join")
    async def join(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        self.bot.pressed.append(interaction.user.id)
        await interaction.response.send_message(f"{interaction.user.name} joined", ephemeral=True)


class Bot(discord.Client):
    def __init__(self, **options: Any) -> None:
        super().__init__(intents=discord.Intents.default(), **options)
        self.tree = app_commands.CommandTree(self)
        self.ready_count = 0
        self.pressed: list[int] = []
        self.errors: list[discord.HTTPException] = []
        self.seen: list[discord.Interaction] = []
        self._register()

    async def setup_hook(self) -> None:
        self.add_view(JoinView(self))

    async def on_ready(self) -> None:
        self.ready_count += 1

    def _register(self) -> None:
        tree, bot = self.tree, self

        @tree.command(name="gather", description="Announce a gathering")
        async def gather(interaction: discord.Interaction, title: str) -> None:
            bot.seen.append(interaction)
            await interaction.response.send_message(
                f"Gathering: {title}", view=JoinView(bot),
                allowed_mentions=discord.AllowedMentions.none())

        @tree.command(name="slow", description="Deferred answer")
        async def slow(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await asyncio.sleep(0.05)
            await interaction.followup.send("done slowly")
            await interaction.followup.send("and one more")
            await interaction.edit_original_response(content="done slowly (edited)")

        @tree.command(name="hello", description="Answers, possibly too late")
        async def hello(interaction: discord.Interaction, delay: float = 0.0) -> None:
            await asyncio.sleep(delay)
            try:
                await interaction.response.send_message("hello")
            except discord.HTTPException as exc:
                bot.errors.append(exc)

        @tree.command(name="city", description="Pick a city")
        async def city(interaction: discord.Interaction, name: str) -> None:
            await interaction.response.send_message(name)

        @city.autocomplete("name")
        async def city_names(interaction: discord.Interaction, current: str
                             ) -> list[app_commands.Choice[str]]:
            cities = ["Berlin", "Bern", "Paris"]
            return [app_commands.Choice(name=c, value=c) for c in cities if c.startswith(current)]


@contextlib.asynccontextmanager
async def running(bot: discord.Client) -> AsyncIterator[discord.Client]:
    task = asyncio.create_task(bot.start(TOKEN))
    ready = asyncio.create_task(bot.wait_until_ready())
    try:
        await asyncio.wait({task, ready}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()
        assert bot.is_ready(), "client did not become ready"
        yield bot
    finally:
        ready.cancel()
        await bot.close()
        await task


async def test_login_ready_and_guild_cached_with_default_client(dc: FakeDiscord, world: World):
    client = discord.Client(intents=discord.Intents.default())
    async with running(client):
        guild = client.get_guild(world.guild.id)
        assert guild is not None and guild.name == "Gatherers"
        assert client.get_channel(world.channel.id) is not None
        assert client.user is not None and client.user.id == dc.bot_user.id
        assert client.application_id == dc.application_id
        assert guild.me.guild_permissions.manage_events
    assert [r.path for r in dc.requests[:2]] == ["/users/@me", "/oauth2/applications/@me"]
    assert dc.identify_count == 1
    assert dc.gateway_queries[0] == {"v": "10", "encoding": "json", "compress": "zlib-stream"}


async def test_slash_command_reply_with_view_and_sync(dc: FakeDiscord, world: World):
    bot = Bot(**FAST)
    async with running(bot):
        await bot.tree.sync()
        assert {c["name"] for c in dc.global_commands} == {"gather", "slow", "hello", "city"}
        h = await dc.slash_command(world.guild, world.channel, world.organiser, "gather",
                                   {"title": "Picnic @everyone"})
        body = await h.response()
        assert body["type"] == 4
        msg = await h.original_message()
        assert msg.content == "Gathering: Picnic @everyone"
        assert msg.custom_ids() == ["gather:join"]
        assert msg.payload["mention_everyone"] is False
        assert dc.channel_messages(world.channel) == [msg]
        seen = bot.seen[0]
        assert seen.permissions.manage_events and seen.app_permissions.manage_events
        assert seen.guild_id == world.guild.id and seen.channel_id == world.channel.id


async def test_deferred_then_followups(dc: FakeDiscord, world: World):
    bot = Bot(**FAST)
    async with running(bot):
        h = await dc.slash_command(world.guild, world.channel, world.member, "slow")
        assert (await h.response())["type"] == 5
        first = await h.followup(0)
        second = await h.followup(1)
        assert (await h.edit(0))["content"] == "done slowly (edited)"
    # Discord: the first follow-up after a deferred reply replaces the "thinking" message.
    assert first is h.original and first.content == "done slowly (edited)"
    assert [b.get("content") for b in first.history] == [
        None, "done slowly", "done slowly (edited)"]
    assert not first.payload["flags"] & 128
    assert second.content == "and one more" and second.id != first.id


async def test_persistent_button_survives_restart(dc: FakeDiscord, world: World):
    bot = Bot(**FAST)
    async with running(bot):
        h = await dc.slash_command(world.guild, world.channel, world.organiser, "gather",
                                   {"title": "Cleanup"})
        posted = await h.original_message()
        press = await dc.press_button(world.channel, world.member, posted.id, "gather:join")
        reply = await press.response()
        assert reply["type"] == 4 and reply["data"]["flags"] == 64
        assert bot.pressed == [world.member.id]
    restarted = Bot(**FAST)
    async with running(restarted):
        press = await dc.press_button(world.channel, world.admin, posted.id, "gather:join")
        reply = await press.response()
        assert reply["data"]["content"] == "ada joined"
        assert restarted.pressed == [world.admin.id]
    assert dc.identify_count == 2


async def test_allowed_mentions_recorded(dc: FakeDiscord, world: World):
    async with running(Bot(**FAST)) as bot:
        channel = bot.get_channel(world.channel.id)
        assert isinstance(channel, discord.TextChannel)
        text = f"@everyone <@{world.member.id}> party"
        quiet = await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
        loud = await channel.send(text)
        await quiet.edit(content="edited @everyone")
    stored_quiet, stored_loud = dc.channel_messages(world.channel)
    assert stored_quiet.id == quiet.id and stored_loud.id == loud.id
    assert stored_quiet.allowed_mentions == {"parse": []}
    assert stored_quiet.content == "edited @everyone" and stored_quiet.payload["edited_timestamp"]
    assert not stored_quiet.payload["mention_everyone"] and not quiet.mentions
    assert stored_loud.allowed_mentions is None
    assert loud.mention_everyone and [u.id for u in loud.mentions] == [world.member.id]


async def test_dm_refused_is_forbidden_50007(dc: FakeDiscord, world: World):
    async with running(Bot(**FAST)) as bot:
        ok = await bot.fetch_user(world.member.id)
        await ok.send("see you there")
        refused = await bot.fetch_user(world.closed.id)
        with pytest.raises(discord.Forbidden) as info:
            await refused.send("reminder")
    assert info.value.code == 50007 and info.value.status == 403
    assert dc.channel_messages(dc.dm_channel(world.member))[0].content == "see you there"
    assert dc.invalid_requests == 1


async def test_429_with_via_is_retried(dc: FakeDiscord, world: World):
    async with running(Bot(**FAST)) as bot:
        channel = bot.get_channel(world.channel.id)
        assert isinstance(channel, discord.TextChannel)
        dc.fail_next("POST", r"^/channels/\d+/messages$", 429, retry_after=0.2)
        started = time.monotonic()
        await channel.send("after a rate limit")
        assert time.monotonic() - started >= 0.2
    sends = dc.requests_to("POST", r"/messages$")
    assert [r.status for r in sends] == [429, 200]
    assert dc.rate_limit_hits == 1 and dc.invalid_requests == 1
    assert [m.content for m in dc.channel_messages(world.channel)] == ["after a rate limit"]


async def test_route_limit_headers_make_discordpy_wait(dc: FakeDiscord, world: World):
    dc.set_route_limit("POST /channels/{channel_id}/messages", 2, 1.0)
    async with running(Bot(**FAST)) as bot:
        channel = bot.get_channel(world.channel.id)
        assert isinstance(channel, discord.TextChannel)
        started = time.monotonic()
        await asyncio.gather(*(channel.send(f"m{i}") for i in range(3)))
        assert time.monotonic() - started >= 0.8  # waited for the bucket reset, no 429
    assert dc.rate_limit_hits == 0
    assert len(dc.channel_messages(world.channel)) == 3


async def test_gateway_drop_resumes_and_replays(dc: FakeDiscord, world: World):
    bot = Bot(**FAST)
    async with running(bot):
        await dc.drop_gateway()
        # dispatched while the bot is disconnected: must be replayed on RESUME
        h = await dc.slash_command(world.guild, world.channel, world.member, "hello")
        await dc.wait_for(lambda: dc.resume_count == 1)
        assert (await h.response())["data"]["content"] == "hello"
        await dc.drop_gateway(code=4000)
        await dc.wait_for(lambda: dc.resume_count == 2)
        await dc.wait_for(lambda: dc.live_sessions())
    assert dc.identify_count == 1 and bot.ready_count == 1


async def test_invalid_session_reidentifies(dc: FakeDiscord, world: World):
    bot = Bot(**FAST)
    async with running(bot):
        await dc.invalidate_session(resumable=False)
        # discord.py's before_identify_hook sleeps 5 s before every non-initial IDENTIFY
        started = time.monotonic()
        await dc.wait_for(lambda: dc.identify_count == 2, timeout=10)
        assert time.monotonic() - started >= 4.9
        await asyncio.wait_for(_until(lambda: bot.ready_count == 2), 5)
        assert bot.get_guild(world.guild.id) is not None
    assert dc.resume_count == 0


async def _until(cond: Any) -> None:
    while not cond():
        await asyncio.sleep(0.02)


async def test_double_ack_and_late_ack(dc: FakeDiscord, world: World):
    dc.interaction_endpoints.ack_deadline = 0.3
    bot = Bot(**FAST)
    async with running(bot):
        h = await dc.slash_command(world.guild, world.channel, world.member, "hello")
        await h.response()
        dc.dispatch("INTERACTION_CREATE", h.payload)  # the same interaction delivered twice
        await _wait_errors(bot, 1)
        late = await dc.slash_command(world.guild, world.channel, world.member, "hello",
                                      {"delay": 0.5})
        await _wait_errors(bot, 2)
    assert bot.errors[0].code == 40060 and bot.errors[0].status == 400
    assert isinstance(bot.errors[1], discord.NotFound) and bot.errors[1].code == 10062
    assert late.callback is None and len(late.callbacks) == 1
    assert [m.content for m in dc.channel_messages(world.channel)] == ["hello"]


async def _wait_errors(bot: Bot, n: int) -> None:
    await asyncio.wait_for(_until(lambda: len(bot.errors) >= n), 5)


async def test_autocomplete_and_dm_slash_command(dc: FakeDiscord, world: World):
    async with running(Bot(**FAST)):
        h = await dc.autocomplete(world.guild, world.channel, world.member, "city",
                                  {"name": "Ber"}, focused="name")
        body = await h.response()
        assert body == {"type": 8, "data": {"choices": [
            {"name": "Berlin", "value": "Berlin"}, {"name": "Bern", "value": "Bern"}]}}
        dm = await dc.slash_command(None, None, world.member.user, "city", {"name": "Paris"})
        assert (await dm.original_message()).content == "Paris"
        assert dm.payload["context"] == 1 and "member" not in dm.payload
        assert dm.original is not None
        assert dm.original.channel_id == dc.dm_channel(world.member).id


async def test_scheduled_events_and_member_fetch(dc: FakeDiscord, world: World):
    async with running(Bot(**FAST)) as bot:
        guild = bot.get_guild(world.guild.id)
        assert guild is not None
        member = await guild.fetch_member(world.organiser.id)
        assert member.guild_permissions.manage_events
        start = discord.utils.utcnow() + datetime.timedelta(days=1)
        event = await guild.create_scheduled_event(
            name="Picnic", start_time=start, end_time=start + datetime.timedelta(hours=2),
            entity_type=discord.EntityType.external, location="Park",
            privacy_level=discord.PrivacyLevel.guild_only)
        await event.edit(name="Big picnic")
        assert dc.scheduled_events[world.guild.id][event.id]["name"] == "Big picnic"
        await event.delete()
    assert dc.scheduled_events[world.guild.id] == {}


async def test_wire_level_details(dc: FakeDiscord, world: World):
    dc.rest.global_limit = 3
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{dc.api_base}/users/@me") as resp:
            assert resp.status == 401 and resp.headers["Content-Type"] == "application/json"
            assert await resp.json() == {"message": "401: Unauthorized", "code": 0}
        auth = {"Authorization": f"Bot {TOKEN}"}
        statuses = []
        for _ in range(4):
            async with http.get(f"{dc.api_base}/users/@me", headers=auth) as resp:
                statuses.append(resp.status)
                if resp.status == 429:
                    assert resp.headers["Via"] and resp.headers["X-RateLimit-Global"] == "true"
                    assert (await resp.json())["global"] is True
                else:
                    assert resp.headers["Content-Type"] == "application/json"
                    assert {"X-RateLimit-Bucket", "X-RateLimit-Reset-After"} <= set(resp.headers)
        assert statuses == [200, 200, 200, 429]
    assert dc.invalid_requests == 2 and dc.rate_limit_hits == 1
