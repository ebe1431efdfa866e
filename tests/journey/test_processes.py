"""The journey again, with three `gather run` processes (one per network) sharing PostgreSQL.

The fake servers run in the test process; each process is started exactly as an operator
would (`gather --config bots.toml run --network telegram`), with its token in the
environment, and stopped with SIGTERM. The processes use the real clock, so reminders are
left to the one-process journey (test_three_networks.py), which moves an injected clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from sandbox.demo.world import FakeWorld
from tests.conftest import POSTGRES_URL
from tests.journey.harness import (
    NETWORKS,
    Cast,
    all_show,
    code_in,
    code_of,
    eventually,
    m_announcement,
    press,
    ready,
    slash,
    tap,
    tg_announcement,
    tg_dms,
    tg_says,
)

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL.startswith("postgresql"),
    reason="several processes need PostgreSQL (set GATHER_TEST_DATABASE_URL)",
)
ROOT = Path(__file__).resolve().parents[2]


def spawn(world: FakeWorld, config: Path, network: str, log: Path) -> subprocess.Popen[bytes]:
    """`gather --config bots.toml run --network X`, as an operator starts it; output to `log`."""
    environ = {
        **os.environ,
        **world.environ,
        "PTB_TIMEDELTA": "true",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    environ.pop("GATHER_DATABASE_URL", None)
    command = [sys.executable, "-m", "adapters", "--config", str(config), "run"]
    with log.open("wb") as sink:
        return subprocess.Popen(
            [*command, "--network", network],
            cwd=ROOT,
            env=environ,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )


async def stop(started: list[tuple[str, subprocess.Popen[bytes], Path]]) -> None:
    """SIGTERM each, then each must exit with 0 within 20 s."""
    for _, process, _ in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    problems = []
    for network, process, _ in started:  # every one waited for, whatever the others did
        try:
            code = await asyncio.to_thread(process.wait, 20)
        except subprocess.TimeoutExpired:
            process.kill()
            await asyncio.to_thread(process.wait, 5)
            problems.append(f"{network} ignored SIGTERM")
            continue
        if code != 0:
            problems.append(f"{network} exited with {code}")
    assert not problems, f"{'; '.join(problems)}:\n{_logs(started)}"


@contextlib.asynccontextmanager
async def processes(world: FakeWorld, config: Path, logs: Path) -> AsyncIterator[list[str]]:
    """One `gather run --network X` per network; their stderr is shown if the test fails."""
    started: list[tuple[str, subprocess.Popen[bytes], Path]] = []
    try:
        for network in NETWORKS:
            log = logs / f"{network}.log"
            started.append((network, spawn(world, config, network, log), log))
        try:
            await ready(world, timeout=60)  # three processes starting on a busy machine
        except AssertionError:
            raise AssertionError(_logs(started)) from None
        yield [network for network, _, _ in started]
        for network, process, _log in started:
            assert process.poll() is None, f"{network} died:\n{_logs(started)}"
    finally:
        await stop(started)


def _logs(started: list[tuple[str, subprocess.Popen[bytes], Path]]) -> str:
    return "\n".join(
        f"--- {network} ---\n{log.read_text(errors='replace')[-3000:]}"
        for network, _, log in started
    )


async def test_three_processes_one_gathering(
    world: FakeWorld, tmp_path: Path, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite is for one process")
    tg, dc, m = world.tg, world.dc, world.m
    alice, bob, lee_tg = (tg.create_user(n, username=n.lower()) for n in ("Alice", "Bob", "Lee"))
    for person in (alice, bob, lee_tg):
        tg.add_member(world.group, person)
    dana, lee_dc = dc.add_member(world.guild, "dana"), dc.add_member(world.guild, "lee")
    sam = m.create_account("sam")
    config = tmp_path / "bots.toml"
    config.write_text(world.bots_toml(database_url), encoding="utf-8")

    async with processes(world, config, tmp_path):
        for person in (alice, bob, lee_tg):
            tg.user_starts_bot(person)
        await eventually(lambda: all(tg_dms(world, p) for p in (alice, bob, lee_tg)))
        started = await tg_says(
            world, alice, "/gather Beach clean at Portobello beach, 12 June 2031 10am, need 5"
        )
        assert "Started Beach clean" in started
        post = await eventually(lambda: tg_announcement(world), 15, "Telegram announcement")
        code = code_of(post)
        await all_show(world, code, "1 going of 5 needed")

        assert "You're in" in await press(world, dana, code)
        await all_show(world, code, "2 going of 5 needed (Discord 1, Telegram 1)")
        toot = m_announcement(world, code)
        assert toot is not None
        m.boost(sam, toot.id)
        await all_show(world, code, "3 going of 5 needed (Discord 1, Mastodon 1, Telegram 1)")
        assert "You're in" in await tap(world, bob, code)
        await all_show(world, code, "4 going of 5 needed (Discord 1, Mastodon 1, Telegram 2)")

        # Linking crosses processes: the code is made by one, redeemed by another.
        link_code = code_in(await tg_says(world, lee_tg, "/link", private=True))
        assert "link" in (await slash(world, lee_dc, "link", {"code": link_code})).lower()
        assert "You're in" in await tap(world, lee_tg, code)
        await all_show(world, code, "5 going of 5 needed (Discord 1, Mastodon 1, Telegram 3)")
        assert "already" in (await press(world, lee_dc, code)).lower()
        await all_show(world, code, "It's on")

        def told(needle: str) -> dict[str, int]:
            return Cast(
                telegram={"alice": alice, "bob": bob, "lee": lee_tg},
                discord={"lee": lee_dc, "dana": dana},
                mastodon={"sam": sam},
            ).told(world, needle)

        await eventually(lambda: all(told("It's on!").values()), 20, "it's on DMs")
        moved = await tg_says(world, alice, f"/edit {code} when 13 June 2031 11am")
        assert "13 June 2031, 11:00" in moved, moved
        await all_show(world, code, "13 June 2031, 11:00")
        await eventually(
            lambda: all(n for who, n in told("Changed:").items() if who != "alice"), 20, "changes"
        )
        cancelled = await tg_says(world, alice, f"/cancel {code} storm warning")
        assert "ancel" in cancelled
        await all_show(world, code, "CANCELLED")
        await eventually(
            lambda: all(n for who, n in told("storm warning").items() if who != "alice"),
            20,
            "cancellations",
        )
        # Exactly once each, although three processes were sending.
        assert told("It's on!") == dict.fromkeys(told("It's on!"), 1)
        assert told("Changed:") == {"alice": 0, "bob": 1, "lee": 1, "dana": 1, "sam": 1}
        assert told("storm warning") == {"alice": 0, "bob": 1, "lee": 1, "dana": 1, "sam": 1}
