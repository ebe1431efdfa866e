"""Gathering pages with a big database, and many live pages open at once.

    .venv/bin/python bench/web_pages.py [--gatherings 100000] [--pledges 1000000] [--pages 1000]

Fills SQLite with synthetic gatherings and pledges (as bench/core_latency.py does), then:
1. renders random gathering pages in process (the core's query + the HTML) and their .ics,
   and fetches pages over HTTP from the running server: p50/p99 of each;
2. opens `--pages` live pages (server-sent events, from a separate process, as browsers
   would be) on one gathering, makes one join through `Gather.handle`, and times how long
   until the last page has the new count; and the server's memory before and after;
3. sends `--flood` page requests from one address (the deployed limits) while timing joins
   and leaves through the core, as the bots make them, against the same without the flood.
Prints a table, then one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

import aiohttp
from core_latency import NOW, code_for, fill, percentile  # bench/ is the script's path

from adapters.web import WebServer, html
from adapters.web.calendar import calendar_file
from core.app import Gather
from core.clock import FixedClock
from core.config import parse
from core.contract.commands import Command
from core.contract.identities import Identity, RoomRef
from core.storage.db import Database, make_engine, upgrade

SAMPLES = 2000


def resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def time_renders(gather: Gather, gatherings: int) -> dict[str, tuple[float, float]]:
    rng = random.Random(3)
    page_ms, ics_ms = [], []
    addresses = gather.pages.join_addresses()  # the server reads them every 30 s, not per page
    for _ in range(SAMPLES):
        code = code_for(rng.randint(1, gatherings))
        began = time.perf_counter()
        view = gather.pages.gathering_page(code)
        assert view is not None
        html.gathering(view, "http://bench", addresses)
        page_ms.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        calendar_file([gather.pages.gathering_page(code)], "http://bench", code, single=True)  # type: ignore[list-item]
        ics_ms.append((time.perf_counter() - began) * 1000)
    return {
        "page": (percentile(page_ms, 0.5), percentile(page_ms, 0.99)),
        "ics": (percentile(ics_ms, 0.5), percentile(ics_ms, 0.99)),
    }


async def time_http(url: str, gatherings: int) -> tuple[float, float]:
    rng = random.Random(5)
    took = []
    async with aiohttp.ClientSession() as http:
        for _ in range(SAMPLES // 2):
            began = time.perf_counter()
            async with http.get(f"{url}/g/{code_for(rng.randint(1, gatherings))}") as response:
                assert response.status == 200
                await response.read()
            took.append((time.perf_counter() - began) * 1000)
    return percentile(took, 0.5), percentile(took, 0.99)


def watch_pages(address: str, pages: int, connected: Connection, done: Connection) -> None:
    """In a child process: `pages` browsers with the page open; reports when each saw a change."""

    async def main() -> None:
        seen: list[float] = []
        ready = asyncio.Event()
        opened = 0

        async def page(http: aiohttp.ClientSession) -> None:
            nonlocal opened
            async with http.get(address, timeout=aiohttp.ClientTimeout(total=None)) as response:
                opened += 1
                if opened == pages:
                    ready.set()
                events = 0
                async for line in response.content:
                    if line.startswith(b"data:"):
                        events += 1
                        if events == 2:  # the first is the count as it was when it opened
                            seen.append(time.time())
                            return

        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as http:
            tasks = [asyncio.create_task(page(http)) for _ in range(pages)]
            await ready.wait()
            connected.send(True)
            await asyncio.wait_for(asyncio.gather(*tasks), 60)
        done.send((min(seen), max(seen), len(seen)))

    asyncio.run(main())


async def time_live(gather: Gather, server: WebServer, pages: int) -> dict[str, float]:
    code = code_for(1)
    before = resident_mib()
    connected_here, connected_there = multiprocessing.Pipe()
    done_here, done_there = multiprocessing.Pipe()
    child = multiprocessing.get_context("spawn").Process(
        target=watch_pages,
        args=(f"{server.address}/g/{code}/live", pages, connected_there, done_there),
    )
    child.start()
    while child.is_alive() and not connected_here.poll():
        await asyncio.sleep(0.05)
    while server.live.watchers < pages:
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.0)  # let the poller see the gathering as it is before the join
    during = resident_mib()
    joined_at = time.time()
    command = Command(
        Identity("telegram", "bench-joiner", "Joiner"), RoomRef("console", "#c"), f"/join {code}"
    )
    reply = await asyncio.to_thread(gather.handle, command)
    assert reply.ok, reply
    while child.is_alive() and not done_here.poll():
        await asyncio.sleep(0.05)
    first, last, count = done_here.recv()
    child.join()
    return {
        "pages": count,
        "first_s": first - joined_at,
        "last_s": last - joined_at,
        "rss_before_mib": before,
        "rss_open_mib": during,
        "kib_per_page": (during - before) * 1024 / pages,
    }


def flood(address: str, requests: int, done: Connection) -> None:
    """In a child process: `requests` page requests from one address, 64 at a time."""

    async def main() -> None:
        statuses: dict[int, int] = {}
        queue = iter(range(requests))

        async def worker(http: aiohttp.ClientSession) -> None:
            for _ in queue:
                async with http.get(address) as response:
                    await response.read()
                    statuses[response.status] = statuses.get(response.status, 0) + 1

        began = time.perf_counter()
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            await asyncio.gather(*(worker(http) for _ in range(64)))
        done.send((time.perf_counter() - began, statuses))

    asyncio.run(main())


def time_commands(gather: Gather, rounds: int, label: str) -> list[float]:
    """A bot's work meanwhile: join and leave, through the core, as adapters call it."""
    took = []
    for n in range(rounds):
        who = Identity("telegram", f"flood-{label}-{n % 50}", "Flood")
        for word in ("join", "leave"):
            command = Command(who, RoomRef("console", "#c"), f"/{word} {code_for(2)}")
            began = time.perf_counter()
            assert gather.handle(command).ok
            took.append((time.perf_counter() - began) * 1000)
    return took


