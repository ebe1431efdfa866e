"""A `gather run`-like process that only delivers Telegram's outbox (for multi-process tests)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys

from core.app import Gather
from core.clock import SystemClock
from core.storage.db import Database, make_engine
from tests.conftest import make_settings


async def deliver(url: str, base_url: str, token: str, seconds: float, paced: bool) -> None:
    """Deliver for `seconds`. `paced`: within Telegram's limits, in one budget shared with
    the other processes (as `gather run` paces); otherwise as fast as the fake answers."""
    from adapters.runtime.outbox import OutboxWorker
    from adapters.telegram.bot import TelegramBot
    from adapters.telegram.settings import TelegramSettings

    database = Database(make_engine(url))
    gather = Gather(make_settings(), database, SystemClock())
    settings = (
        TelegramSettings(base_url=base_url)
        if paced
        else TelegramSettings(
            base_url=base_url, global_per_second=1000, chat_per_second=1000, group_per_minute=1000
        )
    )
    network = TelegramBot(gather, settings, token)
    await network.app.bot.initialize()
    worker = OutboxWorker(
        gather,
        network,
        batch=40,
        poll_seconds=0.2,
        lease_seconds=3.0 if not paced else 60.0,
        pacer=network.worker.pacer,  # the bot's own: shared through the database on PostgreSQL
    )
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, worker.stop)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(worker.run(), seconds)
    await network.app.bot.shutdown()
    counted = {"transactions": getattr(worker.pacer, "transactions", None)}
    counted["missed"] = getattr(worker.pacer, "missed", None)
    print(f"worker pacing: {counted}", file=sys.stderr)
    database.dispose()


def main() -> None:
    url, base_url, token, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    paced = sys.argv[5:6] == ["paced"]
    asyncio.run(deliver(url, base_url, token, seconds, paced))


if __name__ == "__main__":
    main()
