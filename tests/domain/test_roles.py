"""Roles with their own counts, through the core: "need 15 pickers, 2 drivers and a first-aider"."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from core.app import Gather
from core.clock import FixedClock
from core.contract.messages import Message
from core.storage.db import Database
from core.storage.models import Gathering, Pledge, Role
from core.storage.traffic import OutboxMessage
from tests.domain.chat import Chat, code_in, text_of

BEACH = ("/gather Beach clean Saturday 28 November 10am at Portobello beach, "
         "need 3 pickers, 1 driver and a first-aider")


def _announcement(chat: Chat) -> Message:
    posts = [d for d in chat.deliver_all() if d.kind == "announcement" and d.chat_id == "#beach"]
    assert posts, "no announcement was sent or edited"
    return posts[-1].message


def _roles_of(database: Database, code: str) -> dict[str, tuple[int | None, int]]:
    """Each role's target and the people going in it, read from the pledges."""
    with database.session() as session:
        gathering = session.scalar(select(Gathering).where(Gathering.code == code))
        assert gathering is not None
        out: dict[str, tuple[int | None, int]] = {}
        for role in session.scalars(select(Role).where(Role.gathering_id == gathering.id)):
            going = session.scalars(
                select(Pledge).where(Pledge.role_id == role.id, Pledge.state == "going")
            ).all()
            out[role.name] = (role.target, len(going))
        return out


def test_an_announcement_with_roles_counts_each_role_and_offers_a_button_for_each(
    gather: Gather, database: Database
) -> None:
    chat = Chat(gather)
    started = chat.say("olga", BEACH)
    code = code_in(started)
    assert "Pickers 1/3 · Driver 0/1 · First-aider 0/1" in text_of(started)
    assert _roles_of(database, code) == {"pickers": (3, 1), "driver": (1, 0), "first-aider": (1, 0)}
    post = _announcement(chat)
    assert "Pickers 1/3 · Driver 0/1 · First-aider 0/1" in post.plain()
    assert "Still needed: 1 Driver, 1 First-aider and 2 Pickers." in post.plain()
    joins = [b for b in post.buttons if b.action == "join"]
    assert [b.command for b in joins] == [
        f"/join {code} pickers", f"/join {code} driver", f"/join {code} first-aider"]
    assert [b.label for b in joins] == ["I'm in: Pickers", "I'm in: Driver", "I'm in: First-aider"]


def test_joining_a_role_by_name_singular_or_plural_and_moving_between_roles(
    gather: Gather, database: Database
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("olga", BEACH))
    assert "Your role: Driver" in text_of(chat.say("dan", f"/join {code} DRIVERS"))
    assert "Your role: Pickers" in text_of(chat.say("pia", f"/join {code}"))
    moved = chat.say("pia", f"/join {code} first-aider")
    assert "Your role: First-aider" in text_of(moved)
    assert _roles_of(database, code) == {"pickers": (3, 1), "driver": (1, 1), "first-aider": (1, 1)}
    again = chat.say("pia", f"/join {code} first aider")
    assert "already" in text_of(again)
    unknown = chat.say("sam", f"/join {code} cooks")
    assert not unknown.ok
    assert "has no role “cooks”. Its roles: Pickers, Driver, First-aider." in text_of(unknown)


def test_it_is_on_only_when_every_role_has_its_people_and_only_once(
    gather: Gather, database: Database
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("olga", BEACH))
    for who in ("p1", "p2", "p3"):  # five going: the total is met, the driver is not
        chat.say(who, f"/join {code}")
    chat.say("fa", f"/join {code} first-aider")
    post = _announcement(chat)
    assert "It's on" not in post.plain()
    assert "Still needed: 1 Driver." in post.plain()
    last = chat.say("dan", f"/join {code} driver")
    assert "it's on" in text_of(last)
    assert "It's on" in _announcement(chat).plain()
    told = _its_on_messages(database)
    assert told > 0
    chat.say("p4", f"/join {code} driver")  # a second driver: no second "it's on"
    assert _its_on_messages(database) == told


def _its_on_messages(database: Database) -> int:
    with database.session() as session:
        return len(session.scalars(
            select(OutboxMessage).where(OutboxMessage.purpose == "its_on")).all())


def test_a_role_with_a_limit_has_its_own_waitlist(gather: Gather, database: Database) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("olga", BEACH))
    limited = chat.say("olga", f"/edit {code} max 1 driver")
    assert "Driver: room for 1 now." in text_of(limited)
    chat.say("dan", f"/join {code} driver")
    waiting = chat.say("eve", f"/join {code} driver")
    assert "waitlist" in text_of(waiting)
    chat.say("dan", f"/join {code} pickers")  # the driver's place frees: eve moves up
    assert _roles_of(database, code)["driver"] == (1, 1)
    with database.session() as session:
        promoted = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "promoted"))
        assert len(list(promoted)) == 1


