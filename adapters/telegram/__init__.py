"""The Telegram adapter (python-telegram-bot 22): commands, inline buttons, DMs, one count.

See docs/telegram.md for setting up a bot and docs/adapters.md for the contract.
"""

from __future__ import annotations

import os

# Before telegram is imported anywhere: RetryAfter.retry_after is a timedelta (PTB 22 warns
# about the int form), so production and tests behave the same.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from typing import TYPE_CHECKING, Any

from adapters.networks import Adapter
from adapters.telegram.settings import SECTION

if TYPE_CHECKING:
    from adapters.telegram.bot import TelegramBot
    from core import Gather


def build(gather: Gather, values: dict[str, Any], environ: dict[str, str]) -> TelegramBot:
    """The bot for a checked section (defaults filled in), ready to `run()`."""
    from adapters.telegram import redact, settings
    from adapters.telegram.bot import TelegramBot

    loaded = settings.load(values)
    token = settings.token(loaded, environ)
    secret = settings.secret_token(loaded, environ)
    redact.install(token, secret)
    return TelegramBot(gather, loaded, token, secret_token=secret)


async def start(gather: Gather, values: dict[str, Any], environ: dict[str, str]) -> None:
    """Run the Telegram bot until cancelled (retrying with backoff when Telegram is away)."""
    await build(gather, values, environ).run()


ADAPTER = Adapter(SECTION, start)
