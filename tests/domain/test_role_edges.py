"""Roles at their edges, as organisers and volunteers meet them: a move into a full role, the
missing-roles line when the count and the organiser's noun disagree, a role typed without its
accents."""

from __future__ import annotations

from sqlalchemy import select

from core.app import Gather
from core.parsing import same_role
from core.storage.db import Database
from core.storage.models import Gathering, Identity, Pledge, Role
from tests.domain.chat import Chat, code_in, text_of
from tests.domain.test_roles import BEACH, _announcement


def _held(database: Database, code: str, person: str) -> tuple[str, str]:
    """The role and state of `person`'s pledge (the console's people are named as they speak)."""
    with database.session() as session:
        gathering = session.scalar(select(Gathering).where(Gathering.code == code))
        assert gathering is not None
        rows = session.execute(
            select(Role.name, Pledge.state, Pledge.person_id)
            .join(Role, Role.id == Pledge.role_id)
            .where(Pledge.gathering_id == gathering.id)
        ).all()
        ids = session.scalars(select(Identity).where(Identity.native_id == person)).all()
        mine = [(name, str(state)) for name, state, pid in rows if pid in {i.person_id for i in ids}]
        assert len(mine) == 1
        return mine[0]


def test_asking_for_a_full_role_keeps_the_place_one_has(
    gather: Gather, database: Database
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("olga", BEACH))
    chat.say("olga", f"/edit {code} max 1 driver")
    chat.say("dan", f"/join {code} driver")
    chat.say("pia", f"/join {code}")  # picking, and sure of her place
    full = chat.say("pia", f"/join {code} driver")
    assert not full.ok
    assert "Driver is full, so you keep the place you have." in text_of(full)
    assert "Your role: Pickers" in text_of(full)
    assert _held(database, code, "pia") == ("pickers", "going")
    assert "Pickers 2/3" in _announcement(chat).plain()


def test_the_missing_roles_line_never_says_1_pickers(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("olga", BEACH))  # 3 pickers (olga is one), 1 driver, a first-aider
    chat.say("pia", f"/join {code}")
    post = _announcement(chat).plain()
    assert "1 Pickers" not in post
    assert "Still needed: Pickers: 1, 1 Driver and 1 First-aider." in post
    chat.say("olga", f"/edit {code} need 5 pickers")  # 3 missing: "pickers" reads right again
    assert "Still needed: 1 Driver, 1 First-aider and 3 Pickers." in _announcement(chat).plain()


def test_a_role_typed_without_its_accents_is_that_role() -> None:
    assert same_role("benevole", "bénévoles")
    assert same_role("secouriste", "Secouriste")
    assert same_role("voluntarios", "voluntários")
    assert not same_role("benevoles", "secouriste")


def test_a_role_holder_s_guests_count_in_the_total_but_never_fill_the_role(
    gather: Gather, database: Database
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("olga", BEACH))  # 3 pickers (olga is one), 1 driver, a first-aider
    chat.say("olga", f"/edit {code} max 1 driver")
    assert chat.say("dan", f"/join {code} driver +2").ok  # the driver brings two friends
    post = _announcement(chat).plain()
    assert "Driver 1/1" in post and "4 going" in post  # the friends are not drivers
    # The role is full with one person, not three: nobody else may drive, and "it's on" waits
    # for pickers and a first-aider.
    assert "It's on" not in post
    chat.say("eve", f"/join {code} driver")
    assert _held(database, code, "eve") == ("driver", "waitlisted")
