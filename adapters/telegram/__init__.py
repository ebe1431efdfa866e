"""The Telegram adapter (python-telegram-bot 22): commands, inline buttons, DMs, one count.

See docs/telegram.md for setting up a bot and docs/adapters.md for the contract.
"""

from __future__ import annotations

import os

# Before telegram is imported anywhere: RetryAfter.retry_after is a timedelta (PTB 22 warns
# about the int form), so production and tests behave the same.
os.environ.setdefault("PTB_TIMEDELTA", "true")

import logging
from typing import TYPE_CHECKING, Any

from adapters.networks import secret
from adapters.telegram import settings as telegram_settings

if TYPE_CHECKING:
    from adapters.telegram.bot import TelegramBot
    from core import Gather

log = logging.getLogger(__name__)


def problems(section: dict[str, Any], environ: dict[str, str]) -> list[str]:
    return telegram_settings.problems(section, environ)


def has_secrets(section: dict[str, Any], environ: dict[str, str]) -> bool:
    return bool(secret(section, environ, telegram_settings.DEFAULT_TOKEN_ENV))


def build(gather: Gather, section: dict[str, Any], environ: dict[str, str]) -> TelegramBot:
    """The bot, ready to `run()`; raises ValueError listing every problem with the settings."""
    from adapters.telegram import redact
    from adapters.telegram.bot import TelegramBot

    found = problems(section, environ)
    settings = telegram_settings.load(section) if not found else None
    token = telegram_settings.token(settings, environ) if settings else ""
    if settings is not None and not token:
        found.append(f"[telegram] the environment variable {settings.token_env} is not set")
    if found or settings is None:
        raise ValueError("; ".join(found))
    secret = telegram_settings.secret_token(settings, environ)
    redact.install(token, secret)
    return TelegramBot(gather, settings, token, secret_token=secret)


async def serve(gather: Gather, section: dict[str, Any], environ: dict[str, str]) -> None:
    """Run the Telegram bot until cancelled (retrying with backoff when Telegram is away)."""
    await build(gather, section, environ).run()
