"""Fan-out of 10,000 due reminders on Telegram, against a fake that enforces Telegram's limits.

    .venv/bin/python bench/reminders_fanout.py [--reminders 10000]

One process: the fake Bot API (about 30 messages/s overall, 1/s per chat; it answers 429 when
a limit is exceeded), SQLite, and the real Telegram adapter's sender with its default pacing.
Prints the time to deliver everything against the limit's theoretical minimum, 429s provoked,
duplicates and losses.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' seeding helpers
os.environ.setdefault("PTB_TIMEDELTA", "true")
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

from sqlalchemy import func, select

from adapters.runtime.outbox import OutboxWorker
from adapters.telegram.bot import TelegramBot
from adapters.telegram.settings import TelegramSettings
from core.app import Gather
from core.clock import SystemClock
from core.storage.db import Database, make_engine, upgrade
from core.storage.traffic import OutboxMessage
from sandbox.fakes.telegram_server import FakeTelegram, RateLimits
from tests.conftest import make_settings
from tests.domain.chat import Chat, code_in
from tests.reminders.seeding import seed

GLOBAL_LIMIT = 30.0


async def run(count: int) -> None:
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'fanout.sqlite3'}"
    upgrade(url)
    database = Database(make_engine(url))
    gather = Gather(make_settings(), database, SystemClock())
    gather.prepare()
    async with FakeTelegram(rate_limits=RateLimits()) as tg:
        users = [tg.create_user(f"U{i}") for i in range(count)]
        for user in users:
            tg.private_chat(user)
            user.started = True
        # A month ahead of the real clock, so the benchmark never announces a past date.
        day = f"{datetime.now(UTC) + timedelta(days=30):%d %B %Y}"
        code = code_in(Chat(gather).say("alice", f"/gather Beach clean at the pier, {day} 10am"))
        seed(database, code, [u.id for u in users])
        network = TelegramBot(gather, TelegramSettings(base_url=tg.base_url), tg.token)
        bot = network.app.bot
        await bot.initialize()
        worker = OutboxWorker(gather, network, batch=60, poll_seconds=0.2)
        started = time.monotonic()
        task = asyncio.create_task(worker.run())

        def delivered() -> int:
            return sum(1 for r in tg.requests if r.method.lower() == "sendmessage" and r.status == 200)

        while delivered() < count and time.monotonic() - started < count / GLOBAL_LIMIT * 3:
            await asyncio.sleep(0.5)
        elapsed = time.monotonic() - started
        worker.stop()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 30)
        await bot.shutdown()
        received = Counter(str(r.params.get("chat_id")) for r in tg.requests if r.method.lower() == "sendmessage" and r.status == 200)
        with database.session() as session:
            statuses = dict(session.execute(select(OutboxMessage.status, func.count()).where(OutboxMessage.purpose == "reminder").group_by(OutboxMessage.status)).all())
        minimum = count / GLOBAL_LIMIT
        print(f"reminders: {count}")
        print(f"delivered: {len(received)} distinct recipients in {elapsed:.1f} s")
        print(f"theoretical minimum at {GLOBAL_LIMIT:.0f}/s: {minimum:.1f} s  (took {100 * (elapsed / minimum - 1):+.1f}%)")
        print(f"429s provoked: {tg.status_counts.get(429, 0)}")
        print(f"duplicates: {sum(n - 1 for n in received.values() if n > 1)}")
        print(f"lost: {count - len(received)}   rows by status: {statuses}")
    database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reminders", type=int, default=10_000)
    asyncio.run(run(parser.parse_args().reminders))


if __name__ == "__main__":
    main()
