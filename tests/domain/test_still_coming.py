""" "Still coming?": the day-before reminder asks, "yes" confirms, "no" frees the place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.app import Gather
from core.clock import FixedClock
from core.delivery.outbox import Delivery, Unreachable
from core.storage.db import Database
from tests.conftest import make_settings
from tests.domain.chat import Chat, code_in, text_of

START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
BEACH = "/gather Beach clean at Portobello beach, Saturday 28 November 2026 10am, max 3"
ANNOUNCED_ROOMS = 5  # the community's console, Telegram, Discord and Mastodon rooms


def checks(sent: list[Delivery]) -> list[Delivery]:
    """The reminders that asked "Still coming?" (its buttons, or on Mastodon, its words)."""
    return [
        d
        for d in sent
        if d.purpose.startswith("reminder")
        and (
            any(b.action == "still" for b in d.message.buttons)
            or "Still coming? Reply" in d.message.plain()
        )
    ]


def asked(gather: Gather, clock: FixedClock, *people: str) -> tuple[Chat, str]:
    """Alice's beach clean with `people` in, on the morning the day-before reminders go."""
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    for person in people:
        chat.say(person, f"/join {code}")
    chat.deliver_all()
    clock.set(START - timedelta(days=1))
    return chat, code


def test_the_day_before_reminder_asks_with_two_buttons_and_the_later_one_does_not(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = asked(gather, clock, "bob")
    sent = checks(chat.deliver_all())
    assert sorted(d.recipient.native_id for d in sent if d.recipient) == ["alice", "bob"]
    message = sent[0].message
    assert "Still coming?" in message.plain()
    assert [(b.label, b.command) for b in message.buttons] == [
        ("Yes, see you there", f"/still {code} yes"),
        ("Can't make it now", f"/still {code} no"),
    ]
    clock.set(START - timedelta(hours=2))
    later = [d for d in chat.deliver_all() if d.purpose.startswith("reminder")]
    assert len(later) == 2 and not checks(later) and not later[0].message.buttons


def test_yes_confirms_and_the_count_says_how_many_confirmed(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = asked(gather, clock, "bob", "carol")
    assert "confirmed" not in text_of(chat.say("bob", f"/who {code}"))  # not asked yet
    chat.deliver_all()
    reply = chat.say("bob", f"/still {code} yes", private=True)
    assert reply.ok and "you're confirmed for Beach clean" in text_of(reply)
    assert "3 going (max 3), 1 confirmed" in text_of(chat.say("carol", f"/who {code}"))
    posts = [d for d in chat.deliver_all() if d.kind == "announcement"]
    assert len(posts) == ANNOUNCED_ROOMS
    assert all("1 confirmed" in d.message.plain() for d in posts)


def test_a_second_answer_changes_nothing_and_says_so(gather: Gather, clock: FixedClock) -> None:
    chat, code = asked(gather, clock, "bob")
    chat.deliver_all()
    chat.say("bob", f"/still {code} yes", private=True)
    chat.deliver_all()
    again = chat.say("bob", f"/still {code} yes", private=True)
    assert again.ok and "already confirmed" in text_of(again)
    assert chat.deliver_all() == []  # nothing to edit, nobody to tell
    chat.say("bob", f"/still {code} no", private=True)
    again = chat.say("bob", f"/still {code} no", private=True)
    assert again.ok and "already given up your place" in text_of(again)


def test_no_frees_the_place_and_the_waitlist_moves_up_and_is_told_at_once(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = asked(gather, clock, "bob", "carol", "dave")  # max 3: dave waits
    chat.deliver_all()
    reply = chat.say("bob", f"/still {code} no", private=True)
    assert reply.ok and "your place at Beach clean is free for someone else" in text_of(reply)
    sent = chat.deliver_all()
    promoted = [d for d in sent if d.purpose == "promoted"]
    assert [d.recipient.native_id for d in promoted if d.recipient] == ["dave"]
    who = text_of(chat.say("alice", f"/who {code}"))
    assert "3 going (max 3)" in who
    clock.advance(timedelta(minutes=10))
    assert [d for d in chat.deliver_all() if d.purpose == "place_opened"] == []  # dave has it


def test_releases_within_minutes_make_one_place_opened_post_per_room(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = asked(gather, clock, "bob", "carol")
    chat.deliver_all()
    chat.say("bob", f"/still {code} no", private=True)
    clock.advance(timedelta(minutes=1))
    chat.say("carol", f"/still {code} no", private=True)
    assert [d for d in chat.deliver_all() if d.purpose == "place_opened"] == []  # settling
    clock.advance(timedelta(minutes=3))
    opened = [d for d in chat.deliver_all() if d.purpose == "place_opened"]
    assert len(opened) == ANNOUNCED_ROOMS
    assert "2 places have opened at Beach clean." in opened[0].message.plain()
    assert opened[0].message.buttons[0].command == f"/join {code}"


def test_no_place_opened_post_once_it_has_started(gather: Gather, clock: FixedClock) -> None:
    chat, code = asked(gather, clock, "bob")
    chat.deliver_all()
    clock.set(START - timedelta(minutes=1))
    assert chat.say("bob", f"/still {code} no", private=True).ok
    clock.set(START + timedelta(minutes=5))
    assert [d for d in chat.deliver_all() if d.purpose == "place_opened"] == []


def test_a_stale_button_on_a_cancelled_or_past_gathering_gets_a_clear_answer(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = asked(gather, clock, "bob")
    chat.deliver_all()
    chat.say("alice", f"/cancel {code}")
    reply = chat.say("bob", f"/still {code} no", private=True)
    assert not reply.ok and "Beach clean was cancelled" in text_of(reply)
    other = code_in(chat.say("alice", BEACH.replace("Beach clean", "Litter pick")))
    chat.say("bob", f"/join {other}")
    clock.set(START + timedelta(hours=1))
    reply = chat.say("bob", f"/still {other} yes", private=True)
    assert not reply.ok and "Litter pick has already started" in text_of(reply)


def test_answers_work_after_a_restart(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat, code = asked(gather, clock, "bob", "carol")
    chat.deliver_all()
    restarted = Chat(Gather(make_settings(), database, clock))
    assert "you're confirmed" in text_of(restarted.say("bob", f"/still {code} yes", private=True))
    assert "free for someone else" in text_of(
        restarted.say("carol", f"/still {code} no", private=True)
    )
    assert "2 going (max 3), 1 confirmed" in text_of(restarted.say("alice", f"/who {code}"))


def test_the_organiser_sees_who_has_not_answered_by_name_only_if_they_allow_it(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = asked(gather, clock, "bob", "carol", "dave")
    chat.say("carol", "/settings names on")
    chat.say("dave", "/settings names on")
    chat.deliver_all()
    chat.say("dave", f"/still {code} yes", private=True)
    organiser = text_of(chat.say("alice", f"/who {code}"))
    assert "Not answered “Still coming?” yet: Carol and 2 others" in organiser  # bob, alice
    assert "Not answered" not in text_of(chat.say("carol", f"/who {code}"))


def test_forget_erases_the_confirmation(gather: Gather, clock: FixedClock) -> None:
    chat, code = asked(gather, clock, "bob")
    chat.deliver_all()
    chat.say("bob", f"/still {code} yes", private=True)
    chat.say("bob", "/forget", private=True)
    chat.say("bob", "/forget yes", private=True)
    assert "1 going (max 3), 0 confirmed" in text_of(chat.say("alice", f"/who {code}"))


def test_a_mastodon_reply_to_the_question_is_the_answer(gather: Gather, clock: FixedClock) -> None:
    chat, code = asked(gather, clock, "mastodon:77")
    question = checks(chat.deliver("mastodon"))
    assert len(question) == 1 and not question[0].message.buttons  # no buttons there
    assert "Reply yes or no to this message" in question[0].message.plain()
    message_id = f"m{question[0].id}"  # what Chat.deliver says the network answered
    assert gather.answer_to_check("mastodon", message_id, "No, sorry!") == f"/still {code} no"
    assert gather.answer_to_check("mastodon", message_id, "see you") == f"/still {code}"
    assert gather.answer_to_check("mastodon", "m999999", "yes") is None


def test_a_refused_dm_asks_in_the_room_with_the_buttons(gather: Gather, clock: FixedClock) -> None:
    chat, code = asked(gather, clock, "telegram:55")
    for delivery in gather.claim("telegram", "w", 50):
        assert gather.begin_send(delivery)
        gather.complete(delivery, Unreachable("bot can't initiate conversation"))
    clock.advance(timedelta(minutes=2))
    in_room = checks([d for d in chat.deliver("telegram") if d.purpose == "reminder_in_room"])
    assert len(in_room) == 1 and in_room[0].chat_id == "-100200"
    assert [b.command for b in in_room[0].message.buttons] == [
        f"/still {code} yes",
        f"/still {code} no",
    ]
    pressed = chat.say("telegram:55", f"/still {code} yes", room="telegram:-100200")
    assert pressed.ok and pressed.private


def test_a_community_can_turn_the_question_off(database: Database, clock: FixedClock) -> None:
    settings = make_settings(
        communities=[{"name": "quiet", "rooms": ["console:#beach"], "still_coming": False}]
    )
    gather = Gather(settings, database, clock)
    gather.prepare()
    chat, _code = asked(gather, clock, "bob")
    sent = [d for d in chat.deliver_all() if d.purpose.startswith("reminder")]
    assert len(sent) == 2 and not checks(sent) and not sent[0].message.buttons


def test_leave_and_its_button_free_a_place_the_same_way(gather: Gather, clock: FixedClock) -> None:
    chat, code = asked(gather, clock, "bob", "carol")
    chat.deliver_all()
    chat.say("bob", f"/leave {code}", room="console:#park")
    clock.advance(timedelta(minutes=4))
    opened = [d for d in chat.deliver_all() if d.purpose == "place_opened"]
    assert len(opened) == ANNOUNCED_ROOMS
    assert "1 place has opened at Beach clean." in opened[0].message.plain()  # max 3, was full