def test_edit_changes_one_role_and_who_lists_per_role(gather: Gather, database: Database) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("olga", BEACH))
    chat.say("dan", f"/join {code} driver")
    edited = chat.say("olga", f"/edit {code} need 5 pickers")
    assert "Pickers: 5 needed now." in text_of(edited)
    assert _roles_of(database, code)["pickers"] == (5, 1)
    with database.session() as session:
        gathering = session.scalar(select(Gathering).where(Gathering.code == code))
        assert gathering is not None and gathering.target == 7
    wrong = chat.say("olga", f"/edit {code} need 2 cooks")
    assert not wrong.ok and "has no role “cooks”" in text_of(wrong)
    chat.say("dan", "/settings names on", private=True)
    who = text_of(chat.say("olga", f"/who {code}"))
    assert "• Pickers 1/5 (1 not named)" in who
    assert "• Driver 1/1: Dan" in who
    assert "• First-aider 0/1" in who


def test_one_noun_stays_a_plain_target(gather: Gather, database: Database) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("olga", "/gather Beach clean Saturday 28 November 10am, need 20"
                                    " people"))
    assert _roles_of(database, code) == {}
    post = _announcement(chat)
    assert [b.command for b in post.buttons if b.action == "join"] == [f"/join {code}"]
    # a word after the code of a gathering without roles changes nothing, as before roles
    joined = chat.say("pia", f"/join {code} drivers")
    assert joined.ok and "You're in" in text_of(joined) and "role" not in text_of(joined)


def test_a_role_without_a_code_joins_the_rooms_latest_gathering(
    gather: Gather, database: Database
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("olga", BEACH))
    assert "Your role: Driver" in text_of(chat.say("dan", "/join driver"))
    assert _roles_of(database, code)["driver"] == (1, 1)
    unknown = chat.say("dan", "/join cooks")  # neither a code nor a role: as before
    assert not unknown.ok and "COOKS" in text_of(unknown)


def test_the_call_for_more_names_the_missing_roles_even_when_the_total_is_met(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("olga", BEACH))  # Saturday 28 November, 10:00 GMT
    for who in ("p1", "p2", "p3", "p4"):  # five going of five needed, but all picking
        chat.say(who, f"/join {code}")
    chat.deliver_all()
    clock.set(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    calls = [d for d in chat.deliver_all() if d.purpose == "short_of_target"]
    assert calls, "the call for more went out"
    assert "Still needed: 1 Driver and 1 First-aider." in calls[0].message.plain()


def test_forget_takes_the_role_with_the_pledge(gather: Gather, database: Database) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("olga", BEACH))
    chat.say("dan", f"/join {code} driver")
    assert _roles_of(database, code)["driver"] == (1, 1)
    chat.say("dan", "/forget")
    assert _roles_of(database, code)["driver"] == (1, 0)
    with database.session() as session:
        left = session.scalars(select(Pledge).where(Pledge.role_id.is_not(None))).all()
        assert len(left) == 1  # the organiser's, in pickers: nothing of dan's holds a role


FOOD_BANK = ("/gather Food bank Saturday 28 November 10am at the church hall, need 2 drivers, "
             "a cook and lots of helpers")


def test_a_role_for_as_many_as_come_takes_plain_joins_and_it_is_on_when_the_others_are_met(
    gather: Gather, database: Database
) -> None:
    chat = Chat(gather)
    started = chat.say("olga", FOOD_BANK)
    code = code_in(started)
    assert "Helpers 1 · Drivers 0/2 · Cook 0/1" in text_of(started)
    for who in ("h1", "h2", "h3", "h4"):  # plain joins: helpers, never drivers
        assert "it's on" not in text_of(chat.say(who, f"/join {code}"))
    assert _roles_of(database, code) == {"helpers": (None, 5), "drivers": (2, 0), "cook": (1, 0)}
    post = _announcement(chat)
    assert "Helpers 5 · Drivers 0/2 · Cook 0/1" in post.plain()
    assert "Still needed: 1 Cook and 2 Drivers." in post.plain()
    assert [b.command for b in post.buttons if b.action == "join"] == [
        f"/join {code} helpers", f"/join {code} drivers", f"/join {code} cook"]
    chat.say("d1", f"/join {code} driver")
    chat.say("d2", f"/join {code} driver")
    assert "it's on" in text_of(chat.say("c1", f"/join {code} cook"))
    told = _its_on_messages(database)
    assert told > 0
    chat.say("h5", f"/join {code}")  # more helpers are welcome, and nobody hears it twice
    assert _its_on_messages(database) == told
