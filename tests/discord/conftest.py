from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from sandbox.fakes.discord_server import FakeDiscord
from tests.discord.harness import TOKEN, World


@pytest.fixture
async def dc() -> AsyncIterator[FakeDiscord]:
    # The adapter points discord.py at the [discord] section's URLs; put them back after.
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    async with FakeDiscord(token=TOKEN) as server:
        try:
            yield server
        finally:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


@pytest.fixture
def world(dc: FakeDiscord) -> World:
    return World(dc)
