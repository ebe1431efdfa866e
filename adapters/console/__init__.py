"""The console network: no token, no server; a terminal."""

from __future__ import annotations

from typing import Any

from core import Gather


def problems(section: dict[str, Any], environ: dict[str, str]) -> list[str]:
    unknown = set(section) - {"user", "room", "enabled"}
    return [f"[console] unknown setting {name!r}" for name in sorted(unknown)]


def has_secrets(section: dict[str, Any], environ: dict[str, str]) -> bool:
    return bool(section.get("enabled", False))


async def serve(gather: Gather, section: dict[str, Any], environ: dict[str, str]) -> None:
    from adapters.console.network import ConsoleNetwork

    network = ConsoleNetwork(
        gather, user=str(section.get("user", "alice")), room=str(section.get("room", "#beach"))
    )
    await network.run()
