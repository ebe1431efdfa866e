"""Three `gather run`-like processes on PostgreSQL delivering reminders for one Telegram token.

    .venv/bin/python bench/shared_budget.py --database-url postgresql+psycopg://... [--reminders 10000]

The database at the URL is upgraded and EMPTIED first. The fake Bot API enforces Telegram's
limits (about 30 messages/s per bot, 1/s per chat, 20/min per group; 429 when exceeded). Each
process paces its sends in the bot's one budget kept in the database
(core/delivery/shared_pacing.py). Prints a table and one JSON line: total time against
reminders / 30 s, 429s provoked, duplicates and losses.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' helpers
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

from sqlalchemy import func, select, text

from core.app import Gather
from core.clock import SystemClock
from core.storage.db import Database, make_engine, upgrade
from core.storage.schema import metadata
from core.storage.traffic import OutboxMessage
from sandbox.fakes.telegram_server import FakeTelegram, RateLimits
from tests.conftest import make_settings
from tests.domain.chat import Chat, code_in
from tests.reminders.seeding import seed
from tests.reminders.test_many_workers import remaining

ROOT = Path(__file__).resolve().parents[1]
PLATFORM_LIMIT = 30.0  # messages per second per bot
PROCESSES = 3


def emptied(url: str) -> Database:
    upgrade(url)
    database = Database(make_engine(url))
    tables = ", ".join(table.name for table in metadata.sorted_tables)
    with database.session() as session:
        session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return database


async def run(url: str, count: int) -> dict[str, object]:
    database = emptied(url)
    gather = Gather(make_settings(), database, SystemClock())
    gather.prepare()
    async with FakeTelegram(rate_limits=RateLimits()) as tg:
        users = [tg.create_user(f"U{i}") for i in range(count)]
        for user in users:
            tg.private_chat(user)
            user.started = True
        said = Chat(gather).say(
            "alice", "/gather Beach clean at the pier, Saturday 2 January 2027 10am"
        )
        seed(database, code_in(said), [u.id for u in users])
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        command = ["-m", "tests.reminders.worker_process", url, tg.base_url, tg.token]
        seconds = str(count / PLATFORM_LIMIT * 3 + 60)
        launched, launched_at = time.monotonic(), time.time()
        workers = [
            subprocess.Popen([sys.executable, *command, seconds, "paced"], cwd=ROOT, env=env)
            for _ in range(PROCESSES)
        ]
        try:
            while await asyncio.to_thread(remaining, database):
                if time.monotonic() - launched > float(seconds):
                    break
                await asyncio.sleep(0.5)
        finally:
            for process in workers:
                process.terminate()
                process.wait(timeout=60)
        sent = [r for r in tg.requests if r.method.lower() == "sendmessage" and r.status == 200]
        received = Counter(str(r.params.get("chat_id")) for r in sent)
        first, last = min(r.time for r in sent), max(r.time for r in sent)
        with database.session() as session:
            statuses = dict(
                session.execute(
                    select(OutboxMessage.status, func.count())
                    .where(OutboxMessage.purpose == "reminder")
                    .group_by(OutboxMessage.status)
                ).all()
            )
    database.dispose()
    minimum = count / PLATFORM_LIMIT
    took = last - first
    return {
        "benchmark": "shared_budget",
        "processes": PROCESSES,
        "reminders": count,
        "seconds_first_to_last_send": round(took, 1),
        "seconds_from_launch": round(last - launched_at, 1),  # with the processes' start-up
        "theoretical_minimum_seconds": round(minimum, 1),
        "over_minimum_percent": round(100 * (took / minimum - 1), 1),
        "rate_per_second": round(len(sent) / took, 2) if took else None,
        "rate_limited_429": tg.rate_limited_count,
        "duplicates": sum(n - 1 for n in received.values() if n > 1),
        "lost": count - len(received),
        "rows_by_status": {str(k): v for k, v in statuses.items()},
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True, help="PostgreSQL; it is emptied")
    parser.add_argument("--reminders", type=int, default=10_000)
    arguments = parser.parse_args()
    if not arguments.database_url.startswith("postgresql"):
        parser.error("several processes share one budget on PostgreSQL only")
    result = asyncio.run(run(arguments.database_url, arguments.reminders))
    for name, value in result.items():
        print(f"{name:32} {value}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
