"""A link that puts a gathering in the person's calendar (shown with joins and reminders)."""

from __future__ import annotations

import urllib.parse
from datetime import datetime, timedelta
from functools import lru_cache

from core.storage.models import Gathering


def calendar_link(gathering: Gathering) -> str:
    return _calendar_link(
        gathering.title, gathering.starts_at, gathering.ends_at, gathering.place, gathering.code
    )


@lru_cache(maxsize=1024)
def _calendar_link(
    title: str, starts_at: datetime, ends_at: datetime | None, place: str | None, code: str
) -> str:
    # Remembered: every join's reply carries one, and a burst of joins shares it.
    end = ends_at or starts_at + timedelta(hours=2)
    query = {
        "action": "TEMPLATE",
        "text": title,
        "dates": f"{starts_at:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
        "location": place or "",
        "details": f"Gathering {code}",
    }
    return "https://calendar.google.com/calendar/render?" + urllib.parse.urlencode(query)
