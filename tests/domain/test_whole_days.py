"""A day written without a time is a whole-day gathering: joinable all day, listed, reminded
at daytime hours, and put in calendars as dates (issue 14 point 1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.app import Gather
from core.clock import FixedClock
from core.contract.commands import Reply
from core.delivery.outbox import Delivery
from tests.domain.chat import Chat, code_in, text_of

SUNDAY_AFTERNOON = datetime(2026, 11, 22, 13, 0, tzinfo=UTC)  # Sunday 22 November, London
CANAL = "/gather Canal tidy this weekend, meet at Fountainbridge"
BEACH = "/gather Beach clean Saturday 28 November 2026 at Portobello beach, need 5 people"


def calendar_links(reply: Reply) -> list[str]:
    assert reply.message is not None
    targets = [span.target or "" for paragraph in reply.message.paragraphs for span in paragraph]
    return [target for target in targets if "calendar.google.com" in target]


def test_this_weekend_sent_on_the_sunday_is_today_all_day_and_people_can_join(
    gather: Gather, clock: FixedClock
) -> None:
    clock.set(SUNDAY_AFTERNOON)
    chat = Chat(gather)
    started = chat.say("alice", CANAL)
    code = code_in(started)
    assert "Sunday 22 November 2026 (all day)" in text_of(started)
    assert "00:00" not in text_of(started)
    joined = chat.say("bob", f"/join {code}")
    assert joined.ok and "already started" not in text_of(joined)
    assert code in text_of(chat.say("carol", "/list"))
    # /join with no code finds it as the room's latest
    assert chat.say("dave", "/join").gathering_code == code
    # the next day it is over: no more joins
    clock.set(SUNDAY_AFTERNOON + timedelta(hours=11))
    late = chat.say("erin", f"/join {code}")
    assert not late.ok and "started" in text_of(late)


def test_a_future_day_is_reminded_the_evening_before_and_the_morning_of(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.say("bob", f"/join {code}")
    chat.deliver_all()

    def reminders() -> list[Delivery]:
        return [d for d in chat.deliver_all() if d.purpose.startswith("reminder")]

    friday = datetime(2026, 11, 27, tzinfo=UTC)  # GMT: local time is UTC
    clock.set(friday.replace(hour=17, minute=29))
    assert reminders() == []
    clock.set(friday.replace(hour=18))
    evening = reminders()
    assert len(evening) == 2
    assert "starts tomorrow." in evening[0].message.plain()
    clock.set(friday.replace(hour=22))  # no 22:00 "starts in 1 hour 59 minutes"
    assert reminders() == []
    clock.set(friday.replace(day=28, hour=8))
    morning = reminders()
    assert len(morning) == 2 and "starts today." in morning[0].message.plain()


def test_the_we_need_more_call_of_a_whole_day_comes_at_nine_on_the_day(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code_in(chat.say("alice", BEACH))
    chat.deliver_all()

    def calls() -> list[Delivery]:
        return [d for d in chat.deliver_all() if d.purpose == "short_of_target"]

    clock.set(datetime(2026, 11, 27, 17, 0, tzinfo=UTC))
    assert calls() == []
    clock.set(datetime(2026, 11, 27, 18, 0, tzinfo=UTC))  # the day-before call: 18:00
    evening = calls()
    assert len(evening) == 5 and all("Starts tomorrow." in d.message.plain() for d in evening)
    clock.set(datetime(2026, 11, 28, 8, 59, tzinfo=UTC))
    assert calls() == []
    clock.set(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    call = calls()  # one in each of the community's rooms
    assert call and all("We need 4 more people" in d.message.plain() for d in call)
    assert all("Starts today." in d.message.plain() for d in call)


def test_the_calendar_link_of_a_whole_day_gives_dates_not_instants(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    joined = chat.say("bob", f"/join {code}")
    (link,) = calendar_links(joined)
    assert "dates=20261128%2F20261129" in link


def test_a_weekend_range_is_both_days(gather: Gather) -> None:
    chat = Chat(gather)
    started = chat.say("alice", "/gather Hedge planting 28-29 November at the allotments")
    assert "Saturday 28 November 2026 to Sunday 29 November 2026 (all day)" in text_of(started)
    joined = chat.say("bob", f"/join {code_in(started)}")
    (link,) = calendar_links(joined)
    assert "dates=20261128%2F20261130" in link


def test_editing_a_whole_day_to_a_time_makes_it_timed(gather: Gather, clock: FixedClock) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    timed = chat.say("alice", f"/edit {code} when 28 November 2026 10am")
    assert timed.ok, text_of(timed)
    assert "(all day)" not in text_of(chat.say("bob", f"/who {code}"))
    assert "10:00" in text_of(chat.say("bob", f"/who {code}"))
