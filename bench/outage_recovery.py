"""Outage recovery: 1,000 messages fall due on Telegram while the Bot API is down.

    .venv/bin/python bench/outage_recovery.py [--messages 1000] [--outage 60]

The fake Bot API (Telegram's real limits: about 30 messages/s overall, 1/s per chat) answers
every sendMessage with 502 for `--outage` seconds (ten minutes compressed; the worker's probe
schedule is the real one, so requests per minute are real), then recovers. The real Telegram
adapter's sender delivers. Prints a table and one JSON line: time from recovery to the last
delivery against the limit's theoretical minimum, requests per minute during the outage,
duplicates and losses.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import time
from collections import Counter
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
EVERYTHING = 10**9


async def run(count: int, outage: float) -> dict[str, object]:
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'outage.sqlite3'}"
    upgrade(url)
    database = Database(make_engine(url))
    gather = Gather(make_settings(), database, SystemClock())
    gather.prepare()
    async with FakeTelegram(rate_limits=RateLimits()) as tg:
        users = [tg.create_user(f"U{i}") for i in range(count)]
        for user in users:
            tg.private_chat(user)
            user.started = True
        said = Chat(gather).say("alice", "/gather Beach clean at the pier, 10 January 2027 10am")
        seed(database, code_in(said), [u.id for u in users])
        network = TelegramBot(gather, TelegramSettings(base_url=tg.base_url), tg.token)
        bot = network.app.bot
        await bot.initialize()

        def sends(status: int | None = None) -> int:
            return sum(
                1
                for r in tg.requests
                if r.method.lower() == "sendmessage" and (status is None or r.status == status)
            )

        tg.fail_next("sendMessage", times=EVERYTHING, error_code=502)
        worker = OutboxWorker(gather, network, batch=60, poll_seconds=0.2)
        task = asyncio.create_task(worker.run())
        await asyncio.sleep(outage)
        during = sends()
        tg._faults.clear()  # the fake has no public "recover": its fault queue is emptied
        recovered = time.monotonic()
        while sends(200) < count and time.monotonic() - recovered < count / GLOBAL_LIMIT * 4:
            await asyncio.sleep(0.2)
        elapsed = time.monotonic() - recovered
        worker.stop()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 30)
        await bot.shutdown()
        received = Counter(
            str(r.params.get("chat_id"))
            for r in tg.requests
            if r.method.lower() == "sendmessage" and r.status == 200
        )
        with database.session() as session:
            statuses = dict(
                session.execute(
                    select(OutboxMessage.status, func.count())
                    .where(OutboxMessage.purpose == "reminder")
                    .group_by(OutboxMessage.status)
                ).all()
            )
            attempts = session.scalar(select(func.max(OutboxMessage.attempts)))
    database.dispose()
    minimum = count / GLOBAL_LIMIT
    return {
        "messages": count,
        "outage_s": outage,
        "requests_during_outage": during,
        "requests_per_minute_during_outage": round(during / outage * 60, 1),
        "recovery_to_last_delivery_s": round(elapsed, 1),
        "theoretical_minimum_s": round(minimum, 1),
        "over_minimum_pct": round(100 * (elapsed / minimum - 1), 1),
        "delivered": len(received),
        "duplicates": sum(n - 1 for n in received.values() if n > 1),
        "lost": count - len(received),
        "most_attempts_on_one_row": attempts,
        "rows_by_status": statuses,
        "429s": tg.status_counts.get(429, 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--outage", type=float, default=60.0)
    args = parser.parse_args()
    result = asyncio.run(run(args.messages, args.outage))
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
