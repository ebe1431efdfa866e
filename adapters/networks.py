"""Which adapter serves which network, loaded only when that network is used.

Each adapter package declares one `ADAPTER = Adapter(section, start)`: its bots.toml section
(adapters/runtime/sections.py) and how it starts on a section checked and filled in. The
sections are all checked once, at start-up (`problems`), before any network is built.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from adapters.runtime.sections import Section
from adapters.runtime.startup import bot_key, start_turn
from core import Gather, Settings

ADAPTERS = {
    "console": "adapters.console",
    "telegram": "adapters.telegram",
    "discord": "adapters.discord",
    "mastodon": "adapters.mastodon",
}

# (the core, the section's values with defaults filled in, the environment) -> run until
# cancelled
Start = Callable[[Gather, dict[str, Any], dict[str, str]], Awaitable[None]]


@dataclass(frozen=True)
class Adapter:
    section: Section
    start: Start


def adapter(network: str) -> Adapter:
    declared = importlib.import_module(ADAPTERS[network]).ADAPTER
    if not isinstance(declared, Adapter):
        raise TypeError(f"{ADAPTERS[network]}.ADAPTER is not an adapters.networks.Adapter")
    return declared


def problems(settings: Settings, environ: dict[str, str]) -> list[str]:
    """Every problem with the network sections, and rooms on networks with no section."""
    found: list[str] = []
    for network, section in settings.networks.items():
        found.extend(adapter(network).section.problems(section, environ))
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
        if network != "console" and adapter(network).section.startable(section, environ)
    ]
    console = settings.networks.get("console", {})
    if not ready or console.get("enabled", False):
        ready.append("console")
    return ready


async def serve(
    network: str, gather: Gather, section: dict[str, Any], environ: dict[str, str]
) -> None:
    """Run one network until cancelled, on a section `problems` found nothing wrong with.

    Raises ValueError when its secret is not in the environment.
    """
    declared = adapter(network)
    secret = declared.section.secret(section, environ)
    if declared.section.default_token_env is not None and not secret:
        name = declared.section.token_env(section)
        raise ValueError(f"[{network}] the environment variable {name} is not set")
    if network == "console":  # nothing to log in to
        await declared.start(gather, declared.section.values(section), environ)
        return
    # A restart loop must not log in on every start: wait for the stored backoff's turn.
    async with start_turn(gather, network, bot_key(secret or network)):
        await declared.start(gather, declared.section.values(section), environ)
