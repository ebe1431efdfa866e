"""The Discord adapter: slash commands, persistent buttons, DMs (discord.py 2.7).

See docs/discord.md for setting up a bot and docs/adapters.md for the contract.
"""

from __future__ import annotations

from typing import Any

from adapters.discord.settings import SECTION, DiscordSettings
from adapters.networks import Adapter
from core import Gather


async def start(gather: Gather, values: dict[str, Any], environ: dict[str, str]) -> None:
    """Run the Discord bot until cancelled (reconnecting, with backoff after failures)."""
    from adapters.discord.network import DiscordNetwork

    settings = DiscordSettings(**values)
    await DiscordNetwork(gather, settings, SECTION.secret(values, environ)).run()


ADAPTER = Adapter(SECTION, start)
