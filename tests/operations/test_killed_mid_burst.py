"""SIGKILL of the receiving process in the middle of a burst of presses: after a restart every
press is counted exactly once and answered at most once (docs/operations.md says why)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.storage.db import Database
from core.storage.models import Gathering, Pledge
from sandbox.fakes.telegram_server import FakeTelegram
from tests.telegram.harness import announcement, button

ROOT = Path(__file__).resolve().parents[2]
TOKEN_ENV = "GATHER_TEST_TELEGRAM_TOKEN"
PRESSES = 60


def bots_toml(tg: FakeTelegram, database_url: str, group_id: int) -> str:
    return f"""\
[gather]
database_url = "{database_url}"
time_zone = "Europe/London"

[metrics]
listen = ""

[[communities]]
name = "c"
rooms = ["telegram:{group_id}"]

[telegram]
token_env = "{TOKEN_ENV}"
base_url = "{tg.base_url}"
base_file_url = "{tg.base_file_url}"
poll_timeout = 1
chat_per_second = 30
group_per_minute = 600
"""


@contextlib.contextmanager
def gather_run(config: Path, tg: FakeTelegram, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    environ = {
        **os.environ,
        TOKEN_ENV: tg.token,
        "PTB_TIMEDELTA": "true",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    environ.pop("GATHER_DATABASE_URL", None)
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "adapters", "run", "--config", str(config)],
            cwd=ROOT,
            env=environ,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


@pytest.mark.slow
async def test_a_burst_survives_sigkill_counted_once_answered_at_most_once(
    tg: FakeTelegram, database: Database, database_url: str, tmp_path: Path
) -> None:
    organiser = tg.create_user("Olga")
    people = [tg.create_user(f"P{n}") for n in range(PRESSES)]
    group = tg.create_group("Portobello", members=[organiser, *people])
    config = tmp_path / "bots.toml"
    config.write_text(bots_toml(tg, database_url, group.id), encoding="utf-8")
    log = tmp_path / "gather.log"

    with gather_run(config, tg, log) as first:
        tg.user_sends(group, organiser, "/gather Beach clean, 12 June 2031 10am, need 100")
        post = await tg.wait_for(lambda: announcement(tg, group), 20, log.read_text())
        queries = [
            tg.user_taps(group, person, post.message_id, button(post, "j:"))["callback_query"]["id"]
            for person in people
        ]
        # Killed once some presses are answered, with more in hand and more queued.
        await tg.wait_for(lambda: len(tg.calls("answerCallbackQuery")) >= 5, 20)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    answered_before = len(tg.calls("answerCallbackQuery"))
    assert answered_before < PRESSES, "the burst was over before the kill: make it bigger"

    def counted() -> int:
        return int(
            database.read(
                lambda s: s.scalar(
                    select(func.count()).select_from(Pledge).where(Pledge.state == "going")
                )
            )
        )

    with gather_run(config, tg, log):
        await tg.wait_for(lambda: not tg.pending_updates, 30, log.read_text())
        for _ in range(200):
            if counted() == PRESSES + 1:
                break
            await asyncio.sleep(0.1)
    assert counted() == PRESSES + 1  # the organiser and every press, once each
    people_going = database.read(lambda s: s.scalar(select(Gathering.people_going)))
    assert people_going == PRESSES + 1
    answers = Counter(
        call.params.get("callback_query_id") for call in tg.calls("answerCallbackQuery")
    )
    assert set(answers) <= set(queries) and max(answers.values()) == 1  # never twice
