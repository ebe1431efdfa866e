"""The Discord adapter, running for real (discord.py) against the fake Discord server."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

from adapters.discord.network import DiscordNetwork
from adapters.discord.settings import load, problems
from core.app import Gather
from core.clock import Clock, SystemClock
from core.storage.db import Database
from sandbox.fakes.discord_server import FakeDiscord, FakeGuild, FakeMember, Perm, StoredMessage
from tests.conftest import make_settings

TOKEN = "fake-token-for-tests"


def section_for(dc: FakeDiscord, **more: Any) -> dict[str, Any]:
    """The [discord] section pointing the adapter at the fake: the only wiring there is."""
    return {
        "api_base_url": dc.api_base,
        "gateway_url": dc.gateway_url,
        "guild_ready_timeout": 0.2,
        **more,
    }


class World:
    """A guild with one events channel linked to a community, and some members."""

    def __init__(self, dc: FakeDiscord) -> None:
        self.dc = dc
        self.guild: FakeGuild = dc.create_guild("Gatherers")
        self.channel = dc.create_channel(self.guild, "events")
        self.organiser = dc.add_member(self.guild, "olga")
        self.manager = dc.add_member(self.guild, "meg", permissions=Perm.MANAGE_EVENTS)
        self.member = dc.add_member(self.guild, "mo")
        self.closed = dc.add_member(self.guild, "cleo")
        dc.close_dms(self.closed)

    def settings_section(self, **more: Any) -> dict[str, Any]:
        return section_for(self.dc, **more)

    def gather(
        self,
        database: Database,
        clock: Clock | None = None,
        languages: tuple[str, ...] = ("en",),
        **more: Any,
    ) -> Gather:
        """The core on this world's settings. A real clock by default, so that a send put
        off by a rate limit (RetryLater) is retried, as it would be in production."""
        section = self.settings_section(**more)
        assert problems(section, {}) == []
        settings = make_settings(
            communities=[
                {"name": "c", "rooms": [f"discord:{self.channel.id}"], "languages": list(languages)}
            ],
            discord=section,
        )
        gather = Gather(settings, database, clock or SystemClock())
        gather.prepare()
        return gather

    def announcements(self) -> list[StoredMessage]:
        """What everyone in the channel sees from the bot (not the ephemeral answers)."""
        return [
            m
            for m in self.dc.channel_messages(self.channel)
            if not m.ephemeral and "Code:" in m.content
        ]

    async def announcement(
        self, code: str, predicate: Any = None, timeout: float = 5.0
    ) -> StoredMessage:
        def found() -> StoredMessage | None:
            for m in self.dc.channel_messages(self.channel):
                if (
                    not m.ephemeral
                    and f"Code: `{code}`" in m.content
                    and (predicate is None or predicate(m))
                ):
                    return m
            return None

        return await self.dc.wait_for(found, timeout)

    async def slash(self, who: FakeMember, name: str, options: Any = None) -> StoredMessage:
        """Run a slash command; the answer the person sees."""
        h = await self.dc.slash_command(self.guild, self.channel, who, name, options)
        return await h.followup(0)

    async def press(
        self, who: FakeMember, post: StoredMessage, action: str, code: str
    ) -> StoredMessage:
        h = await self.dc.press_button(self.channel, who, post.id, f"gather:{action}:{code}")
        return await h.followup(0)

    def dms(self, who: FakeMember) -> list[str]:
        return [m.content for m in self.dc.channel_messages(self.dc.dm_channel(who))]


@contextlib.asynccontextmanager
async def running(gather: Gather, world: World, **more: Any) -> AsyncIterator[DiscordNetwork]:
    network = DiscordNetwork(gather, load(world.settings_section(**more)), TOKEN)
    task = asyncio.create_task(network.run())
    try:
        ready = asyncio.create_task(network.ready.wait())
        await asyncio.wait({task, ready}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        ready.cancel()
        if task.done():
            task.result()
        assert network.ready.is_set(), "the adapter did not become ready"
        yield network
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def until(condition: Callable[[], object], timeout: float = 5.0) -> None:
    """Poll a condition the fake server cannot see (the adapter's own records)."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


def code_of(reply: StoredMessage) -> str:
    import re

    match = re.search(r"`([2-9A-Z]{4})`", reply.content)
    assert match, reply.content
    return match.group(1)
