"""Days of running, compressed: the real bots on the three fake networks, a simulated clock.

    .venv/bin/python bench/soak.py [--days 1] [--per-day 6] [--database-url URL]

Each simulated day people start gatherings (Telegram, Discord) two to four days ahead, join and
leave them on all three networks (buttons, boosts), organisers move one and cancel one; then the
clock moves through the day an hour at a time and the outbox (announcement edits, changes,
cancellations, reminders by DM) is delivered at each hour before the next. Retention is short
(`[retention] outbox = "1d"`, `processed_events = "2d"`, `dead_letters = "1d"`), so a week
shows pruning at work.

On PostgreSQL (`--database-url`, default $GATHER_TEST_DATABASE_URL; in a schema of its own,
`gather_soak`, dropped first) there is one `gather run` process per network; on SQLite one for
all three. Prints a table and one JSON line: each bot process's RSS at the start (all networks
ready), after the first day and at the end, its Python heap and the lines whose allocations
grew most (tracemalloc, from the end of the first day); database size and its growth per
gathering; every table's rows at the end of each day; outbox rows by status; the load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PTB_TIMEDELTA", "true")
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

from sqlalchemy import Engine, func, select, text

from bench.soak_bot import rss_kib
from bench.soak_clock import SharedClock
from bench.soak_people import Community
from core.storage.db import make_engine, upgrade
from core.storage.schema import metadata
from core.storage.traffic import OutboxMessage
from sandbox.demo.world import FakeWorld, fake_world
from tests.journey.harness import NETWORKS, eventually, ready

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2031, 3, 3, 8, 0, tzinfo=UTC)  # a Monday morning, GMT in London
SCHEMA = "gather_soak"
RETENTION = """
[retention]
outbox = "1d"
processed_events = "2d"
dead_letters = "1d"
every = "1h"

