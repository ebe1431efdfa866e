"""A burst of button presses on one Discord announcement, against the fake Discord server.

    .venv/bin/python bench/discord_burst.py [--presses 1000] [--spread 0] [--url DATABASE_URL]
                                            [--in-process]

1,000 members (by default) each press **I'm in** once on one announcement. The figures: how
many presses were acknowledged in time (Discord's limit: 3 s; the fake refuses a later
acknowledgement with 10062, as Discord does) and how late, how long after the last press the
announcement showed the final count (goal: 5 s), the busiest second of bot requests (limit:
50/s), and the 429s and invalid requests Discord would have counted (goal: zero). Everything
is measured on the server side, from the fake's record of the requests it received.

Two modes:

- separate process (the default): the bot runs as its own process, started as an operator
  starts it (`python -m adapters --config bots.toml run --network discord`, the token in the
  environment), pointed at the fake server, which stays in this process and records
  everything. The bot is stopped with SIGTERM at the end and must exit cleanly.
- `--in-process`: the old set-up. The bot (the discord.py client via the adapter, the core
  in worker threads) runs in this process and on the same event loop as the fake server.

The separate process is the default because production never runs Discord on the bot's
event loop: in one process the fake's own CPU work (2,000+ HTTP requests and the gateway)
competes with the bot for the loop and the GIL, which makes the bot look slower than it is.
`--in-process` stays for comparison with earlier figures.

The database is SQLite in a temporary directory unless `--url` names another, e.g.
`--url postgresql+psycopg://postgres@127.0.0.1:5432/bench` (create it first:
`psql -h 127.0.0.1 -U postgres -d postgres -c "create database bench"`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.clock import SystemClock
from core.storage.db import Database, make_engine, upgrade
from sandbox.fakes.discord_server import FakeDiscord, FakeMember, InteractionHandle
from tests.discord.harness import TOKEN, World, code_of, running, section_for

ROOT = Path(__file__).resolve().parent.parent
TOKEN_ENV = "GATHER_BENCH_DISCORD_TOKEN"
START_TIMEOUT = 30.0  # seconds for the bot to connect and register its commands
FINAL_TIMEOUT = 60.0  # seconds after the last press to wait for the final count
COUNT = re.compile(r"👥 (\d+) going")


class BotFailed(Exception):
    """The bot process died, did not connect, or did not exit cleanly; carries its log."""


async def burst(
    presses: int,
    spread: float,
    url: str,
    in_process: bool,
    folder: Path,
    log: Path,
    notes: list[str],
) -> dict[str, object]:
    async with FakeDiscord(token=TOKEN) as dc:
        world = World(dc)
        people = [dc.add_member(world.guild, f"p{i}") for i in range(presses)]
        async with (
            bot_in_process(world, url)
            if in_process
            else bot_process(world, url, folder, log, notes)
        ):
            return await _press(dc, world, people, spread)


@contextlib.asynccontextmanager
async def bot_in_process(world: World, url: str) -> AsyncIterator[None]:
    """The adapter and the core in this process, on the fake server's event loop."""
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    upgrade(url)
    database = Database(make_engine(url))
    old = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    try:
        async with running(world.gather(database, SystemClock()), world):
            yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old
        database.dispose()


@contextlib.asynccontextmanager
async def bot_process(
    world: World, url: str, folder: Path, log: Path, notes: list[str]
) -> AsyncIterator[None]:
    """`gather run --network discord` as its own process (its bots.toml in `folder`, its
    output in `log`); SIGTERM on the way out."""
    dc = world.dc
    config = folder / "bots.toml"
    config.write_text(_bots_toml(world, url), encoding="utf-8")
    environ = {**os.environ, TOKEN_ENV: dc.token, "NO_PROXY": "127.0.0.1,localhost"}
    for name in ("GATHER_DATABASE_URL", "GATHER_CONFIG"):
        environ.pop(name, None)
    command = [sys.executable, "-m", "adapters", "--config", str(config), "run"]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*command, "--network", "discord"],
            cwd=ROOT,
            env=environ,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        await _connected(dc, process, log)
        try:
            yield
        except TimeoutError as error:
            raise BotFailed(f"{error}; the bot's log:\n{_tail(log)}") from None
        if process.poll() is not None:
            raise BotFailed(f"the bot died during the burst (exit {process.returncode})")
    finally:
        code = await _stop(process)
        notes.extend(_odd_lines(log))
    if code != 0:
        raise BotFailed(f"the bot exited with {code} after SIGTERM:\n{_tail(log)}")


def _bots_toml(world: World, url: str) -> str:
    """The same settings as the in-process mode (tests.discord.harness), as a bots.toml."""
    discord = {"token_env": TOKEN_ENV, **section_for(world.dc)}
    return "\n".join(
        [
            "[gather]",
            f"database_url = {json.dumps(url)}",
            'time_zone = "Europe/London"',
            'languages = ["en"]',
            'reminders = ["1d", "2h"]',
            "",
            "[[communities]]",
            'name = "c"',
            f'rooms = ["discord:{world.channel.id}"]',
            "",
            "[discord]",
            *(f"{key} = {json.dumps(value)}" for key, value in discord.items()),
            "",
        ]
    )