async def time_flood(gather: Gather, server: WebServer, requests: int) -> dict[str, object]:
    """Core commands while one address sends `requests` page requests (default limits)."""
    quiet = await asyncio.to_thread(time_commands, gather, 150, "quiet")
    here, there = multiprocessing.Pipe()
    child = multiprocessing.get_context("spawn").Process(
        target=flood, args=(f"{server.address}/g/{code_for(3)}", requests, there)
    )
    child.start()
    await asyncio.sleep(1.0)  # the child has started its interpreter and begun
    busy: list[float] = []
    while child.is_alive() and not here.poll():
        busy += await asyncio.to_thread(time_commands, gather, 10, "busy")
    elapsed, statuses = here.recv()
    child.join()
    return {
        "requests": requests,
        "flood_s": elapsed,
        "statuses": statuses,
        "quiet_p50_ms": percentile(quiet, 0.5),
        "quiet_p99_ms": percentile(quiet, 0.99),
        "flood_p50_ms": percentile(busy, 0.5),
        "flood_p99_ms": percentile(busy, 0.99),
        "commands_during_flood": len(busy),
    }


async def run(arguments: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="gather-web-bench-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    upgrade(url)
    database = Database(make_engine(url))
    people = max(1000, arguments.pledges // 10)
    began = time.perf_counter()
    fill(database, arguments.gatherings, arguments.pledges, 0, people)
    filled_s = time.perf_counter() - began
    settings = parse(
        {"gather": {"time_zone": "Europe/London"}, "web": {"port": 0}},
        base_dir=folder,
        environ={"GATHER_DATABASE_URL": url},
    )
    gather = Gather(settings, database, FixedClock(NOW))
    gather.prepare()
    renders = time_renders(gather, arguments.gatherings)
    server = WebServer(
        gather, requests_per_second=1e6, burst=10**6, max_live_pages=arguments.pages * 2
    )
    await server.start()
    try:
        over_http = await time_http(server.address, arguments.gatherings)
        live = await time_live(gather, server, arguments.pages)
    finally:
        await server.stop()
    # A flood from one address, with the limits a deployment has.
    limited = WebServer(gather)
    await limited.start()
    try:
        flooded = await time_flood(gather, limited, arguments.flood)
    finally:
        await limited.stop()
        database.dispose()
    print(
        f"SQLite, {arguments.gatherings:,} gatherings, {arguments.pledges:,} pledges (filled in {filled_s:.0f} s)"
    )
    print("| what | p50 | p99 |")
    print("|---|---|---|")
    print(
        f"| page render (core query + HTML) | {renders['page'][0]:.2f} ms | {renders['page'][1]:.2f} ms |"
    )
    print(f"| .ics render | {renders['ics'][0]:.2f} ms | {renders['ics'][1]:.2f} ms |")
    print(f"| page over HTTP (one client) | {over_http[0]:.2f} ms | {over_http[1]:.2f} ms |")
    print(
        f"{live['pages']:.0f} live pages: a join reached the first in {live['first_s']:.2f} s, "
        f"the last in {live['last_s']:.2f} s; server memory {live['rss_before_mib']:.0f} -> "
        f"{live['rss_open_mib']:.0f} MiB ({live['kib_per_page']:.0f} KiB per open page)"
    )
    print(
        f"{flooded['requests']:,} requests from one address in {flooded['flood_s']:.1f} s "
        f"({flooded['statuses']}); join/leave meanwhile p50/p99 {flooded['flood_p50_ms']:.2f} / "
        f"{flooded['flood_p99_ms']:.2f} ms (quiet: {flooded['quiet_p50_ms']:.2f} / "
        f"{flooded['quiet_p99_ms']:.2f} ms)"
    )
    print(
        json.dumps(
            {
                "bench": "web_pages",
                "gatherings": arguments.gatherings,
                "pledges": arguments.pledges,
                "page_p50_ms": round(renders["page"][0], 3),
                "page_p99_ms": round(renders["page"][1], 3),
                "ics_p50_ms": round(renders["ics"][0], 3),
                "ics_p99_ms": round(renders["ics"][1], 3),
                "http_p50_ms": round(over_http[0], 3),
                "http_p99_ms": round(over_http[1], 3),
                **{f"live_{k}": round(v, 3) for k, v in live.items()},
                **{
                    f"flood_{k}": round(v, 3) if isinstance(v, float) else v
                    for k, v in flooded.items()
                },
                "cpus": os.cpu_count(),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gatherings", type=int, default=100_000)
    parser.add_argument("--pledges", type=int, default=1_000_000)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--flood", type=int, default=10_000)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
