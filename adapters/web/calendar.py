"""RFC 5545 calendar files: one gathering (`/g/CODE.ics`) or a community's feed (`/c/NAME.ics`).

Built with the icalendar library, which escapes text and folds long lines. SEQUENCE is the
gathering's version, so a calendar that imported it takes an edit as an update; a cancelled
gathering is STATUS:CANCELLED (and METHOD:CANCEL for a single file) so it is struck out.
"""

from __future__ import annotations

from collections.abc import Iterable

from icalendar import Calendar, Event

from core import GatheringView

PRODUCT = "-//Gather//gathering pages//EN"


def calendar_file(
    views: Iterable[GatheringView], base_url: str, name: str, *, single: bool
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    views = list(views)
    cancelling = single and views and views[0].state == "cancelled"
    calendar.add("method", "CANCEL" if cancelling else "PUBLISH")
    calendar.add("x-wr-calname", name)
    for view in views:
        calendar.add_component(_event(view, base_url))
    return bytes(calendar.to_ical())


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
