"""Three worker processes on one PostgreSQL: 5,000 due reminders go out exactly once.

One worker is killed with SIGKILL mid-batch and another is stopped (SIGSTOP) past its lease
and then resumed. Sends are counted at the fake Telegram server. The policy is at most once:
a reminder whose send was in flight when its worker died is marked uncertain, never resent.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.storage.db import Database
from core.storage.models import Identity
from core.storage.traffic import OutboxMessage
from sandbox.fakes.telegram_server import FakeTelegram
from tests.domain.chat import Chat, code_in
from tests.reminders.seeding import seed

REMINDERS = 5000
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def remaining(database: Database) -> int:
    with database.session() as session:
        return int(
            session.scalar(
                select(func.count(OutboxMessage.id)).where(
                    OutboxMessage.network == "telegram",
                    OutboxMessage.status.in_(("pending", "claimed", "sending")),
                )
            )
            or 0
        )


@pytest.mark.skipif(not os.environ.get("GATHER_TEST_DATABASE_URL"), reason="needs PostgreSQL")
async def test_three_workers_send_each_reminder_once_despite_kill_and_stop(
    gather, database, database_url: str
) -> None:  # type: ignore[no-untyped-def]
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes share one database on PostgreSQL")
    async with FakeTelegram(rate_limits=None) as tg:
        users = [tg.create_user(f"U{i}") for i in range(REMINDERS)]
        for user in users:
            tg.private_chat(user)
            user.started = True
        code = code_in(
            Chat(gather).say(
                "alice", "/gather Beach clean at the pier, Saturday 28 November 2026 10am"
            )
        )
        seed(database, code, [u.id for u in users])
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "NO_PROXY": "127.0.0.1,localhost",
            "PTB_TIMEDELTA": "true",
        }
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.reminders.worker_process",
                    database_url,
                    tg.base_url,
                    tg.token,
                    "400",
                ],
                cwd=ROOT,
                env=env,
            )
            for _ in range(3)
        ]
        try:

            def sends() -> int:
                return sum(
                    1 for r in tg.requests if r.method.lower() == "sendmessage" and r.status == 200
                )

            await tg.wait_for(lambda: sends() >= 800, timeout=60)
            workers[0].send_signal(signal.SIGKILL)
            workers[1].send_signal(signal.SIGSTOP)
            await asyncio.sleep(5)  # past the 3-second lease: the others take its claimed rows
            workers[1].send_signal(signal.SIGCONT)
            for _ in range(800):
                if await asyncio.to_thread(remaining, database) == 0:
                    break
                await asyncio.sleep(0.5)
            assert await asyncio.to_thread(remaining, database) == 0
        finally:
            for process in workers:
                if process.poll() is None:
                    process.send_signal(signal.SIGCONT)
                    process.terminate()
                process.wait(timeout=30)

        received = Counter(
            str(r.params.get("chat_id"))
            for r in tg.requests
            if r.method.lower() == "sendmessage" and r.status == 200
        )
        assert max(received.values()) == 1, "a reminder arrived twice"
        with database.session() as session:
            rows = session.execute(
                select(OutboxMessage.status, Identity.native_id)
                .join(Identity, Identity.person_id == OutboxMessage.person_id)
                .where(OutboxMessage.purpose == "reminder")
            ).all()
        by_status = Counter(status for status, _ in rows)
        sent = {native for status, native in rows if status == "sent"}
        uncertain = {native for status, native in rows if status == "uncertain"}
        assert by_status["sent"] + by_status["uncertain"] == REMINDERS, by_status
        assert sent <= set(received), "a reminder marked sent never arrived"
        assert set(received) <= sent | uncertain
        assert len(uncertain) <= 2 * 40, "only sends in flight when a worker died may be uncertain"
