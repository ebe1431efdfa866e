"""One-tap corrections (issue 14 point 8): after a reading by the fallback reader, the
confirmation carries a button per other plausible reading; a press (`/fix CODE TOKEN`) moves the
gathering there through the same path as /edit, for the organiser only, once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.app import Gather
from core.clock import FixedClock
from core.contract.commands import Reply
from core.contract.messages import Button
from core.storage.db import Database
from tests.conftest import START, make_settings
from tests.domain.chat import Chat, code_in, text_of

# Read on Saturday 21 November 2026, 10:00 in Warsaw: next Saturday at 7 is what the fallback
# reader takes (the hour after "o" is no month, though dateparser alone reads July); the week
# after and the evening are the other plausible readings.
MISREAD = "/gather Sprzątanie plaży w sobotę o 7 przy molo"
SATURDAY = "/gather Sprzątanie plaży w sobotę o 10:00 przy molo"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def polish(database: Database, clock: FixedClock) -> Gather:
    settings = make_settings(
        gather={"time_zone": "Europe/Warsaw", "languages": ["pl", "en"], "reminders": ["1d"]}
    )
    app = Gather(settings, database, clock)
    app.prepare()
    return app


def fixes(reply: Reply) -> list[Button]:
    assert reply.message is not None
    return [button for button in reply.message.buttons if button.action == "fix"]


def test_the_confirmation_offers_each_other_reading_as_a_button(polish: Gather) -> None:
    reply = Chat(polish).say("alice", MISREAD)
    code = code_in(reply)
    offered = {button.argument: button.label for button in fixes(reply)}
    # the Saturday after at 07:00, and the evening of the day it read
    assert offered == {"20261205T0700": "🗓 Sat 5 Dec, 07:00",
                       "20261128T1900": "🗓 Sat 28 Nov, 19:00"}
    assert "Saturday 28 November 2026, 07:00" in text_of(reply)
    assert all(button.code == code for button in fixes(reply))
    assert f"/edit {code} when" in text_of(reply)  # still there for networks without buttons


def test_a_sure_reading_by_the_hand_written_readers_offers_no_buttons(polish: Gather) -> None:
    reply = Chat(polish).say("alice", "/gather Beach clean Saturday 28 November 2026 10am")
    assert fixes(reply) == []


def test_pressing_a_reading_moves_the_gathering_tells_the_joined_and_edits_the_posts(
    polish: Gather,
) -> None:
    chat = Chat(polish)
    reply = chat.say("alice", MISREAD)
    code = code_in(reply)
    chat.say("bob", f"/join {code}")
    chat.deliver_all()
    fixed = chat.say("alice", f"/fix {code} 20261205T0700")
    assert fixed.ok, text_of(fixed)
    assert "Saturday 5 December 2026, 07:00" in text_of(fixed)
    assert "Saturday 5 December 2026, 07:00" in text_of(chat.say("carol", f"/who {code}"))
    sent = chat.deliver_all()
    edited = [d for d in sent if d.kind == "announcement" and d.message_id]
    assert edited and "5 December 2026" in edited[0].message.plain()
    told = [d for d in sent if d.kind == "dm" and d.recipient and d.recipient.native_id == "bob"]
    assert told and "5 December 2026" in told[0].message.plain()


def test_a_second_press_changes_nothing_and_says_so(polish: Gather) -> None:
    chat = Chat(polish)
    code = code_in(chat.say("alice", MISREAD))
    assert chat.say("alice", f"/fix {code} 20261205T0700").ok
    chat.deliver_all()
    again = chat.say("alice", f"/fix {code} 20261205T0700")
    assert again.ok and "already" in text_of(again) and "5 December 2026" in text_of(again)
    assert not [d for d in chat.deliver_all() if d.kind == "announcement"]


def test_only_the_organiser_may_press_it(polish: Gather) -> None:
    chat = Chat(polish)
    code = code_in(chat.say("alice", MISREAD))
    refused = chat.say("mallory", f"/fix {code} 20261205T0700")
    assert not refused.ok and "organiser" in text_of(refused)
    assert "28 November" in text_of(chat.say("bob", f"/who {code}"))


@pytest.mark.parametrize(
    "argument",
    ["20261212T1000", "20261399T0700", "2026-11-28T07:00", "20261128T0700;DROP", "x" * 40, ""],
)
def test_a_tampered_or_made_up_reading_is_refused(polish: Gather, argument: str) -> None:
    chat = Chat(polish)
    code = code_in(chat.say("alice", MISREAD))
    refused = chat.say("alice", f"/fix {code} {argument}")
    assert not refused.ok
    assert "not one of the readings" in text_of(refused) and f"/edit {code} when" in text_of(
        refused
    )


def test_a_press_after_the_text_was_edited_is_refused_as_stale(polish: Gather) -> None:
    chat = Chat(polish)
    code = code_in(chat.say("alice", MISREAD))
    assert chat.say("alice", f"/edit {code} Sprzątanie plaży 5.12.2026 o 9:00").ok
    stale = chat.say("alice", f"/fix {code} 20261128T1900")
    assert not stale.ok and "not one of the readings" in text_of(stale)


def test_a_press_on_a_cancelled_gathering_is_answered_clearly(polish: Gather) -> None:
    chat = Chat(polish)
    code = code_in(chat.say("alice", MISREAD))
    assert chat.say("alice", f"/cancel {code}").ok
    stale = chat.say("alice", f"/fix {code} 20261205T0700")
    assert not stale.ok and "cancelled" in text_of(stale).lower()


def test_a_reading_whose_time_has_passed_is_refused(polish: Gather, clock: FixedClock) -> None:
    chat = Chat(polish)
    code = code_in(chat.say("alice", MISREAD))
    assert chat.say("alice", f"/fix {code} 20261205T0700").ok  # a week on, still to come
    clock.set(START + timedelta(days=7, hours=11))  # Saturday 28 November, 21:00 in Warsaw
    late = chat.say("alice", f"/fix {code} 20261128T1900")  # that evening is over
    assert not late.ok and "past" in text_of(late)


def test_a_whole_day_reading_moves_a_whole_day_gathering(polish: Gather) -> None:
    chat = Chat(polish)
    reply = chat.say("alice", "/gather Zbiórka żywności w niedzielę")
    code = code_in(reply)
    assert [button.argument for button in fixes(reply)] == ["20261129"]
    fixed = chat.say("alice", f"/fix {code} 20261129")
    assert fixed.ok, text_of(fixed)
    assert "29 November 2026" in text_of(chat.say("bob", f"/who {code}"))


def test_a_press_on_a_gathering_already_under_way_is_answered_clearly(
    polish: Gather, clock: FixedClock
) -> None:
    chat = Chat(polish)
    reply = chat.say("alice", SATURDAY)  # Saturday 28 November, 10:00; next Saturday offered
    code = code_in(reply)
    assert [button.argument for button in fixes(reply)] == ["20261205T1000"]
    clock.set(START + timedelta(days=7, hours=1))  # 11:00 on the 28th: it has begun
    late = chat.say("alice", f"/fix {code} 20261205T1000")
    assert not late.ok and "already started" in text_of(late)
