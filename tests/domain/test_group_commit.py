"""Group commit: works handed in together share a transaction, yet each commits or fails alone."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.app import Gather
from core.contract.commands import Command, Reply
from core.contract.identities import Identity, RoomRef
from core.storage.db import Database
from core.storage.models import Gathering, Pledge
from core.storage.traffic import ProcessedEvent
from tests.domain.chat import Chat, code_in

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
CALLERS = 12


class Refused(Exception):
    pass


def _stored_keys(database: Database) -> set[str]:
    with database.session() as session:
        return set(session.scalars(select(ProcessedEvent.event_key)))


def test_works_arriving_together_share_a_transaction_and_fail_alone(database: Database) -> None:
    """While one work holds the writer, the others queue; they then run as one batch. The
    ones that raise lose only their own writes, and their callers get their own errors."""
    hold = threading.Event()
    queued = threading.Barrier(CALLERS)  # the holder and every caller but the first
    together: list[int] = []

    def holder(session: Session) -> str:
        hold.wait(timeout=10)
        return "held"

    def work(n: int) -> Callable[[Session], int]:
        def run(session: Session) -> int:
            ran = session.info.setdefault("ran", [])
            ran.append(n)
            together.append(len(ran))
            session.add(ProcessedEvent(network="test", event_key=f"k{n}", processed_at=NOW))
            session.flush()
            if n % 4 == 0:
                raise Refused(n)
            return n

        return run

    def call(n: int) -> int | str:
        queued.wait(timeout=10)
        try:
            return database.transact_together(work(n))
        except Refused as refused:
            return f"refused {refused.args[0]}"

    with ThreadPoolExecutor(CALLERS + 1) as pool:
        first = pool.submit(database.transact_together, holder)
        results = [pool.submit(call, n) for n in range(1, CALLERS)]
        queued.wait(timeout=10)
        # Let every caller reach the queue while the holder keeps the writer busy.
        threading.Event().wait(0.3)
        hold.set()
        assert first.result(timeout=30) == "held"
        answers = [future.result(timeout=30) for future in results]

    assert answers == [f"refused {n}" if n % 4 == 0 else n for n in range(1, CALLERS)]
    assert max(together) > 1, "the queued works never ran in one transaction"
    assert _stored_keys(database) == {f"k{n}" for n in range(1, CALLERS) if n % 4}


@pytest.mark.parametrize("callers", [1, 16])
def test_a_burst_of_joins_with_refusals_and_repeats_counts_each_person_once(
    gather: Gather, database: Database, callers: int
) -> None:
    code = code_in(
        Chat(gather).say(
            "alice", "/gather Flash mob at the square, Sunday 29 November 3pm, max 150"
        )
    )
    room = RoomRef("discord", "300")

    def press(n: int) -> tuple[int, bool, bool]:
        # Every fifth names a gathering that doesn't exist; every join arrives twice.
        target = "ZZZZ" if n % 5 == 0 else code
        command = Command(Identity("discord", f"p{n % 200}", f"P{n}"), room, f"/join {target}")
        first = gather.handle(replace(command, event_key=f"press-{n}"))
        again = gather.handle(replace(command, event_key=f"press-{n}"))
        return n, first.ok, again.duplicate

    with ThreadPoolExecutor(callers) as pool:
        outcomes = list(pool.map(press, range(250)))

    for n, ok, repeated in outcomes:
        assert ok == (n % 5 != 0), n
        assert repeated, n
    joined = {n % 200 for n in range(250) if n % 5}
    with database.session() as session:
        gathering = session.scalar(select(Gathering).where(Gathering.code == code))
        assert gathering is not None
        states = dict(
            session.execute(
                select(Pledge.state, func.count(Pledge.id))
                .where(Pledge.gathering_id == gathering.id)
                .group_by(Pledge.state)
            ).all()
        )
        # The organiser plus 149 fit (max 150); the rest wait.
        assert gathering.people_going == states["going"] == 150
        assert states["waitlisted"] == 1 + len(joined) - 150
        keys = set(session.scalars(select(ProcessedEvent.event_key)))
    # Refused presses leave their event behind (a redelivery stays silent), and nothing else.
    assert {f"press-{n}" for n in range(250)} <= keys


def test_a_refusal_in_a_batch_is_decided_in_the_order_the_commands_came(
    gather: Gather, database: Database
) -> None:
    """One place left: Alice's join came first, so she gets it and Bob's extra guest, asked
    for just after, is refused, exactly as if they had come one at a time."""
    chat = Chat(gather)
    code = code_in(
        chat.say("olga", "/gather Supper club at the hall, Sunday 29 November 7pm, max 3")
    )
    assert chat.say("bob", f"/join {code}").ok
    room = RoomRef("console", "#beach")
    hold = threading.Event()

    def say(who: str, text: str) -> Reply:
        return gather.handle(Command(Identity("console", who, who.title()), room, text))

    with ThreadPoolExecutor(3) as pool:
        holder = pool.submit(database.transact_together, lambda s: hold.wait(10))
        threading.Event().wait(0.2)  # the holder leads; the others queue behind it, in order
        alice = pool.submit(say, "alice", f"/join {code}")
        threading.Event().wait(0.2)
        bob = pool.submit(say, "bob", f"/join {code} +1")
        threading.Event().wait(0.2)
        hold.set()
        holder.result(timeout=30)
        assert "You're in" in alice.result(timeout=30).message.plain()
        refused = bob.result(timeout=30)
    assert not refused.ok and "Only 0 more places left" in refused.message.plain()
