"""The Mastodon network: announcements are public posts by the bot account; boosting one joins,
un-boosting drops out; mentions and replies carry the usual commands. See docs/mastodon.md."""

from __future__ import annotations

from typing import Any

from adapters.mastodon.settings import SECTION, MastodonSettings
from adapters.networks import Adapter
from core import Gather


async def start(gather: Gather, values: dict[str, Any], environ: dict[str, str]) -> None:
    """Run until cancelled. A refused token or an unreachable server is retried with backoff."""
    from adapters.mastodon.network import MastodonNetwork

    network = MastodonNetwork(gather, MastodonSettings(**values), SECTION.secret(values, environ))
    await network.run()


ADAPTER = Adapter(SECTION, start)
