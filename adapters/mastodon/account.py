"""What the listening parts (intake.py, reconcile.py) use of the network: the bot's account.

A Protocol, so that they need not import network.py (which starts them): no import circle.
"""

from __future__ import annotations

from typing import Protocol

from adapters.mastodon.client import Api
from adapters.mastodon.settings import MastodonSettings
from adapters.runtime.recent import Recent
from core import Gather, Outcome


class BotAccount(Protocol):
    gather: Gather
    settings: MastodonSettings
    api: Api
    bot_id: str
    bot_acct: str
    bot_username: str
    max_characters: int
    accts: Recent[str, str]  # account id -> acct, learnt from notifications (bounded)

    async def post(
        self,
        text: str,
        visibility: str,
        *,
        key: str,
        in_reply_to: str | None = None,
        max_wait: float = ...,
    ) -> Outcome:
        """A new status, idempotent under `key`."""

    def status_url(self, status_id: str) -> str: ...
