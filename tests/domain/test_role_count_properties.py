"""Random journeys through a gathering with roles: each role's count (as the announcement
shows it) always equals the pledges in it, and equals a simple model; nobody holds two roles;
no role goes over its limit while someone who fits waits; "it's on" is told once, when every
role first has its people."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select

from core.rules import roles
from core.storage.models import Gathering, Pledge
from tests.domain.test_count_properties import start_gathering, times_told_its_on

ACCOUNTS = [f"{network}:{n}" for network in ("telegram", "discord", "mastodon") for n in range(3)]
ROOM_OF = {"telegram": "telegram:-100200", "discord": "discord:300", "mastodon": "mastodon:public"}
ROLES = ("pickers", "drivers", "first-aider")
SAID = {"pickers": ("pickers", "Picker"), "drivers": ("driver", "DRIVERS"),
        "first-aider": ("first-aider", "first aiders")}
TARGETS = {"pickers": 3, "drivers": 2, "first-aider": 1}
DRIVER_LIMIT = 2


class RoleCountMachine(RuleBasedStateMachine):
    """The model: each account is one person, in one role (going or waiting); guests come
    along and count in the gathering's total, never in a role."""

    @initialize()
    def start(self) -> None:
        self.database, self.clock, self.gather, self.chat, self.code = start_gathering(
            "Beach clean at the pier, Saturday 28 November 10am, "
            "need 3 pickers, 2 drivers and a first-aider")
        assert self.chat.say("organiser", f"/edit {self.code} max {DRIVER_LIMIT} drivers").ok
        self.role_of: dict[str, str] = {"organiser": "pickers"}
        self.guests: dict[str, int] = {"organiser": 0}
        self.keys = itertools.count()
        self.ever_on = False

    def teardown(self) -> None:
        if hasattr(self, "database"):
            self.database.dispose()

    def _say(self, account: str, text: str) -> bool:
        self.clock.advance(timedelta(seconds=1))
        network = account.split(":")[0]
        reply = self.chat.say(account, text, room=ROOM_OF[network], event_key=f"k{next(self.keys)}")
        assert reply.message is not None
        return reply.ok

    @rule(account=st.sampled_from(ACCOUNTS), role=st.sampled_from(ROLES), spelling=st.integers(0, 1))
    def join_role(self, account: str, role: str, spelling: int) -> None:
        moved = self._say(account, f"/join {self.code} {SAID[role][spelling]}")
        # A move into a full role is refused to someone going: they keep the place they have.
        if moved or account not in self.role_of:
            self.role_of[account] = role
        self.guests.setdefault(account, 0)

    @rule(account=st.sampled_from(ACCOUNTS), guests=st.one_of(st.none(), st.integers(0, 2)))
    def plain_join(self, account: str, guests: int | None) -> None:
        said = f"/join {self.code}" + (f" +{guests}" if guests is not None else "")
        if not self._say(account, said):  # more guests than the gathering has room for
            return
        self.role_of.setdefault(account, "pickers")  # the general role; a role held stays
        if guests is not None or account not in self.guests:
            self.guests[account] = guests or 0

    @rule(account=st.sampled_from(ACCOUNTS))
    def leave(self, account: str) -> None:
        self._say(account, f"/leave {self.code}")
        self.role_of.pop(account, None)
        self.guests.pop(account, None)

    @invariant()
    def role_counts_equal_the_pledges_and_the_model(self) -> None:
        if not hasattr(self, "code"):
            return
        with self.database.session() as session:
            gathering = session.scalar(select(Gathering).where(Gathering.code == self.code))
            assert gathering is not None
            counted = roles.counts(session, gathering)
            assert [c.role.name for c in counted] == list(ROLES)
            for count in counted:
                live = session.scalars(select(Pledge).where(
                    Pledge.role_id == count.role.id, Pledge.state.in_(("going", "waitlisted"))
                )).all()
                going = [p for p in live if p.state == "going"]
                # A role counts the people who hold it; guests only the gathering's total.
                assert count.going == len(going)
                assert count.waiting == len(live) - len(going)
                model = [a for a, r in self.role_of.items() if r == count.role.name]
                assert count.going + count.waiting == len(model)
                if count.role.capacity is not None:
                    assert count.going <= count.role.capacity
            loose = session.scalar(select(func.count(Pledge.id)).where(
                Pledge.gathering_id == gathering.id, Pledge.role_id.is_(None)))
            assert loose == 0  # everyone holds a role
            going_guests = session.scalar(select(func.coalesce(func.sum(Pledge.guests), 0)).where(
                Pledge.gathering_id == gathering.id, Pledge.state == "going"))
            assert gathering.headcount == sum(c.going for c in counted) + going_guests
            self.ever_on = self.ever_on or all(
                c.going >= TARGETS[c.role.name] for c in counted)
            assert times_told_its_on(session) == (1 if self.ever_on else 0)


RoleCountMachine.TestCase.settings = hypothesis_settings(
    max_examples=60, stateful_step_count=25, deadline=None
)


@pytest.mark.slow
def test_random_journeys_keep_every_role_count_exact() -> None:
    RoleCountMachine.TestCase("runTest").runTest()
