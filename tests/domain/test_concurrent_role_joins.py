"""Several processes joining the roles of one gathering at once, and moving between them:
each role's count equals its pledges, and no role takes more than its limit."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from core.app import Gather
from core.clock import FixedClock
from core.contract.commands import Command
from core.contract.identities import Identity, RoomRef
from core.storage.db import Database, make_engine
from core.storage.models import Gathering, Pledge, Role
from tests.conftest import make_settings
from tests.domain.chat import Chat, code_in
from tests.domain.test_concurrent_joins import PROCESSES, run_in_processes

JOINS_PER_PROCESS = 24
DRIVER_LIMIT = 5
NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
ROOMS = {"telegram": "-100200", "discord": "300", "mastodon": "public"}


def join_roles(url: str, code: str, worker: int) -> None:
    database = Database(make_engine(url))
    gather = Gather(make_settings(), database, FixedClock(NOW))
    networks = tuple(ROOMS)
    for n in range(JOINS_PER_PROCESS):
        network, person = networks[n % 3], f"w{worker}-p{n}"
        # everyone wants to drive; every third one then moves to picking
        texts = [f"/join {code} driver"] + ([f"/join {code} pickers"] if n % 3 == 0 else [])
        for step, text in enumerate(texts):
            reply = gather.handle(Command(
                actor=Identity(network, person, person), room=RoomRef(network, ROOMS[network]),
                text=text, event_key=f"{person}-{step}"))
            assert reply.ok, reply
    database.dispose()


def test_processes_joining_roles_at_once_keep_every_role_exact(
    gather: Gather, database: Database, database_url: str
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say(
        "alice", "/gather Tree planting at the park, Sunday 29 November 10am, "
        "need 60 pickers and 5 drivers"))
    assert chat.say("alice", f"/edit {code} max {DRIVER_LIMIT} drivers").ok
    run_in_processes(join_roles, database_url, code)
    with database.session() as session:
        gathering = session.scalar(select(Gathering).where(Gathering.code == code))
        assert gathering is not None
        by_role = dict(session.execute(
            select(Role.name, func.count(Pledge.id))
            .join(Pledge, Pledge.role_id == Role.id)
            .where(Role.gathering_id == gathering.id, Pledge.state == "going")
            .group_by(Role.name)).all())
        waiting = session.scalar(select(func.count(Pledge.id)).where(
            Pledge.gathering_id == gathering.id, Pledge.state == "waitlisted"))
        movers = sum(1 for n in range(JOINS_PER_PROCESS) if n % 3 == 0) * PROCESSES
        everyone = PROCESSES * JOINS_PER_PROCESS
        assert by_role["drivers"] == DRIVER_LIMIT  # full, never over
        assert by_role["pickers"] == 1 + movers  # the organiser, and those who moved
        assert waiting == everyone - movers - DRIVER_LIMIT
        assert gathering.people_going == sum(by_role.values())
