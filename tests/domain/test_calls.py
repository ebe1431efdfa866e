"""The "we need N more" call (issue 16 §3): at the community's times (default a day and an
hour before), framed by how close the target is, once per slot and room, never once the
target is met or the gathering is cancelled."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.app import Gather
from core.clock import FixedClock
from core.delivery.calls import Shortfall
from core.delivery.outbox import Delivery
from core.storage.db import Database
from tests.conftest import make_settings
from tests.domain.chat import Chat
from tests.domain.test_reminders import START, joined

ROOMS = 5  # the test community's rooms


def calls(chat: Chat) -> list[Delivery]:
    return [d for d in chat.deliver_all() if d.purpose == "short_of_target"]


def community(**more: object) -> dict[str, object]:
    rooms = ["console:#beach", "console:#park", "telegram:-100200", "discord:300"]
    return {"name": "portobello", "rooms": [*rooms, "mastodon:public"], **more}


def test_a_day_before_it_says_how_many_are_needed_an_hour_before_how_close_it_is(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = joined(gather)  # 2 going of 5 needed
    clock.set(START - timedelta(days=1, minutes=1))
    assert calls(chat) == []
    clock.set(START - timedelta(days=1))
    early = calls(chat)
    assert len(early) == ROOMS
    assert "We need 3 more people for Beach clean at Portobello beach!" in early[0].message.plain()
    assert calls(chat) == []  # once
    for name in ("carol", "dave"):
        chat.say(name, f"/join {code}")
    clock.set(START - timedelta(hours=1))
    close = calls(chat)
    assert len(close) == ROOMS
    text = close[0].message.plain()
    assert "Almost there for Beach clean, with 4 in: just 1 more and it's on!" in text
    assert f"Starts in 1 hour. Join with /join {code}" in text
    clock.set(START - timedelta(minutes=1))
    assert calls(chat) == []


def test_close_is_within_a_fifth_of_the_target_or_two_people() -> None:
    assert Shortfall(going=16, target=20).close  # 4 more: a fifth
    assert not Shortfall(going=15, target=20).close
    assert Shortfall(going=3, target=5).close  # 2 more
    assert not Shortfall(going=2, target=5).close
    assert Shortfall(going=98, target=100).close and not Shortfall(going=70, target=100).close
    # A small target with few in is not "almost there, with 0 in": how many are needed.
    assert not Shortfall(going=0, target=2).close and not Shortfall(going=1, target=3).close
    assert not Shortfall(going=0, target=1).close and Shortfall(going=2, target=3).close


def test_the_times_are_a_community_setting(database: Database, clock: FixedClock) -> None:
    settings = make_settings(communities=[community(calls_for_more=["3h"])])
    gather = Gather(settings, database, clock)
    gather.prepare()
    chat, _code = joined(gather)
    clock.set(START - timedelta(days=1))
    assert calls(chat) == []
    clock.set(START - timedelta(hours=3))
    assert len(calls(chat)) == ROOMS
    clock.set(START - timedelta(hours=1))
    assert calls(chat) == []


def test_no_calls_when_the_community_turns_them_off(database: Database, clock: FixedClock) -> None:
    settings = make_settings(communities=[community(calls_for_more=[])])
    gather = Gather(settings, database, clock)
    gather.prepare()
    chat, _code = joined(gather)
    for hours in (24, 1):
        clock.set(START - timedelta(hours=hours))
        assert calls(chat) == []


def test_never_for_a_cancelled_gathering_nor_once_the_target_is_met(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = joined(gather)
    clock.set(START - timedelta(days=1))
    claimed = [d for d in gather.claim("console", "w", 50) if d.purpose == "short_of_target"]
    assert len(claimed) == 2
    for name in ("carol", "dave", "erin"):  # the target is met while the call is on its way
        chat.say(name, f"/join {code}")
    assert [gather.begin_send(d) for d in claimed] == [False, False]
    assert calls(chat) == []
    chat.say("erin", f"/leave {code}")  # short again...
    assert chat.say("alice", f"/cancel {code}").ok  # ...but called off
    clock.set(START - timedelta(hours=1))
    assert calls(chat) == []


def test_once_per_slot_across_restarts_and_edits(
    gather: Gather, database: Database, clock: FixedClock
) -> None:
    chat, code = joined(gather)
    clock.set(START - timedelta(days=1))
    assert len(calls(chat)) == ROOMS
    again = Chat(Gather(make_settings(), database, clock))  # a restarted process
    assert calls(again) == []
    clock.advance(timedelta(hours=1))
    assert chat.say("alice", f"/edit {code} need 6").ok  # reschedules what is still ahead
    assert chat.say("alice", f"/edit {code} need 7").ok
    assert calls(again) == []  # the day-before slot has gone by: not queued again
    clock.set(START - timedelta(hours=1))
    hour_before = calls(again)
    assert len(hour_before) == ROOMS and "We need 5 more people" in hour_before[0].message.plain()


def test_after_an_outage_only_the_latest_call_goes(gather: Gather, clock: FixedClock) -> None:
    chat, _code = joined(gather)
    clock.set(START - timedelta(minutes=30))  # both slots have come due while nothing was sent
    late = calls(chat)
    assert len(late) == ROOMS
    assert all("Starts in 30 minutes." in d.message.plain() for d in late)


@pytest.mark.parametrize("value", [["soon"], "1d"])
def test_a_bad_setting_is_reported(value: object) -> None:
    from core.config import ConfigError

    with pytest.raises(ConfigError) as error:
        make_settings(communities=[community(calls_for_more=value)])
    assert "community portobello calls_for_more" in str(error.value)


def test_a_call_claimed_before_a_reschedule_gives_way_to_the_fresh_one(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = joined(gather)
    clock.set(START - timedelta(days=1))
    claimed = [d for d in gather.claim("console", "w", 50) if d.purpose == "short_of_target"]
    assert len(claimed) == 2  # and then the worker stops
    assert chat.say("alice", f"/edit {code} when Sunday 29 November 2026 10am").ok
    clock.advance(timedelta(minutes=5))  # its lease runs out: the fresh call keeps the slot
    assert calls(chat) == []
    clock.set(START)  # a day before the new time
    assert len(calls(chat)) == ROOMS


def test_a_small_move_after_a_call_went_does_not_call_that_slot_again(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = joined(gather)
    clock.set(START - timedelta(days=1))
    assert len(calls(chat)) == ROOMS  # "a day before", at 10:00 on Friday
    clock.advance(timedelta(hours=1))
    assert chat.say("alice", f"/edit {code} when Saturday 28 November 2026 8pm").ok
    clock.set(START + timedelta(hours=10) - timedelta(days=1))  # a day before the new time
    assert calls(chat) == []  # not the same call in every room ten hours later
    clock.set(START + timedelta(hours=9))
    assert len(calls(chat)) == ROOMS  # the hour before still goes
    chat.say("alice", f"/edit {code} when Saturday 5 December 2026 10am")
    clock.set(START + timedelta(days=6))  # moved by a week: a day before it, a call again
    assert len(calls(chat)) == ROOMS
