"""Several processes joining one gathering at once: every pledge counted exactly once."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select

from core.app import Gather
from core.clock import FixedClock
from core.contract.commands import Command
from core.contract.identities import Identity, RoomRef
from core.storage.db import Database, make_engine
from core.storage.models import Gathering, Pledge
from tests.conftest import make_settings
from tests.domain.chat import Chat, code_in

PROCESSES = 4
JOINS_PER_PROCESS = 40
NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)


def join_many(url: str, code: str, worker: int) -> None:
    database = Database(make_engine(url))
    gather = Gather(make_settings(), database, FixedClock(NOW))
    networks = ("telegram", "discord", "mastodon")
    for n in range(JOINS_PER_PROCESS):
        network = networks[n % 3]
        person = f"w{worker}-p{n}"
        for attempt in range(2):  # every join is delivered twice, as platforms do
            reply = gather.handle(
                Command(
                    actor=Identity(network, person, person),
                    room=RoomRef(
                        network,
                        {"telegram": "-100200", "discord": "300", "mastodon": "public"}[network],
                    ),
                    text=f"/join {code} +1",
                    event_key=f"{person}-join",
                )
            )
            assert reply.ok, reply
            assert reply.duplicate == (attempt == 1)
    database.dispose()


def run_in_processes(
    work: Callable[[str, str, int], None], url: str, code: str, timeout: float = 180
) -> None:
    """`work(url, code, worker)` in PROCESSES spawned processes at once; each must succeed."""
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=work, args=(url, code, w)) for w in range(PROCESSES)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=timeout)
        assert process.exitcode == 0


def join_from_processes(database_url: str, code: str) -> None:
    """PROCESSES processes at once, each joining JOINS_PER_PROCESS people with a guest."""
    run_in_processes(join_many, database_url, code)


def test_processes_joining_at_once_are_each_counted_once(
    gather: Gather, database: Database, database_url: str
) -> None:
    code = code_in(
        Chat(gather).say(
            "alice", "/gather Tree planting at the park, Sunday 29 November 10am, need 500"
        )
    )
    run_in_processes(join_many, database_url, code)
    with database.session() as session:
        gathering = session.scalar(select(Gathering).where(Gathering.code == code))
        assert gathering is not None
        joiners = PROCESSES * JOINS_PER_PROCESS
        assert gathering.people_going == 1 + joiners
        assert gathering.headcount == 1 + 2 * joiners
        stored = session.scalar(
            select(func.count(Pledge.id)).where(
                Pledge.gathering_id == gathering.id, Pledge.state == "going"
            )
        )
        assert stored == 1 + joiners
