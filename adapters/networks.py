"""Which adapter serves which network, loaded only when that network is used.

Each adapter package exposes three functions:
  problems(section, environ) -> list[str]   what is wrong with its bots.toml section
  has_secrets(section, environ) -> bool     whether it can start (its token is set)
  serve(gather, section, environ)           run until cancelled
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from core import Settings

ADAPTERS = {
    "console": "adapters.console",
    "telegram": "adapters.telegram",
    "discord": "adapters.discord",
    "mastodon": "adapters.mastodon",
}


def secret(section: dict[str, Any], environ: dict[str, str], default_env: str) -> str:
    """The token held by the environment variable the section names (`token_env`), or ""."""
    name = section.get("token_env", default_env)
    return environ.get(name, "").strip() if isinstance(name, str) else ""


def adapter(network: str) -> ModuleType:
    return importlib.import_module(ADAPTERS[network])


def problems(settings: Settings, environ: dict[str, str]) -> list[str]:
    """Every problem with the network sections, and rooms on networks with no section."""
    found: list[str] = []
    for network, section in settings.networks.items():
        module = adapter(network)
        if hasattr(module, "problems"):
            found.extend(module.problems(section, environ))
    for community in settings.communities:
        for network, chat_id in community.rooms:
            if network not in settings.networks and network != "console":
                found.append(
                    f"community {community.name}: room {network}:{chat_id} is on {network}, "
                    f"but bots.toml has no [{network}] section"
                )
    return found


def startable(settings: Settings, environ: dict[str, str]) -> list[str]:
    """The networks whose secrets are present; the console when there are none."""
    ready = [
        network
        for network, section in settings.networks.items()
        if network != "console" and _has_secrets(network, section, environ)
    ]
    console = settings.networks.get("console", {})
    if not ready or console.get("enabled", False):
        ready.append("console")
    return ready


def _has_secrets(network: str, section: dict[str, Any], environ: dict[str, str]) -> bool:
    module = adapter(network)
    return bool(getattr(module, "has_secrets", lambda s, e: False)(section, environ))
