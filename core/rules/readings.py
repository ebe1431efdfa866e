"""A reading of a gathering's day and time as a short, self-describing token for a button.

`20261205T0700` is 5 December 2026 at 07:00 and `20261129` the whole of 29 November, both
local to the gathering's zone. The token is all a correction button carries (`/fix K7QF
20261205T0700`): nothing is stored for it, so a button works the same after a restart, and a
token that does not parse back is refused as tampered.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.rules.whole_days import When, midnight

_TOKEN = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2}))?")


def token(starts_at: datetime, has_time: bool, zone: str) -> str:
    """'20261205T0700' (or '20261205' for a day without a time), in the zone `zone`."""
    local = starts_at.astimezone(ZoneInfo(zone))
    return f"{local:%Y%m%dT%H%M}" if has_time else f"{local:%Y%m%d}"


def when_of_token(text: str, zone: str) -> When | None:
    """The start a token names, as stored (a day without a time: that whole day); None when
    `text` is not a token or names no real day or time."""
    match = _TOKEN.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute = match.groups()
    place = ZoneInfo(zone)
    try:
        on = date(int(year), int(month), int(day))
        at = time(int(hour), int(minute)) if hour is not None else None
    except ValueError:
        return None
    if at is None:
        return When(midnight(on, place), midnight(on + timedelta(days=1), place), False, True)
    return When(datetime.combine(on, at, place), None, True, False)
