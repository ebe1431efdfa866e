"""The [discord] section of bots.toml, declared once (adapters/runtime/sections.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.runtime.sections import Key, Section

DEFAULT_TOKEN_ENV = "DISCORD_BOT_TOKEN"
DEFAULT_API_BASE = "https://discord.com/api/v10"
DEFAULT_GATEWAY = "wss://gateway.discord.gg/"


@dataclass(frozen=True)
class DiscordSettings:
    token_env: str = DEFAULT_TOKEN_ENV
    api_base_url: str = DEFAULT_API_BASE
    gateway_url: str = DEFAULT_GATEWAY
    sync_commands: bool = True
    scheduled_events: bool = False
    # discord.py waits this long for GUILD_CREATEs before on_ready (its default is 2 s).
    guild_ready_timeout: float = 2.0
    # Longest pause the serve loop waits between attempts after a failed login.
    max_retry_seconds: float = 600.0


SECTION = Section(
    "discord",
    {
        "token_env": Key("env", DEFAULT_TOKEN_ENV),
        "api_base_url": Key("url", DEFAULT_API_BASE, strip_slash=True),
        "gateway_url": Key("url", DEFAULT_GATEWAY, schemes=("ws", "wss")),
        "sync_commands": Key("bool", True),
        "scheduled_events": Key("bool", False),
        "guild_ready_timeout": Key("number", 2.0, minimum=0.0, maximum=60.0),
        "max_retry_seconds": Key("number", 600.0, minimum=1.0, maximum=86400.0),
    },
    default_token_env=DEFAULT_TOKEN_ENV,
)


def problems(section: Mapping[str, Any], environ: Mapping[str, str]) -> list[str]:
    """Every problem with the section, each naming the key; an empty list means usable."""
    return SECTION.problems(section, environ)


def load(section: Mapping[str, Any]) -> DiscordSettings:
    """The settings of a section that `problems` found nothing wrong with."""
    return DiscordSettings(**SECTION.values(section))


def token(settings: DiscordSettings, environ: Mapping[str, str]) -> str:
    return environ.get(settings.token_env, "").strip()
