"""Core latency with a big database: join, leave and list through `Gather.handle`.

    .venv/bin/python bench/core_latency.py [--url URL] [--gatherings 100000] [--pledges 1000000]

Fills the database with synthetic gatherings and pledges (bulk inserts, outside the core), then
times commands the way an adapter calls them: one transaction each, with event
deduplication. It prints p50/p99 per command at a small size and at the full size, to show
whether latency stays flat as the database grows, and joins per second into one gathering,
from one caller at a time and from 32 at once (a burst, as adapters deliver it).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

from core.app import Gather
from core.clock import FixedClock
from core.config import parse
from core.contract.commands import Command
from core.contract.identities import Identity, RoomRef
from core.rules.codes import ALPHABET
from core.storage.db import Database, make_engine, upgrade
from core.storage.models import Base, Gathering, Person, Pledge, Room
from core.storage.models import Identity as StoredIdentity

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
SAMPLES = 2000


def code_for(n: int) -> str:
    digits = []
    for _ in range(6):
        n, digit = divmod(n, len(ALPHABET))
        digits.append(ALPHABET[digit])
    return "".join(digits)


def gathering_row(
    g: int, now: datetime, organiser: int, room: int, community: str, going: int
) -> dict[str, object]:
    """An open gathering with id `g` and code `code_for(g)`, 1 to 60 days after `now`."""
    return {
        "id": g,
        "code": code_for(g),
        "title": f"Gathering {g}",
        "original_text": "x",
        "starts_at": now + timedelta(days=1 + g % 60),
        "time_zone": "Europe/London",
        "has_time": True,
        "status": "open",
        "language": "en",
        "organiser_id": organiser,
        "room_id": room,
        "community": community,
        "version": 1,
        "people_going": going,
        "guests_going": 0,
        "created_at": now,
        "updated_at": now,
    }


def fill(database: Database, gatherings: int, pledges: int, start: int, people: int) -> None:
    """Grow the database to `gatherings` / `pledges` rows (ids from `start` on)."""
    per_gathering = max(1, pledges // gatherings)
    with database.engine.begin() as connection:
        if start == 0:
            connection.execute(
                insert(Room),
                [
                    {
                        "id": 1,
                        "network": "console",
                        "chat_id": "#beach",
                        "community": "bench",
                        "title": "",
                        "is_private": False,
                    }
                ],
            )
            for low in range(0, people, 20000):
                batch = range(low + 1, min(people, low + 20000) + 1)
                connection.execute(
                    insert(Person),
                    [
                        {"id": p, "created_at": NOW, "reminders_enabled": True, "shows_name": False}
                        for p in batch
                    ],
                )
                connection.execute(
                    insert(StoredIdentity),
                    [
                        {
                            "id": p,
                            "person_id": p,
                            "network": "telegram",
                            "native_id": f"u{p}",
                            "display_name": "",
                            "handle": "",
                            "dm_status": "unknown",
                            "last_seen_at": NOW,
                        }
                        for p in batch
                    ],
                )
        rng = random.Random(start)
        for low in range(start, gatherings, 5000):
            ids = range(low + 1, min(gatherings, low + 5000) + 1)
            connection.execute(
                insert(Gathering),
                [
                    gathering_row(g, NOW, 1 + g % people, 1, f"community-{g % 1000}", per_gathering)
                    for g in ids
                ],
            )
            rows = []
            for g in ids:
                for person in rng.sample(range(1, people + 1), per_gathering):
                    rows.append(
                        {
                            "gathering_id": g,
                            "person_id": person,
                            "network": "telegram",
                            "guests": 0,
                            "state": "going",
                            "created_at": NOW,
                            "updated_at": NOW,
                        }
                    )
            connection.execute(insert(Pledge), rows)
        if database.engine.dialect.name == "postgresql":
            for table in ("gatherings", "pledges", "persons", "identities"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                    )
                )
    if database.engine.dialect.name == "postgresql":
        with database.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            connection.execute(text("VACUUM ANALYZE"))
            # The fill's rows written to disk now, as on a server that grew to this size over
            # months: else the checkpoint that writes them runs while the joins are timed.
            connection.execute(text("CHECKPOINT"))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def time_commands(gather: Gather, gatherings: int, label: str) -> None:
    rng = random.Random(7)
    timings: dict[str, list[float]] = {"join": [], "leave": [], "list": []}
    for n in range(SAMPLES):
        g = rng.randint(1, gatherings)
        who = Identity("telegram", f"bench-{label}-{n}", "Bench")
        for word in ("join", "leave", "list"):
            text_ = f"/{word} {code_for(g)}" if word != "list" else "/list"
            room = RoomRef("console", "#beach")
            started = time.perf_counter()
            reply = gather.handle(Command(who, room, text_, event_key=f"{label}-{word}-{n}"))
            timings[word].append((time.perf_counter() - started) * 1000)
            assert reply.ok, reply
    for word, values in timings.items():
        print(
            f"  {label:>10} {word:<5} p50 {statistics.median(values):6.2f} ms   p99 {percentile(values, 0.99):6.2f} ms"
        )


def joins_per_second(gather: Gather, database: Database, callers: int, room_name: str) -> None:
    """Joins into one gathering from `callers` threads at once (1: one after another).

    Adapters hand each command to a worker thread (`gather run` keeps 32 of them), so a burst
    reaches the core as many callers at once, and those waiting together commit together.
    """
    # A room of its own: the bulk fill put every synthetic gathering in #beach "just now",
    # which the per-room rate limit on /gather would rightly refuse.
    room = RoomRef("console", room_name)
    reply = gather.handle(
        Command(
            Identity("console", f"organiser-{room_name}"),
            room,
            "/gather Flash mob at the square, Saturday 5 December 3pm",
        )
    )
    assert reply.ok and reply.gathering_code, reply
    code = reply.gathering_code
    count = 3000

    def join(n: int) -> None:
        joined = gather.handle(
            Command(
                Identity("discord", f"mob-{room_name}-{n}"),
                room,
                f"/join {code}",
                event_key=f"mob-{room_name}-{n}",
            )
        )
        assert joined.ok and joined.message is not None, joined

    started = time.perf_counter()
    with ThreadPoolExecutor(callers) as pool:
        list(pool.map(join, range(count)))
    elapsed = time.perf_counter() - started
    with database.session() as session:
        going = session.scalar(select(Gathering.people_going).where(Gathering.code == code))
    assert going == count + 1, going
    who = "one caller at a time" if callers == 1 else f"{callers} callers at once"
    print(f"  joins into one gathering, {who}: {count / elapsed:,.0f}/s ({count} joins)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--url", default=None, help="database URL (default: a temporary SQLite file)"
    )
    parser.add_argument("--gatherings", type=int, default=100_000)
    parser.add_argument("--pledges", type=int, default=1_000_000)
    arguments = parser.parse_args()
    url = arguments.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    database = Database(make_engine(url))
    if database.engine.dialect.name == "postgresql":
        with database.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(url)
    settings = parse(
        {
            "gather": {"time_zone": "Europe/London"},
            "communities": [{"name": "bench", "rooms": ["console:#beach"]}],
        },
        base_dir=Path("."),
        environ={"GATHER_DATABASE_URL": url},
    )
    gather = Gather(settings, database, FixedClock(NOW))
    print(f"backend: {database.engine.dialect.name}")
    small = arguments.gatherings // 10
    people = max(1000, arguments.pledges // 5)
    fill(database, small, arguments.pledges // 10, 0, people)
    time_commands(gather, small, f"{small // 1000}k")
    started = time.perf_counter()
    fill(database, arguments.gatherings, arguments.pledges, small, people)
    print(
        f"  (filled to {arguments.gatherings:,} gatherings / ~{arguments.pledges:,} pledges in {time.perf_counter() - started:.0f} s)"
    )
    time_commands(gather, arguments.gatherings, f"{arguments.gatherings // 1000}k")
    joins_per_second(gather, database, 1, "#square")
    joins_per_second(gather, database, 32, "#plaza")
    database.dispose()


if __name__ == "__main__":
    assert Base.metadata
    main()
