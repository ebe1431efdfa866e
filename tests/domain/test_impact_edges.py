"""/impact at the edges: the year turns in the community's time zone, not UTC's, and a
whole-day gathering counts 2 hours a person with the note that says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.app import Gather
from core.clock import FixedClock
from core.storage.db import Database
from tests.conftest import make_settings
from tests.domain.chat import Chat, code_in, text_of


def community_at(database: Database, clock: FixedClock, zone: str) -> Chat:
    settings = make_settings(gather={"time_zone": zone, "languages": ["en"], "reminders": ["2h"]})
    gather = Gather(settings, database, clock)
    gather.prepare()
    return Chat(gather)


def test_this_year_begins_at_midnight_in_the_community_s_time_zone(
    database: Database, clock: FixedClock
) -> None:
    chat = community_at(database, clock, "Pacific/Auckland")  # UTC+13 in December
    clock.set(datetime(2026, 12, 20, tzinfo=UTC))
    old = code_in(chat.say("alice", "/gather Old year tidy, 31 December 2026 11pm, need 2"))
    new = code_in(chat.say("alice", "/gather New year tidy, 1 January 2027 9am, need 2"))
    # Both are over, and it is still 31 December in UTC: 1 January 12:00 in Auckland.
    clock.set(datetime(2026, 12, 31, 23, 0, tzinfo=UTC))
    assert chat.say("alice", f"/report {old} 10 people").ok
    assert chat.say("alice", f"/report {new} 7 people").ok
    shown = text_of(chat.say("dave", "/impact"))
    this_year, _, all_time = shown.partition("All time:")
    assert "This year (2027):" in this_year and "7 people came" in this_year, shown
    assert "1 gathering held" in this_year and "17 people came" in all_time, shown


def test_a_whole_day_gathering_counts_two_hours_a_person_and_says_so(
    database: Database, clock: FixedClock
) -> None:
    chat = community_at(database, clock, "Europe/London")
    code = code_in(chat.say("alice", "/gather Repair fair, Saturday 28 November 2026, need 5"))
    clock.set(datetime(2026, 11, 29, tzinfo=UTC) + timedelta(hours=1))
    assert chat.say("alice", f"/report {code} 6 people").ok
    shown = text_of(chat.say("dave", f"/impact {code}"))
    assert "12 volunteer hours" in shown and "count as 2 hours" in shown, shown
