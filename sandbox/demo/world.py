"""Three fake networks (Telegram, Discord, Mastodon) on 127.0.0.1, and the bots.toml that points
the real adapters at them. Used by `gather demo` and by the end-to-end tests."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from sandbox.fakes.discord_server import FakeChannel, FakeDiscord, FakeGuild
from sandbox.fakes.mastodon_server import FakeMastodon
from sandbox.fakes.telegram_server import FakeChat, FakeTelegram, RateLimits

TELEGRAM_TOKEN_ENV = "GATHER_DEMO_TELEGRAM_TOKEN"
DISCORD_TOKEN_ENV = "GATHER_DEMO_DISCORD_TOKEN"
MASTODON_TOKEN_ENV = "GATHER_DEMO_MASTODON_TOKEN"
DISCORD_TOKEN = "fake-discord-token-for-the-demo"
# Quicker than Telegram's real limits (on both sides), so the journey takes seconds.
TELEGRAM_FAST = RateLimits(per_chat_per_second=30, per_chat_burst=30, per_group_per_minute=600)


@dataclass
class FakeWorld:
    """The three fake servers, one linked room on each."""

    tg: FakeTelegram
    dc: FakeDiscord
    m: FakeMastodon
    group: FakeChat = field(init=False)
    guild: FakeGuild = field(init=False)
    channel: FakeChannel = field(init=False)

    def __post_init__(self) -> None:
        self.group = self.tg.create_group("Beach cleaners")
        self.guild = self.dc.create_guild("Portobello")
        self.channel = self.dc.create_channel(self.guild, "events")

    @property
    def environ(self) -> dict[str, str]:
        """The tokens, as a deployment would put them in the environment."""
        return {
            TELEGRAM_TOKEN_ENV: self.tg.token,
            DISCORD_TOKEN_ENV: self.dc.token,
            MASTODON_TOKEN_ENV: self.m.access_token,
        }

    def bots_toml(
        self,
        database_url: str,
        *,
        reminders: tuple[str, ...] = ("1d", "2h"),
        time_zone: str = "Europe/London",
    ) -> str:
        """A bots.toml for one community linking the three rooms, pointing at the fakes."""
        listed = ", ".join(f'"{r}"' for r in reminders)
        return f"""\
[gather]
database_url = "{database_url}"
time_zone = "{time_zone}"
languages = ["en"]
reminders = [{listed}]

[[communities]]
name = "portobello"
rooms = ["telegram:{self.group.id}", "discord:{self.channel.id}", "mastodon:public"]

[telegram]
token_env = "{TELEGRAM_TOKEN_ENV}"
base_url = "{self.tg.base_url}"
base_file_url = "{self.tg.base_file_url}"
poll_timeout = 1
chat_per_second = 30
group_per_minute = 600

[discord]
token_env = "{DISCORD_TOKEN_ENV}"
api_base_url = "{self.dc.api_base}"
gateway_url = "{self.dc.gateway_url}"
guild_ready_timeout = 0.2

[mastodon]
token_env = "{MASTODON_TOKEN_ENV}"
api_base_url = "{self.m.api_base_url}"
stream_watchdog_seconds = 2.0
reconcile_seconds = 0.5
full_reconcile_seconds = 60.0
catch_up_seconds = 30.0
edit_interval_seconds = 0.0
retry_max_seconds = 1.0

[web]
# The gatherings' pages on any free port, so this world never collides with a running Gather.
port = 0
"""


@contextlib.asynccontextmanager
async def fake_world(mastodon: dict[str, Any] | None = None) -> AsyncIterator[FakeWorld]:
    """Start the three fakes; stop them (and restore discord.py's endpoints) on exit.
    `mastodon`: options for the fake Mastodon (its rate limits, for a compressed soak)."""
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    tg = FakeTelegram(rate_limits=TELEGRAM_FAST)
    await tg.start()
    try:
        async with FakeDiscord(token=DISCORD_TOKEN) as dc, FakeMastodon(**(mastodon or {})) as m:
            yield FakeWorld(tg, dc, m)
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway
        await tg.stop()


def text_of(thing: Any) -> str:
    """The text of a fake's message (Telegram, Discord or Mastodon), as people read it."""
    for name in ("content", "text"):
        value = getattr(thing, name, None)
        if isinstance(value, str):
            return value
    return str(thing)
