"""A burst of button presses on one Discord announcement, against the fake Discord server.

    .venv/bin/python bench/discord_burst.py [--presses 1000] [--spread 0]

Runs the real adapter (discord.py 2.7 client, outbox worker, SQLite) and prints: the slowest
acknowledgement (Discord's limit: 3 s), how long after the last press the announcement showed
the final count (goal: 5 s), the busiest second of bot requests (limit: 50/s), and the 429s
and invalid requests Discord would have counted (goal: zero).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from discord.gateway import DiscordWebSocket
from discord.http import Route

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.fakes.discord_server import FakeDiscord
from core.clock import SystemClock
from core.db import Database, make_engine, upgrade
from tests.discord.harness import TOKEN, World, code_of, running


async def burst(presses: int, spread: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        upgrade(url)
        database = Database(make_engine(url))
        old = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
        try:
            async with FakeDiscord(token=TOKEN) as dc:
                return await _run(dc, database, presses, spread)
        finally:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old
            database.dispose()


async def _run(
    dc: FakeDiscord, database: Database, presses: int, spread: float
) -> dict[str, float]:
    world = World(dc)
    people = [dc.add_member(world.guild, f"p{i}") for i in range(presses)]
    gather = world.gather(database, SystemClock())
    async with running(gather, world):
        reply = await world.slash(
            world.organiser,
            "gather",
            {"text": "Beach clean at Portobello beach, next Saturday 10am"},
        )
        code = code_of(reply)
        post = await world.announcement(code)
        before = len(dc.requests)
        sent_at: dict[int, float] = {}
        started = time.time()
        handles = []
        for i, person in enumerate(people):
            if spread:
                await asyncio.sleep(max(0.0, started + spread * i / presses - time.time()))
            sent_at_now = time.time()
            handle = await dc.press_button(world.channel, person, post.id, f"gather:join:{code}")
            sent_at[handle.id] = sent_at_now
            handles.append(handle)
        last_press = time.time()
        final = f"👥 {presses + 1} going"
        await dc.wait_for(lambda: final in dc.get_message(post.id).content, timeout=120)
        shown = time.time()
        for handle in handles:
            await handle.followup(0, timeout=60)
    acks = []
    for rec in dc.requests[before:]:
        if rec.path.startswith("/interactions/") and rec.path.endswith("/callback"):
            interaction_id = int(rec.path.split("/")[2])
            if interaction_id in sent_at:
                acks.append(rec.time - sent_at[interaction_id])
    bot_requests = [
        r.time
        for r in dc.requests[before:]
        if not r.path.startswith(("/interactions/", "/webhooks/"))
    ]
    busiest = max((sum(1 for t in bot_requests if s <= t < s + 1) for s in bot_requests), default=0)
    return {
        "presses": presses,
        "acknowledged": len(acks),
        "ack_max_s": max(acks),
        "ack_p50_s": statistics.median(acks),
        "ack_p99_s": sorted(acks)[int(len(acks) * 0.99) - 1],
        "press_duration_s": last_press - started,
        "final_count_after_last_press_s": shown - last_press,
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
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    figures = asyncio.run(burst(args.presses, args.spread))
    print(
        f"# {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, SQLite"
    )
    for name, value in figures.items():
        print(f"{name:34} {value:.3f}" if isinstance(value, float) else f"{name:34} {value}")


if __name__ == "__main__":
    main()
