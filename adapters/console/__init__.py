"""The console network: no token, no server; a terminal."""

from __future__ import annotations

from typing import Any

from adapters.networks import Adapter
from adapters.runtime.sections import Key, Section
from core import Gather

SECTION = Section(
    "console",
    {"user": Key("text", "alice"), "room": Key("text", "#beach"), "enabled": Key("bool", False)},
)


async def start(gather: Gather, values: dict[str, Any], environ: dict[str, str]) -> None:
    from adapters.console.network import ConsoleNetwork

    network = ConsoleNetwork(gather, user=str(values["user"]), room=str(values["room"]))
    await network.run()


ADAPTER = Adapter(SECTION, start)
