"""A link that puts a gathering in the person's calendar (shown with joins and reminders)."""

from __future__ import annotations

import urllib.parse
from datetime import datetime, timedelta
from functools import lru_cache

from core.rules.whole_days import days_of
from core.storage.models import Gathering


def calendar_link(gathering: Gathering) -> str:
    if gathering.all_day:
        # Whole days are dates, not instants: Google's form is 20261212/20261213 (the end is
        # the day after the last), so the entry lands on the right day in any time zone.
        first, last = days_of(gathering.starts_at, gathering.ends_at, gathering.time_zone)
        dates = f"{first:%Y%m%d}/{last + timedelta(days=1):%Y%m%d}"
        return _link(gathering.title, dates, gathering.place, gathering.code)
    return _calendar_link(
        gathering.title, gathering.starts_at, gathering.ends_at, gathering.place, gathering.code
    )


@lru_cache(maxsize=1024)
def _calendar_link(
    title: str, starts_at: datetime, ends_at: datetime | None, place: str | None, code: str
) -> str:
    # Remembered: every join's reply carries one, and a burst of joins shares it.
    end = ends_at or starts_at + timedelta(hours=2)
    return _link(title, f"{starts_at:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}", place, code)


def _link(title: str, dates: str, place: str | None, code: str) -> str:
    query = {
        "action": "TEMPLATE",
        "text": title,
        "dates": dates,
        "location": place or "",
        "details": f"Gathering {code}",
    }
    return "https://calendar.google.com/calendar/render?" + urllib.parse.urlencode(query)
