"""A series' days and times: which day comes next by its rule, and when each one is.

Pure reads of a `Series` row, shared by the job that makes occurrences, the commands and the
calendar feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.parsing import Recurrence
from core.storage.series import Series


@dataclass(frozen=True, slots=True)
class Times:
    starts_at: datetime
    ends_at: datetime | None
    all_day: bool

    @property
    def joinable_until(self) -> datetime:
        return self.ends_at if self.all_day and self.ends_at is not None else self.starts_at


def times_on(series: Series, day: date) -> Times:
    """When the occurrence on `day` is: the series' local clock time on that day in its zone
    (10am stays 10am across a change of the clocks; a time the clocks skip moves forward)."""
    zone = ZoneInfo(series.time_zone)
    if series.start_minute is None:
        start = datetime.combine(day, time(0, 0), zone)
        return Times(start, datetime.combine(day + timedelta(days=1), time(0, 0), zone), True)
    wall = datetime.combine(day, time(*divmod(series.start_minute, 60)), zone)
    start = wall.astimezone(UTC).astimezone(zone)  # a wall time in a gap comes out moved on
    end = start + timedelta(minutes=series.duration_minutes) if series.duration_minutes else None
    return Times(start, end, False)


def rule_of(series: Series) -> Recurrence:
    return Recurrence.from_rrule(series.rule)


def following_day(series: Series, day: date) -> date | None:
    """The rule's next day after `day`."""
    return rule_of(series).first_on_or_after(day + timedelta(days=1), series.first_day)