async def _connected(dc: FakeDiscord, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until the fake has seen IDENTIFY (a live session) and the command sync answered."""
    deadline = time.monotonic() + START_TIMEOUT

    def synced() -> bool:
        puts = dc.requests_to("PUT", r"^/applications/\d+/commands$")
        return bool(dc.live_sessions() and puts and puts[-1].status == 200)

    while not synced():
        if process.poll() is not None:
            raise BotFailed(f"the bot exited with {process.returncode}:\n{_tail(log)}")
        if time.monotonic() > deadline:
            raise BotFailed(f"the bot did not connect within {START_TIMEOUT:g} s:\n{_tail(log)}")
        await asyncio.sleep(0.05)


async def _stop(process: subprocess.Popen[bytes]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return await asyncio.to_thread(process.wait, 20)
    except subprocess.TimeoutExpired:
        process.kill()
        await asyncio.to_thread(process.wait, 5)
        return -signal.SIGKILL


def _tail(log: Path, chars: int = 4000) -> str:
    return log.read_text(errors="replace")[-chars:]


def _odd_lines(log: Path, shown: int = 10) -> list[str]:
    """A summary of the bot's log: its warnings and errors (the first few of them)."""
    lines = log.read_text(errors="replace").splitlines()
    odd = [ln for ln in lines if re.search(r" (WARNING|ERROR|CRITICAL) |Traceback", ln)]
    return [f"bot log: {len(lines)} lines, {len(odd)} warnings or errors", *odd[:shown]]


async def _press(
    dc: FakeDiscord, world: World, people: list[FakeMember], spread: float
) -> dict[str, object]:
    """The organiser's /gather, then every person presses I'm in once."""
    handle = await dc.slash_command(
        world.guild,
        world.channel,
        world.organiser,
        "gather",
        {"text": "Beach clean at Portobello beach, next Saturday 10am"},
    )
    code = code_of(await handle.followup(0, timeout=15))
    post = await world.announcement(code, timeout=15)
    before = len(dc.requests)
    sent_at: dict[int, float] = {}
    handles: list[InteractionHandle] = []
    started = time.time()
    for i, person in enumerate(people):
        if spread:
            await asyncio.sleep(max(0.0, started + spread * i / len(people) - time.time()))
        now = time.time()
        handle = await dc.press_button(world.channel, person, post.id, f"gather:join:{code}")
        sent_at[handle.id] = now
        handles.append(handle)
    last_press = time.time()
    final = f"👥 {len(people) + 1} going"
    shown: float | None = None
    with contextlib.suppress(TimeoutError):
        await dc.wait_for(lambda: final in dc.get_message(post.id).content, FINAL_TIMEOUT)
        shown = time.time()

    def settled() -> bool:  # every press answered, or refused as too late
        return all(h.followups or (h.callbacks and not h.acknowledged) for h in handles)

    with contextlib.suppress(TimeoutError):
        await dc.wait_for(settled, max(1.0, last_press + FINAL_TIMEOUT - time.time()))

    # The first acknowledgement the bot attempted for each press, as the server saw it.
    first: dict[int, tuple[float, int | None]] = {}
    for rec in dc.requests[before:]:
        if rec.path.startswith("/interactions/") and rec.path.endswith("/callback"):
            interaction_id = int(rec.path.split("/")[2])
            if interaction_id in sent_at and interaction_id not in first:
                first[interaction_id] = (rec.time - sent_at[interaction_id], rec.status)
    delays = sorted(delay for delay, _ in first.values())
    acknowledged = sum(1 for _, status in first.values() if status is not None and status < 300)
    bot_requests = [
        r.time
        for r in dc.requests[before:]
        if not r.path.startswith(("/interactions/", "/webhooks/"))
    ]
    busiest = max((sum(1 for t in bot_requests if s <= t < s + 1) for s in bot_requests), default=0)
    counted = COUNT.search(dc.get_message(post.id).content)
    return {
        "presses": len(people),
        "acknowledged": acknowledged,
        "never_acknowledged": len(people) - acknowledged,
        "late_refused_10062": sum(1 for _, status in first.values() if status == 404),
        "ack_max_s": delays[-1] if delays else None,
        "ack_p50_s": statistics.median(delays) if delays else None,
        "ack_p99_s": delays[max(0, int(len(delays) * 0.99) - 1)] if delays else None,
        "press_duration_s": last_press - started,
        "final_count_after_last_press_s": None if shown is None else shown - last_press,
        "count_shown": int(counted.group(1)) if counted else None,
        "announcement_edits": len(dc.requests_to("PATCH", rf"/messages/{post.id}$")),
        "busiest_second_requests": busiest,
        "rate_limited_429": dc.rate_limit_hits,
        "invalid_requests": dc.invalid_requests,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=1000)
    parser.add_argument(
        "--spread",
        type=float,
        default=0.0,
        help="seconds over which the presses arrive (0: all at once)",
    )
    parser.add_argument("--url", default="", help="database URL (default: SQLite, temporary)")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="run the bot in this process, on the fake server's event loop (the old set-up)",
    )
    parser.add_argument(
        "--bot-log", type=Path, help="keep the bot's log here (default: a temporary directory)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    started = time.monotonic()
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        log = args.bot_log.resolve() if args.bot_log else Path(tmp) / "bot.log"
        try:
            figures = asyncio.run(
                burst(args.presses, args.spread, url, args.in_process, Path(tmp), log, notes)
            )
        except BotFailed as error:
            raise SystemExit(f"discord_burst: {error}") from None
    mode = "in-process (bot and fake server share one event loop)"
    if not args.in_process:
        mode = "separate process (gather run --network discord)"
    database = url.split(":", 1)[0].split("+", 1)[0]
    print(
        f"# {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, {database}, {mode}"
    )
    for name, value in figures.items():
        if value is None:
            value = "never" if name.startswith("final") else "-"
        print(f"{name:34} {value:.3f}" if isinstance(value, float) else f"{name:34} {value}")
    print(f"# the run took {time.monotonic() - started:.1f} s, start-up included")
    for note in notes:
        print(f"# {note}")


if __name__ == "__main__":
    main()
