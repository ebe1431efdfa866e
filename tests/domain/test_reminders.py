"""Reminders with an injected clock: on time, once, and only while they are still true."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.app import Gather
from core.clock import FixedClock
from core.config import Settings
from core.delivery.outbox import Delivery, Sent, Unreachable
from core.storage.db import Database
from tests.conftest import make_settings
from tests.domain.chat import Chat, code_in

BEACH = "/gather Beach clean at Portobello beach, Saturday 28 November 2026 10am, need 5 people"
START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)  # 10:00 GMT


def reminders_sent(chat: Chat) -> list[Delivery]:
    return [d for d in chat.deliver_all() if d.purpose.startswith("reminder")]


def joined(gather: Gather) -> tuple[Chat, str]:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.say("bob", f"/join {code}")
    chat.deliver_all()
    return chat, code


def test_day_before_and_two_hours_before_arrive_once_each(
    gather: Gather, clock: FixedClock
) -> None:
    chat, _code = joined(gather)
    clock.set(START - timedelta(days=1, hours=1))
    assert reminders_sent(chat) == []  # early: nothing yet
    clock.set(START - timedelta(days=1))
    first = reminders_sent(chat)
    assert sorted(d.recipient.native_id for d in first if d.recipient) == ["alice", "bob"]
    assert "tomorrow at 10:00" in first[0].message.plain()
    assert "Still coming?" in first[0].message.plain()
    assert reminders_sent(chat) == []  # once
    clock.set(START - timedelta(hours=2))
    second = reminders_sent(chat)
    assert len(second) == 2
    text = second[0].message.plain()
    assert "starts in 2 hours" in text and "2 going of 5 needed" in text
    targets = [
        span.target or "" for paragraph in second[0].message.paragraphs for span in paragraph
    ]
    assert any("openstreetmap.org" in target for target in targets)


def test_after_downtime_late_reminders_say_the_real_time_left_and_stale_ones_are_skipped(
    gather: Gather, clock: FixedClock
) -> None:
    chat, _code = joined(gather)
    # Nothing ran from 25 hours before until 90 minutes before the start.
    clock.set(START - timedelta(minutes=90))
    sent = reminders_sent(chat)
    assert len(sent) == 2  # the 2-hour reminders, 30 minutes late, still useful
    assert all("starts in 1 hour 30 minutes" in d.message.plain() for d in sent)
    assert all(
        "tomorrow" not in d.message.plain() for d in sent
    )  # the day-before ones were skipped


def test_a_cancelled_gathering_sends_no_reminder(gather: Gather, clock: FixedClock) -> None:
    chat, code = joined(gather)
    chat.say("alice", f"/cancel {code}")
    chat.deliver_all()
    clock.set(START - timedelta(hours=2))
    assert reminders_sent(chat) == []


def test_a_person_who_left_gets_none_and_turning_reminders_off_works(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = joined(gather)
    chat.say("bob", f"/leave {code}")
    chat.say("alice", "/settings reminders off")
    clock.set(START - timedelta(hours=2))
    assert reminders_sent(chat) == []


def test_personal_reminder_times_replace_the_communitys(gather: Gather, clock: FixedClock) -> None:
    chat, _code = joined(gather)
    chat.say("bob", "/settings reminders 30m")
    clock.set(START - timedelta(hours=2))
    assert [d.recipient.native_id for d in reminders_sent(chat) if d.recipient] == ["alice"]
    clock.set(START - timedelta(minutes=30))
    assert [d.recipient.native_id for d in reminders_sent(chat) if d.recipient] == ["bob"]


def test_a_moved_gathering_reminds_for_the_new_time_only(gather: Gather, clock: FixedClock) -> None:
    chat, code = joined(gather)
    assert chat.say("alice", f"/edit {code} when Sunday 29 November 2026 2pm").ok
    chat.deliver_all()
    clock.set(START - timedelta(hours=2))
    assert reminders_sent(chat) == []
    clock.set(datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    sent = reminders_sent(chat)
    assert len(sent) == 2 and "14:00" in sent[0].message.plain()


def test_reminders_claimed_then_cancelled_are_skipped_at_send_time(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = joined(gather)
    clock.set(START - timedelta(hours=2))
    claimed = gather.claim("console", "w1", 100)
    assert any(d.purpose == "reminder" for d in claimed)
    # The lease runs out unsent (the worker stalled); meanwhile the gathering is cancelled.
    clock.advance(timedelta(minutes=2))
    chat.say("alice", f"/cancel {code}")
    assert reminders_sent(chat) == []
    assert not any(gather.begin_send(d) for d in claimed)  # the stale worker is fenced out


def test_someone_who_cannot_be_dmed_is_reminded_once_in_the_room(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.say("telegram:55", f"/join {code}", room="telegram:-100200")
    chat.deliver_all()
    clock.set(START - timedelta(days=1))
    for batch in iter(lambda: gather.claim("telegram", "w", 50), []):
        for delivery in batch:
            assert gather.begin_send(delivery)
            if delivery.kind == "dm":
                gather.complete(delivery, Unreachable("bot can't initiate conversation"))
            else:
                gather.complete(delivery, Unreachable("unexpected"))
    clock.set(START - timedelta(hours=2))
    in_room = [d for d in chat.deliver("telegram") if d.purpose == "reminder_in_room"]
    assert len(in_room) == 1
    assert in_room[0].chat_id == "-100200"
    assert any(
        s.style == "mention" and s.target == "telegram:55"
        for p in in_room[0].message.paragraphs
        for s in p
    )
    assert "/start" in in_room[0].message.plain()


def test_an_hour_before_a_gathering_short_of_its_target_every_room_hears_it(
    gather: Gather, clock: FixedClock
) -> None:
    chat, _code = joined(gather)
    clock.set(START - timedelta(hours=1))
    calls = [d for d in chat.deliver_all() if d.purpose == "short_of_target"]
    assert sorted(f"{d.network}:{d.chat_id}" for d in calls) == [
        "console:#beach",
        "console:#park",
        "discord:300",
        "mastodon:public",
        "telegram:-100200",
    ]
    assert "We need 3 more people for Beach clean at Portobello beach" in calls[0].message.plain()


def test_no_short_of_target_call_once_the_target_is_reached(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code = joined(gather)
    for name in ("carol", "dave", "erin"):
        chat.say(name, f"/join {code}")
    clock.set(START - timedelta(hours=1))
    assert [d for d in chat.deliver_all() if d.purpose == "short_of_target"] == []


@pytest.mark.parametrize(
    ("zone", "when", "day_before_utc", "two_hours_before_utc"),
    [
        # Spring forward in Berlin on Sunday 28 March 2027: the day before keeps 10:00 local.
        (
            "Europe/Berlin",
            "Sunday 28 March 2027 10am",
            datetime(2027, 3, 27, 9, 0, tzinfo=UTC),
            datetime(2027, 3, 28, 6, 0, tzinfo=UTC),
        ),
        # Fall back in New York on Sunday 7 November 2027.
        (
            "America/New_York",
            "Sunday 7 November 2027 10am",
            datetime(2027, 11, 6, 14, 0, tzinfo=UTC),
            datetime(2027, 11, 7, 13, 0, tzinfo=UTC),
        ),
        # Southern hemisphere: Sydney springs forward on Sunday 3 October 2027.
        (
            "Australia/Sydney",
            "Sunday 3 October 2027 10am",
            datetime(2027, 10, 2, 0, 0, tzinfo=UTC),
            datetime(2027, 10, 2, 21, 0, tzinfo=UTC),
        ),
    ],
)
def test_reminders_fire_at_the_right_instant_across_dst(
    database: Database,
    zone: str,
    when: str,
    day_before_utc: datetime,
    two_hours_before_utc: datetime,
) -> None:
    settings: Settings = make_settings(
        gather={"time_zone": zone, "languages": ["en"], "reminders": ["1d", "2h"]},
    )
    clock = FixedClock(
        datetime(2027, 1, 10, 9, tzinfo=UTC)
        if "March" in when
        else datetime(2027, 9, 1, 9, tzinfo=UTC)
    )
    gather = Gather(settings, database, clock)
    gather.prepare()
    chat = Chat(gather)
    reply = chat.say("alice", f"/gather Tree planting at the park, {when}")
    assert reply.ok, reply
    local_day_before = day_before_utc.astimezone(ZoneInfo(zone))
    assert local_day_before.hour == 10  # the same wall-clock time the day before
    spread = timedelta(minutes=30)
    clock.set(day_before_utc - spread - timedelta(seconds=1))
    assert reminders_sent(chat) == []
    clock.set(day_before_utc)
    assert len(reminders_sent(chat)) == 1
    clock.set(two_hours_before_utc - timedelta(seconds=1))
    assert reminders_sent(chat) == []
    clock.set(two_hours_before_utc)
    assert len(reminders_sent(chat)) == 1


def test_someone_whose_dm_failed_hears_it_once_when_they_speak_again(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.say("telegram:66", f"/join {code}", room="telegram:-100200")
    chat.say("carol", f"/join {code}")
    chat.say("dave", f"/join {code}")
    chat.say("erin", f"/join {code}")  # the target is reached: "it's on" DMs are queued
    for batch in iter(lambda: gather.claim("telegram", "w", 50), []):
        for delivery in batch:
            assert gather.begin_send(delivery)
            gather.complete(
                delivery, Unreachable("blocked") if delivery.kind == "dm" else Sent("m1")
            )
    first = chat.say("telegram:66", f"/who {code}", room="telegram:-100200")
    assert first.dm_status == "unreachable"
    again = chat.say("telegram:66", f"/who {code}", room="telegram:-100200")
    assert again.dm_status == "unknown"


def test_the_private_confirmation_carries_a_calendar_link(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.say("telegram:70", f"/join {code}", room="telegram:-100200")
    reply = chat.say("telegram:70", f"/start join-{code}", room="telegram:70", private=True)
    assert reply.dm_status == "reachable"
    links = (
        [s.target or "" for p in reply.message.paragraphs for s in p if s.style == "link"]
        if reply.message
        else []
    )
    assert any(
        link.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE")
        and "20261128T100000Z" in link
        for link in links
    )


def test_people_who_cannot_be_dmed_hear_of_a_cancellation_in_the_room(gather: Gather) -> None:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    for person in ("telegram:81", "telegram:82"):
        chat.say(person, f"/join {code}", room="telegram:-100200")
    chat.deliver_all()
    gather.mark_unreachable("telegram", "81")
    gather.mark_unreachable("telegram", "82")
    chat.say("alice", f"/cancel {code} storm")
    in_room = [d for d in chat.deliver("telegram") if d.purpose == "cancelled_in_room"]
    assert len(in_room) == 1 and in_room[0].chat_id == "-100200"
    targets = {s.target for p in in_room[0].message.paragraphs for s in p if s.style == "mention"}
    assert targets == {"telegram:81", "telegram:82"}
    assert "storm" in in_room[0].message.plain()
