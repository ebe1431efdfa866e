"""A flash mob on PostgreSQL: joins into ONE gathering from three processes at once.

    .venv/bin/python bench/flash_mob.py --url postgresql+psycopg://... [--joins 3000]
        [--processes 3] [--threads 32] [--pledges 1000000]

The database is first filled to `--pledges` pledges over a tenth as many gatherings (bulk
inserts, as bench/core_latency.py does), and joins one at a time into random gatherings are
timed (join p50/p99 at that size). Then `--processes` processes, each with `--threads`
worker threads and its own connection pool (as `gather run` has), send `--joins` joins into
one new gathering, all through `Gather.handle`. Every reply is checked (ok, "you're in", "it's
on" in exactly one), and so are the count, the stored pledges and the target's time.

The profile says where a join's time goes: statements (driver + server; a lock wait shows
as a slow locking statement), COMMIT, and the rest (Python); and what CPU a join costs in
our processes and in PostgreSQL's backends. With two cores, 2 s of CPU per second is the
most there is: that over CPU per join is the ceiling on this machine.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import random
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from core_latency import NOW, code_for, fill
from join_profile import LOCKING, StatementClock, backend_pids, cpu_seconds, empty_postgres
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from core.app import Gather
from core.clock import FixedClock
from core.config import Settings, parse
from core.contract.commands import Command
from core.contract.identities import Identity, RoomRef
from core.storage.db import Database, make_engine
from core.storage.models import Gathering, Pledge
from core.words import i18n

ROOM = RoomRef("console", "#square")
TARGET = 20  # the mob crosses it early: "it's on" must be said once


def settings_for(url: str) -> Settings:
    return parse(
        {
            "gather": {"time_zone": "Europe/London"},
            "communities": [{"name": "bench", "rooms": ["console:#beach", "console:#square"]}],
        },
        base_dir=Path("."),
        environ={"GATHER_DATABASE_URL": url},
    )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def mob(
    url: str, code: str, worker: int, count: int, threads: int, start_at: float, out: Any
) -> None:
    """One process of the mob: `count` joins from `threads` threads, from `start_at` on."""
    logging.getLogger("core").setLevel(logging.CRITICAL)  # failures are counted instead
    database = Database(make_engine(url))
    gather = Gather(settings_for(url), database, FixedClock(NOW))
    clock = StatementClock(database.engine)
    dbname = make_url(url).database or ""
    its_on = i18n.text("en", "join.its_on")

    def join(n: int) -> tuple[float, bool, bool]:
        started = time.perf_counter()
        reply = gather.handle(
            Command(
                Identity("discord", f"mob-{worker}-{n}", f"Mob {n}"),
                ROOM,
                f"/join {code}",
                event_key=f"mob-{worker}-{n}",
            )
        )
        elapsed = time.perf_counter() - started
        shown = reply.message.plain() if reply.message is not None else ""
        if reply.failed:  # e.g. no connection free in time: the adapter keeps a dead letter
            return elapsed, False, False
        assert reply.ok and not reply.duplicate and "You're in" in shown, (reply, shown)
        return elapsed, its_on in shown, True

    with ThreadPoolExecutor(threads) as pool:
        # Open the pool's connections before the clock starts.
        list(pool.map(lambda _: database.read(lambda s: s.scalar(text("SELECT 1"))), range(20)))
        pids = backend_pids(database.engine, dbname)
        clock.reset()
        time.sleep(max(0.0, start_at - time.time()))
        began, cpu_before, server_before = time.time(), time.process_time(), cpu_seconds(pids)
        results = list(pool.map(join, range(count)))
        ended = time.time()
        cpu = time.process_time() - cpu_before
    mine = set(backend_pids(database.engine, dbname)) & set(pids)
    server_after = cpu_seconds(list(mine))
    server = sum(server_after[p] - server_before.get(p, 0.0) for p in server_after)
    out.put(
        {
            "began": began,
            "ended": ended,
            "latencies": [r[0] for r in results],
            "its_on": sum(1 for r in results if r[1]),
            "failed": sum(1 for r in results if not r[2]),
            "cpu": cpu,
            "server_cpu": server,
            "statements": dict(clock.totals),
            "counts": dict(clock.counts),
            "held": clock.held,
        }
    )
    database.dispose()


def one_at_a_time(
    gather: Gather, clock: StatementClock, gatherings: int, samples: int
) -> dict[str, Any]:
    """Joins into random gatherings, one at a time: latency and where it goes."""
    rng = random.Random(11)
    latencies = []
    clock.reset()
    for n in range(samples):
        who = Identity("telegram", f"single-{n}", "Single")
        started = time.perf_counter()
        reply = gather.handle(
            Command(
                who,
                RoomRef("console", "#beach"),
                f"/join {code_for(rng.randint(1, gatherings))}",
                event_key=f"single-{n}",
            )
        )
        latencies.append(time.perf_counter() - started)
        assert reply.ok, reply
    return {
        "latencies": latencies,
        "statements": dict(clock.totals),
        "counts": dict(clock.counts),
        "held": clock.held,
    }


def breakdown(
    statements: dict[str, float], counts: dict[str, int], joins: int, total: float
) -> list[str]:
    lines = []
    for kind, seconds in sorted(statements.items(), key=lambda kv: -kv[1]):
        lines.append(
            f"    {kind:<44} {counts[kind] / joins:4.1f}/join {seconds / joins * 1000:7.3f} ms"
        )
    sql = sum(statements.values())
    rest = "the rest: Python, and waiting for the batch ahead"
    lines.append(f"    {rest:<54} {(total - sql) / joins * 1000:7.3f} ms")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("GATHER_TEST_DATABASE_URL", ""))
    parser.add_argument("--joins", type=int, default=3000)
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--pledges", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=2000, help="joins timed one at a time")
    args = parser.parse_args()
    database = empty_postgres(args.url)
    gathering_count = max(10, args.pledges // 10)
    filled = time.perf_counter()
    fill(database, gathering_count, args.pledges, 0, max(1000, args.pledges // 5))
    print(
        f"filled: {gathering_count:,} gatherings, {args.pledges:,} pledges in {time.perf_counter() - filled:.0f} s"
    )
    gather = Gather(settings_for(args.url), database, FixedClock(NOW))
    clock = StatementClock(database.engine)

    print(f"load before: {load()}")
    single = one_at_a_time(gather, clock, gathering_count, args.samples)
    total = sum(single["latencies"])
    print(f"one join at a time into random gatherings ({args.samples}), load {load()}:")
    print(
        f"  p50 {statistics.median(single['latencies']) * 1000:.2f} ms  p99 {percentile(single['latencies'], 0.99) * 1000:.2f} ms"
    )
    print("\n".join(breakdown(single["statements"], single["counts"], args.samples, total)))

    reply = gather.handle(
        Command(
            Identity("console", "organiser"),
            ROOM,
            f"/gather Flash mob at the square, Saturday 5 December 3pm, need {TARGET} people",
        )
    )
    assert reply.ok and reply.gathering_code, reply
    code = reply.gathering_code
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    share = args.joins // args.processes
    start_at = time.time() + 4.0  # every process ready, then all at once
    workers = [
        context.Process(target=mob, args=(args.url, code, w, share, args.threads, start_at, out))
        for w in range(args.processes)
    ]
    for process in workers:
        process.start()
    results = [out.get(timeout=600) for _ in workers]
    load_during = load()
    for process in workers:
        process.join(timeout=60)
        assert process.exitcode == 0, process.exitcode
    failed = sum(r["failed"] for r in results)
    joins = share * args.processes - failed  # answered "you're in"
    elapsed = max(r["ended"] for r in results) - min(r["began"] for r in results)
    latencies = [x for r in results for x in r["latencies"]]
    with database.session() as session:
        gathering = session.scalar(select(Gathering).where(Gathering.code == code))
        assert gathering is not None
        stored = session.scalar(
            select(func.count(Pledge.id)).where(
                Pledge.gathering_id == gathering.id, Pledge.state == "going"
            )
        )
        assert gathering.people_going == joins + 1 == stored, (gathering.people_going, stored)
        assert gathering.reached_target_at is not None
    its_on = sum(r["its_on"] for r in results)
    assert its_on == 1, its_on
    statements: dict[str, float] = {}
    counts: dict[str, int] = {}
    for r in results:
        for kind, seconds in r["statements"].items():
            statements[kind] = statements.get(kind, 0.0) + seconds
            counts[kind] = counts.get(kind, 0) + r["counts"][kind]
    client_cpu = sum(r["cpu"] for r in results) / joins * 1000
    server_cpu = sum(r["server_cpu"] for r in results) / joins * 1000
    held = [x for r in results for x in r["held"]]
    rate = joins / elapsed
    print(
        f"\nflash mob: {args.processes} processes x {args.threads} threads, {joins} joins into one gathering, load {load_during}:"
    )
    print(
        f'  {rate:,.0f} joins/s in {elapsed:.2f} s; count {joins + 1} exact, "it\'s on" said {its_on} time'
    )
    print(
        f"  join latency p50 {statistics.median(latencies) * 1000:.1f} ms  p99 {percentile(latencies, 0.99) * 1000:.1f} ms"
    )
    print(
        f"  gathering row held p50 {statistics.median(held) * 1000:.2f} ms  p99 {percentile(held, 0.99) * 1000:.2f} ms"
    )
    print(
        f"  CPU per join: {client_cpu:.2f} ms in our processes + {server_cpu:.2f} ms in PostgreSQL backends"
    )
    print(
        f"  ceiling from CPU on {os.cpu_count()} cores: {os.cpu_count() * 1000 / (client_cpu + server_cpu):,.0f} joins/s"
    )
    print("  wall time per join, summed over threads:")
    print("\n".join(breakdown(statements, counts, joins, sum(latencies))))
    summary = {
        "pledges": args.pledges,
        "single_join_p50_ms": round(statistics.median(single["latencies"]) * 1000, 2),
        "single_join_p99_ms": round(percentile(single["latencies"], 0.99) * 1000, 2),
        "processes": args.processes,
        "threads": args.threads,
        "joins": joins,
        "failed": failed,
        "joins_per_s": round(rate),
        "mob_join_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "mob_join_p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "row_held_p50_ms": round(statistics.median(held) * 1000, 2),
        # Wall time of the statements that take the gathering's row, summed over threads: a
        # wait for the lock shows here.
        "lock_statements_ms_per_join": round(
            sum(v for k, v in statements.items() if k in LOCKING) / joins * 1000, 3
        ),
        "statements_ms_per_join": round(sum(statements.values()) / joins * 1000, 3),
        "client_cpu_ms_per_join": round(client_cpu, 2),
        "server_cpu_ms_per_join": round(server_cpu, 2),
        "cores_used": round((client_cpu + server_cpu) * rate / 1000, 2),
        "cpu_ceiling_joins_per_s": round((os.cpu_count() or 1) * 1000 / (client_cpu + server_cpu)),
        "count_exact": True,
        "its_on_said": its_on,
        "load": load_during,
    }
    print(json.dumps(summary))
    database.dispose()


if __name__ == "__main__":
    main()
