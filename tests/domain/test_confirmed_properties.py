"""Random answers to "Still coming?" among joins, leaves and guests: confirmed never exceeds
going, and only people going are ever counted as confirmed."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import select

from core.app import Gather
from core.clock import FixedClock
from core.rules import confirmations
from core.storage.models import Gathering, Pledge
from tests.conftest import make_settings
from tests.domain.chat import Chat
from tests.domain.test_count_properties import fresh_database

PEOPLE = [f"telegram:{n}" for n in range(5)]
ROOM = "telegram:-100200"


class ConfirmedMachine(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.database = fresh_database()
        self.clock = FixedClock(datetime(2026, 11, 27, 9, tzinfo=UTC))  # the day before
        self.gather = Gather(make_settings(), self.database, self.clock)
        self.gather.prepare()
        self.chat = Chat(self.gather)
        reply = self.chat.say(
            "telegram:organiser", "/gather Beach clean, Saturday 28 November 10am, max 4", room=ROOM
        )
        assert reply.gathering_code
        self.code = reply.gathering_code
        self.keys = itertools.count()

    def teardown(self) -> None:
        if hasattr(self, "database"):
            self.database.dispose()

    def _say(self, who: str, text: str) -> None:
        self.clock.advance(timedelta(seconds=1))
        reply = self.chat.say(who, text, room=ROOM, event_key=f"k{next(self.keys)}")
        assert reply.message is not None

    @rule(who=st.sampled_from(PEOPLE), guests=st.integers(0, 2))
    def join(self, who: str, guests: int) -> None:
        self._say(who, f"/join {self.code} +{guests}" if guests else f"/join {self.code}")

    @rule(who=st.sampled_from(PEOPLE))
    def leave(self, who: str) -> None:
        self._say(who, f"/leave {self.code}")

    @rule(who=st.sampled_from(PEOPLE), answer=st.sampled_from(["yes", "no"]))
    def answer(self, who: str, answer: str) -> None:
        self._say(who, f"/still {self.code} {answer}")

    @invariant()
    def confirmed_is_at_most_going(self) -> None:
        if not hasattr(self, "code"):
            return
        with self.database.session() as session:
            gathering = session.scalar(select(Gathering).where(Gathering.code == self.code))
            assert gathering is not None
            found = confirmations.of(session, gathering.id)
            assert found.confirmed <= gathering.headcount <= (gathering.capacity or 0)
            confirmed_elsewhere = session.scalars(
                select(Pledge.id).where(
                    Pledge.gathering_id == gathering.id,
                    Pledge.state != "going",
                    Pledge.confirmed_at.is_not(None),
                )
            ).all()
            assert confirmed_elsewhere == []


ConfirmedMachine.TestCase.settings = hypothesis_settings(
    max_examples=25, stateful_step_count=20, deadline=None
)
test_confirmed_never_exceeds_going = ConfirmedMachine.TestCase
