"""The Discord adapter: slash commands, persistent buttons, DMs (discord.py 2.7).

See docs/discord.md for setting up a bot and docs/adapters.md for the contract.
"""

from __future__ import annotations

from typing import Any

from adapters.discord import settings as discord_settings
from adapters.networks import secret
from core import Gather


def problems(section: dict[str, Any], environ: dict[str, str]) -> list[str]:
    return discord_settings.problems(section, environ)


def has_secrets(section: dict[str, Any], environ: dict[str, str]) -> bool:
    return bool(secret(section, environ, discord_settings.DEFAULT_TOKEN_ENV))


async def serve(gather: Gather, section: dict[str, Any], environ: dict[str, str]) -> None:
    """Run the Discord bot until cancelled (reconnecting, with backoff after failures)."""
    from adapters.discord.network import DiscordNetwork

    found = problems(section, environ)
    if found:
        raise ValueError("; ".join(found))
    settings = discord_settings.load(section)
    token = discord_settings.token(settings, environ)
    if not token:
        raise ValueError(f"[discord] the environment variable {settings.token_env} is not set")
    await DiscordNetwork(gather, settings, token).run()
