"""Two `gather run` processes for the same Telegram and Discord bots, as on two hosts sharing
PostgreSQL: the second one waits instead of fighting (no 409 Conflict from getUpdates, no
second gateway session), every command is answered once, and when the first stops the second
takes over receiving.

Real Telegram answers a getUpdates poller with 409 Conflict when another starts polling (the
fake does the same); a second Discord login would open a second gateway session and both would
handle every interaction.
"""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest

from sandbox.demo.world import FakeWorld
from tests.conftest import POSTGRES_URL
from tests.journey.harness import eventually, ready, slash, tg_says
from tests.journey.test_processes import _logs, spawn, stop

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL.startswith("postgresql"),
    reason="several processes need PostgreSQL (set GATHER_TEST_DATABASE_URL)",
)
RECEIVING = ["telegram", "discord"]
Started = list[tuple[str, subprocess.Popen[bytes], Path]]


def start(world: FakeWorld, config: Path, logs: Path, host: str) -> Started:
    started: Started = []
    for network in RECEIVING:
        log = logs / f"{network}-{host}.log"
        started.append((f"{network}@{host}", spawn(world, config, network, log), log))
    return started


def waits(started: Started) -> bool:
    return all("this process waits" in log.read_text(errors="replace") for _, _, log in started)


async def test_a_second_receiver_waits_and_takes_over(
    world: FakeWorld, tmp_path: Path, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes need PostgreSQL")
    tg, dc = world.tg, world.dc
    alice = tg.create_user("Alice", username="alice")
    tg.add_member(world.group, alice)
    dana = dc.add_member(world.guild, "dana")
    config = tmp_path / "bots.toml"
    config.write_text(world.bots_toml(database_url), encoding="utf-8")

    first = start(world, config, tmp_path, "a")
    second: Started = []
    try:
        await ready(world, RECEIVING, timeout=60)  # three processes starting on a busy machine
        second = start(world, config, tmp_path, "b")
        await eventually(lambda: waits(second), 60, f"the second waits:\n{_logs(second)}")
        await asyncio.sleep(3)  # several of its lease checks, and the first keeps polling

        assert tg.status_counts.get(409, 0) == 0, "two getUpdates pollers fought"
        assert len(dc.live_sessions()) == 1 and dc.gateway.identify_count == 1
        before = len(tg.bot_messages(world.group))
        assert "Started" in await tg_says(world, alice, "/gather Picnic, 12 June 2031 noon")
        await asyncio.sleep(1)
        replies = [m for m in tg.bot_messages(world.group)[before:] if "Started" in m.text]
        assert len(replies) == 1
        assert "/gather" in (await slash(world, dana, "help")).lower()

        # The first stops cleanly (a deploy, a host taken down): it lets go of its leases,
        # and the second takes over receiving within seconds.
        await stop(first)
        first = []
        await eventually(lambda: len(dc.live_sessions()) == 1, 30, "Discord session taken over")
        said = await tg_says(world, alice, "/gather Beach clean, 13 June 2031 10am")
        assert "Started" in said
        assert "/gather" in (await slash(world, dana, "help")).lower()
        assert tg.status_counts.get(409, 0) == 0
        for name, process, _ in second:
            assert process.poll() is None, f"{name} died:\n{_logs(second)}"
    finally:
        await stop(first + second)
