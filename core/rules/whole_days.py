"""When a gathering is: a start with a time, or whole days when no time was written.

"Canal tidy this weekend", sent on the Sunday, names a day and no time. Read as midnight it
would start a gathering that had already begun, that nobody could join and /list would hide.
It is a whole-day gathering instead: from the first day's local midnight to the local midnight
after its last day, open to joins until that end, reminded and called at daytime hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.parsing import ParsedGathering

EVENING_BEFORE = time(18, 0)  # a day-before reminder of a whole-day gathering
MORNING_OF = time(8, 0)  # a same-day reminder of a whole-day gathering
CALL_ON_THE_DAY = time(9, 0)  # the "we need N more" call of a whole-day gathering


@dataclass(frozen=True, slots=True)
class When:
    starts_at: datetime
    ends_at: datetime | None
    has_time: bool
    all_day: bool


def midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), zone)


def at_local(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, zone)


def when_of(parsed: ParsedGathering, zone_name: str) -> When:
    """The parser's reading as stored: with a time as it is, without one as whole days (the
    parser gives a range's last day as that day's midnight: the days run to the day after)."""
    if parsed.has_time:
        return When(parsed.starts_at, parsed.ends_at, True, False)
    zone = ZoneInfo(zone_name)
    first = parsed.starts_at.astimezone(zone).date()
    last = parsed.ends_at.astimezone(zone).date() if parsed.ends_at is not None else first
    return When(
        midnight(first, zone), midnight(max(first, last) + timedelta(days=1), zone), False, True
    )


def days_of(starts_at: datetime, ends_at: datetime | None, zone_name: str) -> tuple[date, date]:
    """The first and last day of a whole-day gathering, in its own time zone."""
    zone = ZoneInfo(zone_name)
    first = starts_at.astimezone(zone).date()
    if ends_at is None:
        return first, first
    return first, max(first, ends_at.astimezone(zone).date() - timedelta(days=1))
