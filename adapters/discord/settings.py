"""The [discord] section of bots.toml, validated once at start-up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

DEFAULT_TOKEN_ENV = "DISCORD_BOT_TOKEN"
DEFAULT_API_BASE = "https://discord.com/api/v10"
DEFAULT_GATEWAY = "wss://gateway.discord.gg/"
KEYS = {
    "token_env",
    "api_base_url",
    "gateway_url",
    "sync_commands",
    "scheduled_events",
    "guild_ready_timeout",
    "max_retry_seconds",
}
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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


def problems(section: dict[str, Any], environ: dict[str, str]) -> list[str]:
    """Every problem with the section, each naming the key; an empty list means usable."""
    found = [f"[discord] unknown setting {name!r}" for name in sorted(set(section) - KEYS)]
    token_env = section.get("token_env", DEFAULT_TOKEN_ENV)
    if not isinstance(token_env, str) or not _ENV_NAME.match(token_env):
        found.append(
            f"[discord] token_env must name an environment variable, like {DEFAULT_TOKEN_ENV!r}"
        )
    for key, schemes in (("api_base_url", ("http", "https")), ("gateway_url", ("ws", "wss"))):
        value = section.get(key)
        if value is None:
            continue
        parts = urlsplit(value) if isinstance(value, str) else None
        if parts is None or parts.scheme not in schemes or not parts.netloc:
            found.append(f"[discord] {key} must be a {' or '.join(schemes)} URL, got {value!r}")
    for key in ("sync_commands", "scheduled_events"):
        if key in section and not isinstance(section[key], bool):
            found.append(f"[discord] {key} must be true or false, got {section[key]!r}")
    for key, low, high in (("guild_ready_timeout", 0.0, 60.0), ("max_retry_seconds", 1.0, 86400.0)):
        value = section.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            found.append(f"[discord] {key} must be a number of seconds, got {value!r}")
        elif not low <= value <= high:
            found.append(f"[discord] {key} must be between {low:g} and {high:g}, got {value!r}")
    return found


def load(section: dict[str, Any]) -> DiscordSettings:
    """The settings of a section that `problems` found nothing wrong with."""
    return DiscordSettings(
        token_env=str(section.get("token_env", DEFAULT_TOKEN_ENV)),
        api_base_url=str(section.get("api_base_url", DEFAULT_API_BASE)).rstrip("/"),
        gateway_url=str(section.get("gateway_url", DEFAULT_GATEWAY)),
        sync_commands=bool(section.get("sync_commands", True)),
        scheduled_events=bool(section.get("scheduled_events", False)),
        guild_ready_timeout=float(section.get("guild_ready_timeout", 2.0)),
        max_retry_seconds=float(section.get("max_retry_seconds", 600.0)),
    )


def token(settings: DiscordSettings, environ: dict[str, str]) -> str:
    return environ.get(settings.token_env, "").strip()
