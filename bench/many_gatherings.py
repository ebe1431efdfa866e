"""Many gatherings at once on PostgreSQL: joins spread over 100,000 open gatherings.

    .venv/bin/python bench/many_gatherings.py --url postgresql+psycopg://...
        [--communities 10000] [--gatherings 100000] [--rate 200] [--duration 60] [--processes 3]

10,000 communities (one room each) and 100,000 open gatherings, each announced in its room
(bulk inserts). Then `--processes` processes send `--rate` joins a second between them, each
into a random gathering, by new people, for `--duration` seconds, through `Gather.handle`
with the real clock; each process also runs the outbox worker `gather run` runs
(adapters/runtime/outbox.py: claims in batches, fences and records up to 16 sends at once)
over a network that records each edit instead of sending it.

Measured: join latency from the moment the join was due (so a backlog counts), outbox lag
from the join to the send of the edit that shows it (`finished_at - not_before` of each
announcement edit; the edit's `not_before` is its earliest join), and whether anything was
lost or duplicated: every gathering's count against the joins sent to it, every joined
gathering's last edit sent after its last join, no outbox row sent twice. CPU: ours (the three
processes) and the whole machine's (ours and PostgreSQL's, from /proc/stat) per join and edit.
Every 30 s each table is vacuumed or analysed if autovacuum's default thresholds say so (it is
off on the test machine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import statistics
import threading
import time
from collections import Counter
from collections.abc import Hashable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core_latency import code_for, gathering_row, percentile
from join_profile import empty_postgres
from sqlalchemy import func, insert, select, text

from adapters.runtime.outbox import OutboxWorker
from core import Delivery, Limit, Message, Outcome, Recipient
from core.app import Gather
from core.clock import SystemClock
from core.config import Settings, parse
from core.contract.commands import Command
from core.contract.identities import Identity, RoomRef
from core.delivery.deliveries import Sent
from core.storage.db import Database, make_engine
from core.storage.models import Announcement, Gathering, Pledge, Room
from core.storage.statuses import OutboxStatus
from core.storage.traffic import OutboxMessage


def settings_for(url: str, communities: int) -> Settings:
    return parse(
        {
            "gather": {"time_zone": "Europe/London", "reminders": ["1d", "2h"]},
            "communities": [
                {"name": f"community-{c}", "rooms": [f"console:#room-{c}"]}
                for c in range(communities)
            ],
            "web": {"enabled": False},
        },
        base_dir=Path("."),
        environ={"GATHER_DATABASE_URL": url},
    )


def fill(database: Database, communities: int, gatherings: int) -> None:
    now = datetime.now(UTC)
    with database.engine.begin() as connection:
        connection.execute(
            insert(Room),
            [
                {
                    "id": c + 1,
                    "network": "console",
                    "chat_id": f"#room-{c}",
                    "community": f"community-{c}",
                    "title": "",
                    "is_private": False,
                }
                for c in range(communities)
            ],
        )
        connection.execute(
            text(
                "INSERT INTO persons (id, created_at, reminders_enabled, shows_name)"
                " VALUES (1, :now, true, false)"
            ),
            {"now": now},
        )
        for low in range(0, gatherings, 10_000):
            ids = range(low + 1, min(gatherings, low + 10_000) + 1)
            connection.execute(
                insert(Gathering),
                [
                    gathering_row(g, now, 1, 1 + g % communities, f"community-{g % communities}", 0)
                    for g in ids
                ],
            )
            connection.execute(
                insert(Announcement),
                [
                    {
                        "gathering_id": g,
                        "room_id": 1 + g % communities,
                        "message_id": f"post-{g}",
                        "shown_version": 1,
                        "posted_at": now,
                    }
                    for g in ids
                ],
            )
        for table in ("rooms", "gatherings", "announcements", "persons"):
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
            )
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


class Recorder:
    """A network that puts nothing on the wire: every send goes, and is noted."""

    name = "console"

    def __init__(self) -> None:
        self.sent: list[int] = []

    async def run(self) -> None:
        raise NotImplementedError("only the outbox worker uses it")

    def limits_for(self, delivery: Delivery) -> list[tuple[Limit, Hashable]]:
        return []

    async def announce(self, delivery: Delivery) -> Outcome:
        self.sent.append(delivery.id)
        return Sent(delivery.message_id or f"m{delivery.id}")

    async def send_to_chat(self, chat_id: str, message: Message) -> Outcome:
        raise AssertionError("only announcement edits are queued here")

    async def send_dm(self, recipient: Recipient, message: Message) -> Outcome:
        raise AssertionError("only announcement edits are queued here")


def send_until(gather: Gather, stop: threading.Event, sent: list[int]) -> None:
    """The outbox sender of one process, as `gather run` has it: the real OutboxWorker
    (claims in batches, fences and records up to its concurrency at once)."""
    network = Recorder()
    worker = OutboxWorker(gather, network)

    async def drain_until_stopped() -> None:
        # As `gather run` runs it: woken by each commit that queued an edit, else polling.
        running = asyncio.create_task(worker.run())
        while not stop.is_set():
            await asyncio.sleep(0.2)
        await worker.finish(running)
        await worker.drain()  # what the last joins queued

    asyncio.run(drain_until_stopped())
    sent.extend(network.sent)


def run(url: str, worker: int, args: dict[str, Any], start_at: float, out: Any) -> None:
    database = Database(make_engine(url))
    gather = Gather(settings_for(url, args["communities"]), database, SystemClock())
    rng = random.Random(worker)
    interval = args["processes"] / args["rate"]
    count = int(args["duration"] / interval)
    stop, sent = threading.Event(), []
    sender = threading.Thread(target=send_until, args=(gather, stop, sent))
    sender.start()
    joined: Counter[int] = Counter()
    latencies: list[float] = []
    failures: list[str] = []

    def join(n: int, g: int, due: float) -> None:
        reply = gather.handle(
            Command(
                Identity("console", f"w{worker}-{n}", f"W{n}"),
                RoomRef("console", f"#room-{g % args['communities']}"),
                f"/join {code_for(g)}",
                event_key=f"w{worker}-{n}",
            )
        )
        latencies.append(time.perf_counter() - due)
        if not reply.ok or reply.duplicate:
            failures.append(str(reply))

    time.sleep(max(0.0, start_at - time.time()))
    began, cpu_before = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(16) as pool:
        for n in range(count):
            due = began + n * interval
            time.sleep(max(0.0, due - time.perf_counter()))
            g = rng.randint(1, args["gatherings"])
            joined[g] += 1  # only this thread writes it
            pool.submit(join, n, g, due)
    answered = time.perf_counter() - began  # the pool's exit waited for every join
    stop.set()
    sender.join(timeout=600)
    out.put(
        {
            "joined": dict(joined),
            "latencies": latencies,
            "failures": failures,
            "sent": sent,
            "answered_s": answered,
            "drained_s": time.perf_counter() - began,
            "cpu_s": time.process_time() - cpu_before,  # joins and sends, all threads
        }
    )
    database.dispose()


def check(database: Database, joined: Counter[int], sent: list[int]) -> dict[str, Any]:
    with database.session() as session:
        # Every gathering's count (a 10-minute run joins more of them than one statement
        # may name: PostgreSQL takes at most 65,535 parameters).
        counts = dict(session.execute(select(Gathering.id, Gathering.people_going)).all())
        last_join = dict(
            session.execute(
                select(Pledge.gathering_id, func.max(Pledge.created_at)).group_by(
                    Pledge.gathering_id
                )
            ).all()
        )
        last_edit = dict(
            session.execute(
                select(OutboxMessage.gathering_id, func.max(OutboxMessage.finished_at))
                .where(
                    OutboxMessage.purpose == "announcement",
                    OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.SKIPPED]),
                )
                .group_by(OutboxMessage.gathering_id)
            ).all()
        )
        lags = [
            (finished - due).total_seconds()
            for finished, due in session.execute(
                select(OutboxMessage.finished_at, OutboxMessage.not_before).where(
                    OutboxMessage.purpose == "announcement",
                    OutboxMessage.status == OutboxStatus.SENT,
                )
            )
        ]
    lost = sum(max(0, n - counts.get(g, 0)) for g, n in joined.items())
    counted_twice = sum(max(0, counts.get(g, 0) - n) for g, n in joined.items())
    unshown = sum(1 for g in joined if last_edit.get(g) is None or last_edit[g] < last_join[g])
    sent_twice = sum(n - 1 for n in Counter(sent).values() if n > 1)
    return {
        "lost_joins": lost,
        "joins_counted_twice": counted_twice,
        "gatherings_whose_last_join_was_never_shown": unshown,
        "outbox_rows_sent_twice": sent_twice,
        "edits_sent": len(lags),
        "outbox_lag_p50_s": round(statistics.median(lags), 3) if lags else None,
        "outbox_lag_p99_s": round(percentile(lags, 0.99), 3) if lags else None,
    }


# autovacuum's defaults: a table is vacuumed once its dead rows pass 50 + 20% of its rows or
# its inserts since the last vacuum pass 1,000 + 20% (PostgreSQL 13 and later), and analysed
# once its changes since the last analysis pass 50 + 10%.
VACUUM_AFTER = (50, 0.2)
VACUUM_AFTER_INSERTS = (1000, 0.2)
ANALYZE_AFTER = (50, 0.1)
_TABLE_ACTIVITY = text(
    "SELECT s.relname, s.n_dead_tup, s.n_ins_since_vacuum, s.n_mod_since_analyze,"
    " greatest(c.reltuples, 0) FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid"
)


def past(threshold: tuple[int, float], count: int, rows: float) -> bool:
    return count > threshold[0] + threshold[1] * rows


def vacuum_every(url: str, seconds: float, stop: threading.Event) -> None:
    """What autovacuum does on a production server; this machine's PostgreSQL is tuned for
    tests with it off. Without it the outbox's dead rows (every message is updated three or
    four times) slowed a 20-minute run from 75 to 29 joins/s; and a table that starts empty
    and is never analysed (people, their accounts, pledges) keeps the plans made when it was
    empty: each backend's prepared lookups and foreign-key checks scanned the whole table, so
    the server's cost a join grew with every join. Every `seconds`, each table past
    autovacuum's default thresholds is vacuumed or analysed, as autovacuum would (vacuuming
    every table every time cost the server seconds of CPU a minute that a real one spends
    elsewhere)."""
    engine = make_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        while not stop.wait(seconds):
            for table, dead, inserted, changed, rows in connection.execute(_TABLE_ACTIVITY).all():
                if past(VACUUM_AFTER, dead, rows) or past(VACUUM_AFTER_INSERTS, inserted, rows):
                    connection.execute(text(f'VACUUM (ANALYZE) "{table}"'))
                elif past(ANALYZE_AFTER, changed, rows):
                    connection.execute(text(f'ANALYZE "{table}"'))
    engine.dispose()


def machine_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy (all cores, /proc/stat): our processes and
    PostgreSQL's backends together, which is what the two cores have to carry."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("GATHER_TEST_DATABASE_URL", ""))
    parser.add_argument("--communities", type=int, default=10_000)
    parser.add_argument("--gatherings", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=200.0, help="joins a second, in all")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (the aim: 600)")
    parser.add_argument("--processes", type=int, default=3)
    args = parser.parse_args()
    database = empty_postgres(args.url)
    started = time.perf_counter()
    fill(database, args.communities, args.gatherings)
    print(
        f"filled: {args.communities:,} communities, {args.gatherings:,} open gatherings"
        f" in {time.perf_counter() - started:.0f} s; load {os.getloadavg()[0]:.2f}"
    )
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    start_at = time.time() + 8.0  # every process has built its settings
    workers = [
        context.Process(target=run, args=(args.url, w, vars(args), start_at, out))
        for w in range(args.processes)
    ]
    for process in workers:
        process.start()
    time.sleep(max(0.0, start_at - time.time()))
    machine_before = machine_cpu_seconds()
    stop_vacuum = threading.Event()
    vacuum = threading.Thread(target=vacuum_every, args=(args.url, 30.0, stop_vacuum))
    vacuum.start()
    results = [out.get(timeout=args.duration * 4 + 600) for _ in workers]
    machine = machine_cpu_seconds() - machine_before
    stop_vacuum.set()
    vacuum.join()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    for process in workers:
        process.join(timeout=60)
    joined: Counter[int] = Counter()
    for r in results:
        joined.update({int(g): n for g, n in r["joined"].items()})
    latencies = [x for r in results for x in r["latencies"]]
    failures = [x for r in results for x in r["failures"]]
    answered = max(r["answered_s"] for r in results)
    cpu = sum(r["cpu_s"] for r in results)
    summary = {
        "communities": args.communities,
        "gatherings": args.gatherings,
        "rate": args.rate,
        "duration_s": args.duration,
        "processes": args.processes,
        "joins": len(latencies),
        "failed_replies": len(failures),
        "all_answered_after_s": round(answered, 1),
        "rate_achieved": round(len(latencies) / answered, 1),
        "outbox_drained_after_s": round(max(r["drained_s"] for r in results), 1),
        "our_cpu_ms_per_join_and_edit": round(cpu / max(1, len(latencies)) * 1000, 2),
        "our_cores_used": round(cpu / max(r["drained_s"] for r in results), 2),
        "machine_cpu_ms_per_join_and_edit": round(machine / max(1, len(latencies)) * 1000, 2),
        "join_p50_ms": round(statistics.median(latencies) * 1000, 2),
        "join_p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        **check(database, joined, [i for r in results for i in r["sent"]]),
        "load": load,
    }
    for key, value in summary.items():
        print(f"  {key:<44} {value}")
    print(json.dumps(summary))
    database.dispose()


if __name__ == "__main__":
    main()
