"""A series on the web. In the community's calendar feed it is one recurring event, read back
by an independent expander (dateutil's rrule), so the RRULE, its zone and its exceptions are
what calendars get; a date's page says it is one of a series."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
from dateutil.rrule import rrulestr

from tests.domain.chat import code_in, text_of
from tests.web.conftest import Site

LONDON = ZoneInfo("Europe/London")


def series_event(text: str) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(text)
    [event] = [e for e in calendar.walk("VEVENT") if "RRULE" in e]
    return event


def dates(event: icalendar.Event, count: int) -> list[datetime]:
    """The event's dates as a calendar expands them (EXDATE taken out)."""
    start = event.decoded("dtstart")
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    exdates = event.get("EXDATE", [])
    lists = exdates if isinstance(exdates, list) else [exdates]
    excluded = {d.dt for each in lists for d in each.dts}
    return [d for d in rule[: count + len(excluded)] if d not in excluded][:count]


async def test_a_series_is_one_recurring_event_ten_am_local_with_its_cancelled_dates_out(
    site: Site,
) -> None:
    said = site.chat.say("alice", "/gather Park run every Saturday 10am at the bandstand")
    first = code_in(said)
    series = re.findall(r"\(([A-Z0-9]{5})\)", text_of(said))[0]
    site.chat.say("alice", f"/cancel {first}")
    _, text, _ = await site.get("/c/portobello.ics")
    assert f"UID:{first}@gather" not in text  # the date is inside the series' event
    event = series_event(text)
    assert str(event["UID"]) == f"{series}@gather" and str(event["SUMMARY"]) == "Park run"
    assert event["RRULE"].to_ical().decode() == "FREQ=WEEKLY;BYDAY=SA"
    assert "BEGIN:VTIMEZONE" in text and "TZID=Europe/London" in text
    # 21 November 2026 is cancelled; 10:00 stays 10:00 in London after the clocks change.
    expanded = dates(event, 20)
    assert expanded[0] == datetime(2026, 11, 28, 10, tzinfo=LONDON)
    assert all(d.astimezone(LONDON).hour == 10 for d in expanded)
    assert {d.astimezone(UTC).hour for d in expanded} == {9, 10}


async def test_an_ended_series_stops_in_the_feed(site: Site) -> None:
    said = site.chat.say("alice", "/gather Quiz on the last Friday of the month 8pm at the pub")
    series = re.findall(r"\(([A-Z0-9]{5})\)", text_of(said))[0]
    assert site.chat.say("alice", f"/cancel {series}").ok
    _, text, _ = await site.get("/c/portobello.ics")
    event = series_event(text)
    assert "UNTIL=" in event["RRULE"].to_ical().decode()
    assert dates(event, 5) == []  # the first date was cancelled with it, and none follow


async def test_a_dates_page_says_it_is_one_of_a_series_and_how_to_join_all(site: Site) -> None:
    said = site.chat.say("alice", "/gather Park run every Saturday 10am at the bandstand")
    series = re.findall(r"\(([A-Z0-9]{5})\)", text_of(said))[0]
    status, body, _ = await site.get(f"/g/{code_in(said)}")
    assert status == 200
    assert f"🔁 every Saturday: <code>/join {series}</code> for all of them" in body
