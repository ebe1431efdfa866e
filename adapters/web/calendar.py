"""RFC 5545 calendar files: one gathering (`/g/CODE.ics`) or a community's feed (`/c/NAME.ics`).

Built with the icalendar library, which escapes text and folds long lines. SEQUENCE is the
gathering's version, so a calendar that imported it takes an edit as an update; a cancelled
gathering is STATUS:CANCELLED (and METHOD:CANCEL for a single file) so it is struck out.

In the feed a series is one recurring event: its first date in the community's own zone
(with the zone's VTIMEZONE, so 10am stays 10am across a change of the clocks), its RRULE,
an EXDATE for each cancelled date and UNTIL once it was ended. Its dates are not listed again
as events of their own.
"""

from __future__ import annotations

from collections.abc import Iterable

from icalendar import Calendar, Event, vRecur

from core import GatheringView, SeriesView

PRODUCT = "-//Gather//gathering pages//EN"


def calendar_file(
    views: Iterable[GatheringView],
    base_url: str,
    name: str,
    *,
    single: bool,
    series: Iterable[SeriesView] = (),
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    views = list(views)
    cancelling = single and views and views[0].state == "cancelled"
    calendar.add("method", "CANCEL" if cancelling else "PUBLISH")
    calendar.add("x-wr-calname", name)
    series = list(series)
    recurring = {each.code for each in series}
    for view in views:
        if view.series_code not in recurring:
            calendar.add_component(_event(view, base_url))
    for each in series:
        calendar.add_component(_series_event(each, base_url))
    if series:
        calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _series_event(series: SeriesView, base_url: str) -> Event:
    event = Event()
    event.add("uid", f"{series.code}@gather")
    event.add("sequence", series.sequence)
    event.add("dtstamp", series.updated_at)
    event.add("last-modified", series.updated_at)
    event.add("summary", series.title)
    if series.all_day:
        event.add("dtstart", series.first_day)
    else:
        event.add("dtstart", series.first_start)
        if series.length is not None:
            event.add("duration", series.length)
    rule = series.rule
    if series.until is not None:
        rule += f";UNTIL={series.until:%Y%m%dT%H%M%SZ}"
    event.add("rrule", vRecur.from_ical(rule))
    for cancelled in series.cancelled:
        event.add("exdate", cancelled.date() if series.all_day else cancelled)
    if series.place:
        event.add("location", series.place)
    event.add("description", f"{series.original_text}\n\n{base_url}")
    event.add("status", "CONFIRMED")
    return event


def _event(view: GatheringView, base_url: str) -> Event:
    event = Event()
    event.add("uid", f"{view.code}@gather")
    event.add("sequence", view.version + (1 if view.state == "cancelled" else 0))
    event.add("dtstamp", view.updated_at)
    event.add("last-modified", view.updated_at)
    event.add("summary", view.title)
    if view.whole_days is None:
        event.add("dtstart", view.starts_at)
        event.add("dtend", view.ends_or_assumed)
    else:  # only the days are known: an all-day event (DATE values), in the gathering's zone
        first, after = view.whole_days
        event.add("dtstart", first)
        event.add("dtend", after)
    if view.place:
        event.add("location", view.place)
    page = f"{base_url}/g/{view.code}"
    event.add("url", page)
    event.add("description", f"{view.original_text}\n\n{page}")
    event.add("status", "CANCELLED" if view.state == "cancelled" else "CONFIRMED")
    return event
