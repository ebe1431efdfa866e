"""The Mastodon network: announcements are public posts by the bot account; boosting one joins,
un-boosting drops out; mentions and replies carry the usual commands. See docs/mastodon.md."""

from __future__ import annotations

import logging
from typing import Any

from adapters.mastodon.settings import DEFAULT_TOKEN_ENV, MastodonSettings, token
from adapters.mastodon.settings import problems as _problems
from core import Gather

log = logging.getLogger(__name__)


def problems(section: dict[str, Any], environ: dict[str, str]) -> list[str]:
    return _problems(section, environ)


def has_secrets(section: dict[str, Any], environ: dict[str, str]) -> bool:
    return bool(token(section, environ))


async def serve(gather: Gather, section: dict[str, Any], environ: dict[str, str]) -> None:
    """Run until cancelled. A refused token or an unreachable server is retried with backoff."""
    from adapters.mastodon.network import MastodonNetwork

    found = _problems(section, environ)
    if found:
        raise ValueError("; ".join(found))
    secret = token(section, environ)
    if not secret:
        name = section.get("token_env", DEFAULT_TOKEN_ENV)
        raise ValueError(f"[mastodon] the access token is missing: set ${name}")
    network = MastodonNetwork(gather, MastodonSettings.from_section(section), secret)
    await network.run()