[metrics]
listen = ""
"""
UNSENT = ("pending", "claimed", "sending")


# The journey's Mastodon settings look at every open post twice a second; over a week of
# open gatherings that spends the account's request budget (300 per 5 minutes) on looking.
MASTODON_PACE = {
    "reconcile_seconds = 0.5": "reconcile_seconds = 30.0",
    "full_reconcile_seconds = 60.0": "full_reconcile_seconds = 120.0",
    "stream_watchdog_seconds = 2.0": "stream_watchdog_seconds = 30.0",
    # Mastodon allows 300 requests in 5 minutes and 300 statuses in 3 hours; a week's DMs,
    # announcements and looks go out in minutes here, so the fake and the adapter both allow
    # ten times the requests and any number of statuses (their pacing is tested apart).
    "retry_max_seconds = 1.0": "retry_max_seconds = 1.0\npost_limit = 100000.0\nrate_limit = 3000.0",
}
MASTODON_FAKE = {"status_rate_limit": 100_000, "rate_limit": 3000}


def soak_toml(world: FakeWorld, url: str) -> str:
    text = world.bots_toml(url)
    for journey, soak in MASTODON_PACE.items():
        assert journey in text, journey
        text = text.replace(journey, soak)
    return text + RETENTION


def soak_database(url: str | None, folder: Path) -> str:
    """A fresh database: a SQLite file, or a schema of its own on PostgreSQL."""
    if not url or url.startswith("sqlite"):
        return f"sqlite:///{folder / 'soak.sqlite3'}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    admin.dispose()
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{SCHEMA}"


def database_bytes(engine: Engine, url: str) -> int:
    with engine.connect() as connection:
        if url.startswith("sqlite"):  # pages in use (the write-ahead log is not the size)
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar() or 0
            free = connection.exec_driver_sql("PRAGMA freelist_count").scalar() or 0
            return (int(pages) - int(free)) * int(
                connection.exec_driver_sql("PRAGMA page_size").scalar() or 0
            )
        return int(
            connection.scalar(
                text(
                    "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n"
                    " ON n.oid = c.relnamespace WHERE n.nspname = :schema AND c.relkind = 'r'"
                ),
                {"schema": SCHEMA},
            )
            or 0
        )


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
            for name, table in sorted(metadata.tables.items())
        }


def unsent_due(engine: Engine, now: datetime) -> int:
    with engine.connect() as connection:
        return int(
            connection.scalar(
                select(func.count()).where(
                    OutboxMessage.status.in_(UNSENT), OutboxMessage.not_before <= now
                )
            )
            or 0
        )


class Bots:
    """The `gather run` processes, each measuring itself (bench/soak_bot.py)."""

    def __init__(self, world: FakeWorld, config: Path, clock: Path, folder: Path) -> None:
        self.folder = folder
        environ = {**os.environ, **world.environ, "NO_PROXY": "127.0.0.1,localhost"}
        environ.pop("GATHER_DATABASE_URL", None)
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.config, self.clock, self.environ = config, clock, environ

    def start(self, groups: list[list[str]]) -> None:
        for networks in groups:
            name = "+".join(networks)
            script = [sys.executable, str(ROOT / "bench" / "soak_bot.py")]
            arguments = [str(self.config), str(self.clock), str(self.report(name)), *networks]
            with (self.folder / f"{name}.log").open("wb") as sink:
                self.processes[name] = subprocess.Popen(
                    [*script, *arguments], cwd=ROOT, env=self.environ, stderr=sink, stdout=sink
                )

    def report(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def rss(self) -> dict[str, int]:
        found = {}
        for name, process in self.processes.items():
            status = Path(f"/proc/{process.pid}/status").read_text().splitlines()
            found[name] = next(int(s.split()[1]) for s in status if s.startswith("VmRSS:"))
        return found

    def signal(self, number: int) -> None:
        for process in self.processes.values():
            process.send_signal(number)

    async def stop(self) -> dict[str, Any]:
        for name in self.processes:
            self.report(name).unlink(missing_ok=True)
        self.signal(signal.SIGUSR2)
        await eventually(lambda: all(self.report(n).exists() for n in self.processes), 120)
        await asyncio.sleep(0.5)  # the report is written whole before the next signal
        self.signal(signal.SIGTERM)
        for process in self.processes.values():
            await asyncio.to_thread(process.wait, 60)
        return {n: json.loads(self.report(n).read_text()) for n in self.processes}

    def end_leftovers(self) -> None:
        """After a failure: no bot process outlives the soak."""
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                log = (self.folder / f"{name}.log").read_text(errors="replace")[-3000:]
                raise SystemExit(f"{name} died:\n{log}")


async def drain(engine: Engine, clock: SharedClock, timeout: float = 30.0) -> float:
    """Wait until nothing due is unsent; returns how long that took (seconds)."""
    began = time.monotonic()
    while unsent_due(engine, clock.now()) and time.monotonic() - began < timeout:
        await asyncio.sleep(0.1)
    return time.monotonic() - began


async def live_a_day(people: Community, day: int, per_day: int, today: date) -> None:
    made = [await people.start_one(n, today, 2 + n % 3) for n in range(per_day)]
    for gathering in made:
        await people.join_some(gathering, people.chance.randint(3, 6))
    for gathering in people.open_ones(today):
        if gathering not in made:
            await people.join_some(gathering, people.chance.randint(0, 2))
            await people.leave_some(gathering, people.chance.randint(0, 1))
    await people.edit_one(today)
    if day % 2 == 1:
        await people.cancel_one(today)


async def soak(days: int, per_day: int, url: str | None) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="soak-"))
    url = soak_database(url, folder)
    upgrade(url)
    engine = make_engine(url)
    clock = SharedClock(folder / "clock", START)
    async with fake_world(MASTODON_FAKE) as world:
        people = Community.gather_people(world, per_network=12)
        config = folder / "bots.toml"
        config.write_text(soak_toml(world, url), encoding="utf-8")
        bots = Bots(world, config, clock.path, folder)
        bots.start([[n] for n in NETWORKS] if url.startswith("postgresql") else [NETWORKS])
        try:
            result = await live_the_days(people, bots, engine, clock, url, days, per_day)
        finally:
            bots.end_leftovers()
    engine.dispose()
    return result


async def live_the_days(
    people: Community,
    bots: Bots,
    engine: Engine,
    clock: SharedClock,
    url: str,
    days: int,
    per_day: int,
) -> dict[str, Any]:
    world = people.world
    began = time.monotonic()
    await ready(world, timeout=120)  # a loaded machine takes its time to start
    rss_ready, size_ready = bots.rss(), database_bytes(engine, url)
    if days == 1:
        bots.signal(signal.SIGUSR1)  # tracemalloc's baseline: from the start
    rows_by_day: list[dict[str, int]] = []
    drains: list[float] = []
    rss_first_day: dict[str, int] = {}
    for day in range(days):
        morning = START + timedelta(days=day)
        clock.set(morning)
        await live_a_day(people, day, per_day, morning.date())
        for hour in range(1, 25):
            clock.set(morning + timedelta(hours=hour))
            drains.append(await drain(engine, clock))
            bots.check_alive()
        rows_by_day.append(row_counts(engine))
        if day == 0:
            rss_first_day = bots.rss()
            if days > 1:
                bots.signal(signal.SIGUSR1)  # tracemalloc's baseline: a warm process
        print(f"day {day + 1}: {time.monotonic() - began:.0f} s", file=sys.stderr)
    await asyncio.sleep(5)  # the last prune turn
    rows_by_day[-1] = row_counts(engine)
    size_end = database_bytes(engine, url)
    with engine.connect() as connection:
        statuses = {
            str(status): count
            for status, count in connection.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            )
        }
    reports = await bots.stop()
    elapsed = time.monotonic() - began
    made = len(people.gatherings)
    drains.sort()
    return {
        "days": days,
        "backend": "postgresql" if url.startswith("postgresql") else "sqlite",
        "processes": list(reports),
        "wall_clock_s": round(elapsed, 1),
        "gatherings": made,
        "actions": people.actions,
        "hour_drain_p50_s": round(drains[len(drains) // 2], 2),
        "hour_drain_max_s": round(drains[-1], 2),
        "rss_kib": {
            name: {
                "ready": rss_ready[name],
                "after_day_1": rss_first_day.get(name),
                "end": report.get("rss_end_kib"),
            }
            for name, report in reports.items()
        },
        "python_heap_kib": {
            name: [report.get("traced_start_kib"), report.get("traced_end_kib")]
            for name, report in reports.items()
        },
        "top_growth": {name: report.get("top_growth", [])[:5] for name, report in reports.items()},
        "driver_rss_kib": rss_kib(),
        "database_bytes": {"ready": size_ready, "end": size_end},
        "bytes_per_gathering": round((size_end - size_ready) / max(made, 1)),
        "rows_by_day": rows_by_day,
        "outbox_by_status": statuses,
        "load": os.getloadavg(),
    }


def print_table(result: dict[str, Any]) -> None:
    print(f"{result['days']} days on {result['backend']} in {result['wall_clock_s']} s; "
          f"{result['gatherings']} gatherings; actions {result['actions']}")  # fmt: skip
    print(f"{'process':<22}{'RSS ready':>11}{'after day 1':>13}{'end':>9}   heap start/end (KiB)")
    for name, rss in result["rss_kib"].items():
        heap = result["python_heap_kib"][name]
        print(f"{name:<22}{rss['ready']:>11}{rss['after_day_1'] or 0:>13}{rss['end'] or 0:>9}"
              f"   {heap[0]} / {heap[1]}")  # fmt: skip
    for name, growth in result["top_growth"].items():
        for stat in growth[:3]:
            print(f"  {name}: {stat['kib']:>8} KiB  {stat['where']}")
    sizes = result["database_bytes"]
    print(f"database {sizes['ready']} -> {sizes['end']} bytes, "
          f"{result['bytes_per_gathering']} per gathering")  # fmt: skip
    days = result["rows_by_day"]
    picked = sorted({0, len(days) // 2, len(days) - 1})
    print(f"{'table':<20}" + "".join(f"{'day ' + str(d + 1):>10}" for d in picked))
    for table in days[0]:
        print(f"{table:<20}" + "".join(f"{days[d][table]:>10}" for d in picked))
    print(f"outbox by status: {result['outbox_by_status']}; load {result['load']}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--per-day", type=int, default=6)
    parser.add_argument("--database-url", default=os.environ.get("GATHER_TEST_DATABASE_URL"))
    args = parser.parse_args()
    result = asyncio.run(soak(args.days, args.per_day, args.database_url))
    print_table(result)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
