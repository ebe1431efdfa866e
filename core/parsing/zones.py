"""A time zone written after a clock time ("3pm EST", "20:00 UTC", "18:00 +01:00").

Abbreviations count only in capitals ("ET", "PT" and "CET" are also words in lower case) and
name a region, so "EST" in July is New York's summer time, as people mean it. UTC or GMT with
an offset ("UTC+2", "GMT-5") and a bare offset ("+01:00", "-0500") are fixed offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

_REGIONS = {
    "UTC": "UTC", "GMT": "UTC", "Z": "UTC",
    "EST": "America/New_York", "EDT": "America/New_York", "ET": "America/New_York",
    "CST": "America/Chicago", "CDT": "America/Chicago", "CT": "America/Chicago",
    "MST": "America/Denver", "MDT": "America/Denver", "MT": "America/Denver",
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles",
    "CET": "Europe/Paris", "CEST": "Europe/Paris", "MEZ": "Europe/Berlin",
    "MESZ": "Europe/Berlin", "EET": "Europe/Athens", "EEST": "Europe/Athens",
    "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon", "BST": "Europe/London",
    "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "JST": "Asia/Tokyo",
}
_ABBR = "|".join(sorted(_REGIONS, key=len, reverse=True))
_WRITTEN = re.compile(
    rf"[ \t]{{0,2}}\(?[ \t]{{0,2}}(?:({_ABBR})(?:[ \t]?([+-]\d{{1,2}})(?::?(\d{{2}}))?)?"
    r"|([+-]\d{2}):?(\d{2}))\)?(?![\w])"
)


@dataclass(frozen=True, slots=True)
class WrittenZone:
    start: int
    end: int
    zone: tzinfo


def _offset(hours: str, minutes: str | None) -> tzinfo | None:
    sign = -1 if hours.startswith("-") else 1
    h, m = abs(int(hours)), int(minutes or 0)
    if h > 14 or m > 59:
        return None
    return timezone(sign * timedelta(hours=h, minutes=m))


def after(text: str, pos: int) -> WrittenZone | None:
    """The zone written right after a clock time ending at `pos`, if any."""
    m = _WRITTEN.match(text, pos)
    if m is None:
        return None
    zone: tzinfo | None
    if m.group(1):
        if m.group(2):
            if m.group(1) not in ("UTC", "GMT"):
                return None
            zone = _offset(m.group(2), m.group(3))
        else:
            zone = ZoneInfo(_REGIONS[m.group(1)])
    else:
        zone = _offset(m.group(4), m.group(5))
    if zone is None:
        return None
    return WrittenZone(pos + (len(m.group(0)) - len(m.group(0).lstrip(" \t("))), m.end(), zone)
