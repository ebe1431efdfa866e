"""Benchmark: 500 boosts then 100 un-boosts on one announcement, against the fake Mastodon.

Real time is compressed by SCALE (default 10): the fake allows 300 requests per 300/SCALE s,
and the adapter's windows, reconcile and edit intervals are divided by SCALE too, so the
request budget is exercised exactly as in 5 real minutes while the run takes 30 s. Latencies
are reported as measured (scaled) and multiplied back (real-time equivalent); the second is
pessimistic for the parts that do not scale (database and HTTP time).

    .venv/bin/python bench/mastodon_boosts.py [--scale 10] [--boosts 500] [--unboosts 100]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

from adapters.mastodon import start as start_mastodon
from core.app import Gather
from core.clock import SystemClock
from core.storage.db import Database, make_engine, upgrade
from sandbox.fakes.mastodon_server import FakeMastodon
from tests.conftest import make_settings


def max_in_window(times: list[float], window: float) -> int:
    best, start = 0, 0
    for end, moment in enumerate(times):
        while times[start] <= moment - window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def main(scale: float, boosts: int, unboosts: int) -> None:
    window = 300.0 / scale
    async with FakeMastodon(rate_limit=300, rate_window=window, heartbeat_interval=15 / scale) as m:
        folder = tempfile.mkdtemp()
        url = f"sqlite:///{folder}/bench.sqlite3"
        upgrade(url)
        database = Database(make_engine(url))
        settings = make_settings(
            communities=[{"name": "c", "rooms": ["mastodon:public"]}],
            mastodon={"api_base_url": m.api_base_url},
        )
        gather = Gather(settings, database, SystemClock())
        gather.prepare()
        section = {
            "api_base_url": m.api_base_url,
            "rate_limit": 300,
            "rate_window_seconds": window,
            "reconcile_seconds": 60 / scale,
            "full_reconcile_seconds": 900 / scale,
            "edit_interval_seconds": 15 / scale,
            "stream_watchdog_seconds": 60 / scale,
            "catch_up_seconds": 300 / scale,
        }
        task = asyncio.create_task(
            start_mastodon(gather, section, {"MASTODON_ACCESS_TOKEN": m.access_token})
        )
        try:
            await m.wait_for(lambda: m.open_streams == 1, 10)
            await m.wait_for(lambda: gather.cursor("mastodon:notifications") is not None, 10)
            organiser = m.create_account("organiser")
            m.post_as(organiser, "@gather gather Beach clean at Portobello, 12 June 2031 10am")
            [post] = await m.wait_for(
                lambda: [s for s in m.posts_by() if "Code:" in s.text and s.visibility == "public"],
                10,
            )
            code = await m.wait_for(
                lambda: (
                    dict(gather.open_posts("mastodon"))
                    and next(iter(dict(gather.open_posts("mastodon"))))
                ),
                10,
            )
            first_request = len(m.requests)
            people = [m.create_account(f"p{i}", f"host{i % 7}.example") for i in range(boosts)]
            start = time.monotonic()
            # Phase 1: the boosts, spread over 2/3 of the five minutes.
            span = 200 / scale
            for i, person in enumerate(people):
                await asyncio.sleep(max(0.0, start + span * i / boosts - time.monotonic()))
                m.boost(person, post.id)
            last_boost = time.monotonic()
            expected = 1 + boosts
            await m.wait_for(lambda: len(gather.pledgers_via(code, "mastodon")) == expected, 120)
            boost_counted = time.monotonic() - last_boost
            await m.wait_for(lambda: f"{expected} going" in m.status(post.id).text, 120)
            boost_shown = time.monotonic() - last_boost
            # Phase 2: un-boosts over the last third.
            leavers = random.Random(1).sample(people, unboosts)
            phase = time.monotonic()
            for i, person in enumerate(leavers):
                await asyncio.sleep(max(0.0, phase + 100 / scale * i / unboosts - time.monotonic()))
                m.unboost(person, post.id)
            last_unboost = time.monotonic()
            expected -= unboosts
            await m.wait_for(lambda: len(gather.pledgers_via(code, "mastodon")) == expected, 600)
            unboost_counted = time.monotonic() - last_unboost
            await m.wait_for(lambda: f"{expected} going" in m.status(post.id).text, 600)
            unboost_shown = time.monotonic() - last_unboost
            ended = time.monotonic()
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            database.dispose()
        rest = [r for r in m.requests[first_request:] if not r.path.startswith("/api/v1/streaming")]
        times = [r.time for r in rest]
        peak = max_in_window(times, window)
        duration = ended - start
        kinds: dict[str, int] = {}
        for r in rest:
            key = f"{r.method} {r.path.split('/')[3] if r.path.count('/') > 2 else r.path}"
            key = "GET reblogged_by" if r.path.endswith("reblogged_by") else key
            key = "PUT status (edit)" if r.method == "PUT" else key
            kinds[key] = kinds.get(key, 0) + 1

    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
        f", SQLite; scale {scale:g}x (300 requests per {window:g}s)"
    )
    print(
        f"{boosts} boosts over {200 / scale:g}s, then {unboosts} un-boosts over {100 / scale:g}s "
        f"(real time: 200 s + 100 s)"
    )
    print(
        f"requests: {len(rest)} in {duration:.1f}s scaled ({duration * scale:.0f}s real); "
        f"busiest window: {peak} of 300; 429s: {m.rate_limited_count}"
    )
    print("  by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    for label, scaled in (
        ("last boost -> pledges exact", boost_counted),
        ("last boost -> announcement shows it", boost_shown),
        ("last un-boost -> pledges exact", unboost_counted),
        ("last un-boost -> announcement shows it", unboost_shown),
    ):
        print(f"  {label}: {scaled:.2f}s scaled, ~{scaled * scale:.0f}s real-time equivalent")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--boosts", type=int, default=500)
    parser.add_argument("--unboosts", type=int, default=100)
    options = parser.parse_args()
    asyncio.run(main(options.scale, options.boosts, options.unboosts))
