"""Three `gather run`-like processes on one PostgreSQL send for one Telegram token: they share
one budget per limit, so the fake Telegram (which enforces about 30 messages/s per bot) never
answers 429, and every reminder arrives exactly once."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from sandbox.fakes.telegram_server import FakeTelegram, RateLimits
from tests.domain.chat import Chat, code_in
from tests.reminders.seeding import seed
from tests.reminders.test_many_workers import remaining

REMINDERS = 450  # 15 s at the bot's limit: three processes alone would send 3 x 29/s
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.mark.skipif(not os.environ.get("GATHER_TEST_DATABASE_URL"), reason="needs PostgreSQL")
async def test_three_processes_share_one_budget_and_provoke_no_429(
    gather, database, database_url: str
) -> None:  # type: ignore[no-untyped-def]
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes share one database on PostgreSQL")
    async with FakeTelegram(rate_limits=RateLimits()) as tg:
        users = [tg.create_user(f"U{i}") for i in range(REMINDERS)]
        for user in users:
            tg.private_chat(user)
            user.started = True
        said = Chat(gather).say(
            "alice", "/gather Beach clean at the pier, Saturday 28 November 2026 10am"
        )
        seed(database, code_in(said), [u.id for u in users])
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_PROXY": "127.0.0.1,localhost"}
        command = ["-m", "tests.reminders.worker_process", database_url, tg.base_url, tg.token]
        workers = [
            subprocess.Popen([sys.executable, *command, "120", "paced"], cwd=ROOT, env=env)
            for _ in range(3)
        ]
        try:
            for _ in range(240):
                if await asyncio.to_thread(remaining, database) == 0:
                    break
                await asyncio.sleep(0.5)
            assert await asyncio.to_thread(remaining, database) == 0
        finally:
            for process in workers:
                process.terminate()
                process.wait(timeout=30)
        received = Counter(
            str(r.params.get("chat_id"))
            for r in tg.requests
            if r.method.lower() == "sendmessage" and r.status == 200
        )
        assert tg.rate_limited_count == 0
        assert len(received) == REMINDERS and max(received.values()) == 1
