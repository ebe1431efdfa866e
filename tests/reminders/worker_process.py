"""A `gather run`-like process that only delivers Telegram's outbox (for multi-process tests)."""

from __future__ import annotations

import asyncio
import contextlib
import sys

from core.app import Gather
from core.clock import SystemClock
from core.storage.db import Database, make_engine
from tests.conftest import make_settings


async def deliver(url: str, base_url: str, token: str, seconds: float) -> None:
    from telegram import Bot

    from adapters.outbox_worker import OutboxWorker
    from adapters.telegram.network import TelegramNetwork, make_limits

    database = Database(make_engine(url))
    gather = Gather(make_settings(), database, SystemClock())
    bot = Bot(token, base_url=base_url)
    await bot.initialize()
    network = TelegramNetwork(bot, limits=make_limits(1000, 1000, 1000))
    worker = OutboxWorker(gather, network, batch=40, poll_seconds=0.2, lease_seconds=3.0)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(worker.run(), seconds)
    await bot.shutdown()
    database.dispose()


def main() -> None:
    url, base_url, token, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    asyncio.run(deliver(url, base_url, token, seconds))


if __name__ == "__main__":
    main()
