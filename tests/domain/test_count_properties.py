"""Random journeys keep the stored count equal to a simple model; "it's on" is told once."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.app import Gather
from core.clock import FixedClock
from core.storage.db import Database, make_engine, upgrade
from core.storage.models import Gathering, Pledge
from core.storage.traffic import OutboxMessage
from tests.conftest import make_settings
from tests.domain.chat import Chat

ACCOUNTS = [f"{network}:{n}" for network in ("telegram", "discord", "mastodon") for n in range(3)]
ROOM_OF = {"telegram": "telegram:-100200", "discord": "discord:300", "mastodon": "mastodon:public"}
TARGET = 6
_template: Path | None = None


def fresh_database() -> Database:
    global _template
    folder = Path(tempfile.mkdtemp(prefix="gather-prop-"))
    if _template is None:
        _template = folder / "template.sqlite3"
        upgrade(f"sqlite:///{_template}")
    path = folder / "db.sqlite3"
    shutil.copy(_template, path)
    return Database(make_engine(f"sqlite:///{path}"))


def start_gathering(what: str) -> tuple[Database, FixedClock, Gather, Chat, str]:
    """A fresh database and app, and a gathering the organiser started with `what`."""
    database = fresh_database()
    clock = FixedClock(datetime(2026, 11, 21, 9, tzinfo=UTC))
    gather = Gather(make_settings(), database, clock)
    gather.prepare()
    chat = Chat(gather)
    reply = chat.say("organiser", f"/gather {what}")
    assert reply.gathering_code
    return database, clock, gather, chat, reply.gathering_code


def times_told_its_on(session: Session) -> int:
    """How many times "it's on" went out (each time: one message per pledger, same instant)."""
    return int(session.scalar(
        select(func.count(func.distinct(OutboxMessage.created_at))).where(
            OutboxMessage.purpose == "its_on"
        )
    ) or 0)


class CountMachine(RuleBasedStateMachine):
    """The model: a person is a set of linked accounts; each is in or out with some guests."""

    @initialize()
    def start(self) -> None:
        self.database, self.clock, self.gather, self.chat, self.code = start_gathering(
            f"Beach clean at the pier, Saturday 28 November 10am, need {TARGET}"
        )
        self.person_of = {account: account for account in ACCOUNTS}  # account -> representative
        self.going: dict[str, int] = {}  # representative -> guests
        self.seen_keys: list[tuple[str, str, str]] = []
        self.keys = itertools.count()
        self.ever_reached = False

    def teardown(self) -> None:
        if hasattr(self, "database"):
            self.database.dispose()

    def _say(self, account: str, text: str) -> None:
        self.clock.advance(timedelta(seconds=1))
        key = f"k{next(self.keys)}"
        self.seen_keys.append((account, text, key))
        network = account.split(":")[0]
        reply = self.chat.say(account, text, room=ROOM_OF[network], event_key=key)
        assert reply.message is not None

    @rule(account=st.sampled_from(ACCOUNTS), guests=st.one_of(st.none(), st.integers(0, 3)))
    def join(self, account: str, guests: int | None) -> None:
        self._say(account, f"/join {self.code}" + (f" +{guests}" if guests is not None else ""))
        person = self.person_of[account]
        if person in self.going:
            if guests is not None:
                self.going[person] = guests
        else:
            self.going[person] = guests or 0

    @rule(account=st.sampled_from(ACCOUNTS))
    def leave(self, account: str) -> None:
        self._say(account, f"/leave {self.code}")
        self.going.pop(self.person_of[account], None)

    @rule(first=st.sampled_from(ACCOUNTS), second=st.sampled_from(ACCOUNTS))
    def link(self, first: str, second: str) -> None:
        if first.split(":")[0] == second.split(":")[0]:
            return
        self.clock.advance(timedelta(seconds=1))
        network = first.split(":")[0]
        reply = self.chat.say(first, "/link", room=ROOM_OF[network], private=True)
        assert reply.message is not None
        one_time = reply.message.plain().split("/link ")[-1].strip()
        self._say(second, f"/link {one_time}")
        keep, drop = self.person_of[first], self.person_of[second]
        if keep == drop:
            return
        for account, person in self.person_of.items():
            if person == drop:
                self.person_of[account] = keep
        if drop in self.going:
            guests = self.going.pop(drop)
            self.going[keep] = max(self.going.get(keep, 0), guests)

    @rule(index=st.integers(0, 1000))
    def duplicate_delivery(self, index: int) -> None:
        if not self.seen_keys:
            return
        account, text, key = self.seen_keys[index % len(self.seen_keys)]
        network = account.split(":")[0]
        reply = self.chat.say(account, text, room=ROOM_OF[network], event_key=key)
        assert reply.duplicate and reply.message is None

    @invariant()
    def stored_count_equals_the_model(self) -> None:
        if not hasattr(self, "code"):
            return
        expected = 1 + sum(1 + guests for guests in self.going.values())  # +1: the organiser
        with self.database.session() as session:
            gathering = session.scalar(select(Gathering).where(Gathering.code == self.code))
            assert gathering is not None
            assert gathering.headcount == expected
            people, guests = session.execute(
                select(func.count(Pledge.id), func.coalesce(func.sum(Pledge.guests), 0)).where(
                    Pledge.gathering_id == gathering.id, Pledge.state == "going"
                )
            ).one()
            assert (people, guests) == (gathering.people_going, gathering.guests_going)
            self.ever_reached = self.ever_reached or expected >= TARGET
            assert times_told_its_on(session) == (1 if self.ever_reached else 0)


CountMachine.TestCase.settings = hypothesis_settings(
    max_examples=80, stateful_step_count=25, deadline=None
)


@pytest.mark.slow
def test_random_journeys_keep_the_count_exact() -> None:
    CountMachine.TestCase("runTest").runTest()
