"""Runs the real adapter (PTB Application) against the fake Telegram, on the test database."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import adapters.telegram as telegram_adapter  # first: sets PTB_TIMEDELTA before PTB loads
from adapters.telegram.bot import TelegramBot
from core.app import Gather
from core.clock import Clock, SystemClock
from core.storage.db import Database
from sandbox.fakes.telegram_server import FakeChat, FakeMessage, FakeTelegram, RateLimits
from tests.conftest import make_settings

TOKEN_ENV = "TG_TOKEN"


def section(tg: FakeTelegram, **extra: Any) -> dict[str, Any]:
    return {
        "base_url": tg.base_url,
        "base_file_url": tg.base_file_url,
        "token_env": TOKEN_ENV,
        "poll_timeout": 1,
        **extra,
    }


def make_gather(
    tg: FakeTelegram, database: Database, *chats: FakeChat, clock: Clock | None = None
) -> Gather:
    settings = make_settings(
        communities=[{"name": "c", "rooms": [f"telegram:{chat.id}" for chat in chats]}],
        telegram=section(tg),
    )
    gather = Gather(settings, database, clock or SystemClock())
    gather.prepare()
    return gather


# Most tests run with 30x Telegram's per-chat limits (on both sides), to stay quick; the
# flood tests and the benchmark use the real ones.
FAST = {"chat_per_second": 30, "group_per_minute": 600}
FAST_FAKE = RateLimits(per_chat_per_second=30, per_chat_burst=30, per_group_per_minute=600)


@contextlib.asynccontextmanager
async def running(
    tg: FakeTelegram,
    gather: Gather,
    *,
    environ: dict[str, str] | None = None,
    real_limits: bool = False,
    **extra: Any,
) -> AsyncIterator[TelegramBot]:
    """The bot, started and polling (or listening); stopped (cancelled) on exit."""
    env = {TOKEN_ENV: tg.token, **(environ or {})}
    if not real_limits:
        extra = {**FAST, **extra}
        tg.set_rate_limits(FAST_FAKE)
    bot = telegram_adapter.build(gather, section(tg, **extra), env)
    bot.retry_base = 0.05
    task = asyncio.create_task(bot.run())
    try:
        await asyncio.wait_for(bot.ready.wait(), 10)
        yield bot
    finally:
        await stop(task)


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def announcement(tg: FakeTelegram, chat: FakeChat) -> FakeMessage | None:
    """The bot's message in `chat` that carries (or carried) gathering buttons."""
    for message in tg.bot_messages(chat):
        if message.buttons or any(markup for _, markup in message.history):
            return message
    return None


def code_of(message: FakeMessage) -> str:
    for _text, markup in [(message.text, message.reply_markup), *message.history]:
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                return str(button["callback_data"]).split(":")[1]  # "j:CODE[:argument]"
    raise AssertionError(f"no buttons on {message.text!r}")


def button(message: FakeMessage, prefix: str) -> str:
    data = [b["callback_data"] for b in message.buttons if b["callback_data"].startswith(prefix)]
    assert data, f"no {prefix} button on {message.text!r}"
    return str(data[0])
