"""Joins counted at commit (core/rules/counting.py): no lock on the gathering while a join
runs, yet every join counted once, and a change made meanwhile sends the join round again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.app import Gather
from core.contract.identities import Identity
from core.rules import counting, people, pledges
from core.storage.db import Database
from core.storage.models import Gathering, Pledge
from core.storage.statuses import OutboxStatus, PledgeState
from core.storage.traffic import OutboxMessage
from tests.domain.chat import Chat, code_in, text_of
from tests.domain.test_concurrent_joins import JOINS_PER_PROCESS, PROCESSES, join_from_processes

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)


def _read(session: Session, code: str) -> Gathering:
    gathering = session.scalar(select(Gathering).where(Gathering.code == code))
    assert gathering is not None
    return gathering


def _person(session: Session, name: str) -> int:
    identity, _ = people.identity_for(
        session, Identity("console", name, name), NOW, in_private=False
    )
    return identity.person_id


def _join_as_the_handler_does(session: Session, code: str, name: str) -> Gathering:
    gathering = _read(session, code)
    if counting.needs_no_lock(gathering):
        counting.count_at_commit(session, gathering)
    else:
        locked = pledges.lock_gathering(session, gathering.id)
        assert locked is not None
        gathering = locked
    pledges.join(session, gathering, _person(session, name), "console", None, NOW)
    return gathering


def test_processes_joining_a_gathering_with_no_target_are_each_counted_once(
    gather: Gather, database: Database, database_url: str
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", "/gather Picnic in the park, Sunday 29 November 1pm"))
    chat.deliver_all()
    join_from_processes(database_url, code)
    joiners = PROCESSES * JOINS_PER_PROCESS
    with database.session() as session:
        gathering = _read(session, code)
        assert gathering.people_going == 1 + joiners  # each with one guest
        assert gathering.headcount == 1 + 2 * joiners
        going = session.scalar(
            select(func.count(Pledge.id)).where(
                Pledge.gathering_id == gathering.id, Pledge.state == PledgeState.GOING
            )
        )
        assert going == 1 + joiners
        # The refresh was queued at commit, after the count: one per announcement.
        refreshes = session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.gathering_id == gathering.id,
                OutboxMessage.purpose == "announcement",
                OutboxMessage.status == OutboxStatus.PENDING,
            )
        )
        assert refreshes == 5  # the community's five rooms
    shown = [d for d in chat.deliver_all() if d.purpose == "announcement"]
    assert shown and all(f"{1 + 2 * joiners} going" in d.message.plain() for d in shown), [
        d.message.plain() for d in shown
    ]


def test_locking_the_gathering_writes_what_was_counted_before_it(
    gather: Gather, database: Database
) -> None:
    """A join counted at commit, then in the same transaction a command that locks the
    gathering (a leave, a recount after /forget): it reads the count whole, and the join is
    counted once, not again at commit."""
    code = code_in(Chat(gather).say("olga", "/gather Picnic in the park, Sunday 29 November 1pm"))

    def work(session: Session) -> None:
        _join_as_the_handler_does(session, code, "bob")
        _join_as_the_handler_does(session, code, "cat")
        assert counting.is_pending(session, _read(session, code).id)
        locked = pledges.lock_gathering(session, _read(session, code).id)
        assert locked is not None and locked.people_going == 3  # with the organiser
        pledges.recount(session, locked)
        assert locked.people_going == 3
        pledges.leave(session, locked, _person(session, "bob"), NOW)
        _join_as_the_handler_does(session, code, "dan")  # counted now: the row is held

    database.transact(work)
    with database.session() as session:
        assert _read(session, code).people_going == 3  # olga, cat and dan


def test_a_change_between_the_read_and_the_commit_sends_the_join_round_again(
    gather: Gather, database: Database
) -> None:
    """The organiser sets a capacity while a join runs without the lock: the join's count is
    refused at commit, and its second run takes the lock and finds the gathering full."""
    if database.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer: nothing can change between the read and the commit")
    chat = Chat(gather)
    code = code_in(chat.say("alice", "/gather Picnic in the park, Sunday 29 November 1pm"))
    runs: list[str] = []

    def work(session: Session) -> None:
        gathering = _join_as_the_handler_does(session, code, "bob")
        runs.append("without lock" if counting.is_pending(session, gathering.id) else "locked")
        if len(runs) == 1:  # meanwhile, in another connection, the organiser's edit commits
            with database.engine.begin() as other:
                other.execute(
                    update(Gathering)
                    .where(Gathering.code == code)
                    .values(capacity=1, version=Gathering.version + 1)
                )

    database.transact(work)
    assert runs == ["without lock", "locked"]
    with database.session() as session:
        gathering = _read(session, code)
        assert gathering.people_going == 1  # the organiser; Bob waits
        states = set(
            session.scalars(select(Pledge.state).where(Pledge.gathering_id == gathering.id))
        )
        assert states == {PledgeState.GOING, PledgeState.WAITLISTED}


def test_its_on_is_said_once_then_later_joins_need_no_lock(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", "/gather Picnic in the park, Sunday 29 November 1pm, need 3"))
    replies = [chat.say(name, f"/join {code}") for name in ("bob", "cat", "dan", "eve")]
    assert ["it's on" in text_of(r).lower() for r in replies] == [False, True, False, False]
    assert "5 going" in text_of(replies[-1])
