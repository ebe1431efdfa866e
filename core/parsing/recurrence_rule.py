"""A repeating gathering's rule: which days it falls on, as calendar arithmetic and as RRULE.

Pure: days only, no clock and no zone. The time of day is the series' own and is put on each
day in the community's zone when an occurrence is made, so 10am stays 10am across a change
of the clocks. A rule is stored as its RFC 5545 RRULE text (`FREQ=MONTHLY;BYDAY=1SA`), which
is also what the calendar feed writes, and read back with `Recurrence.from_rrule`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from .dates.calendar_math import nth_weekday

Unit = Literal["day", "week", "month"]
_DAY_NAMES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY"}
# Enough to find the next day of any rule (every 31st of a month: a gap of two months at most;
# every 29 February would be eight years, which no rule here can say).
_MAX_STEPS = 1000


@dataclass(frozen=True, slots=True)
class Recurrence:
    """Every `interval` days, weeks or months.

    week: on `weekdays` (Monday 0; empty until anchored: the first day's weekday).
    month: on the `nths` (each 1-4, or -1 for the last: "the 2nd and 4th Thursday")
    `weekdays[0]` of the month, or on `month_day`; a month without that day (the 31st in April, the 29th in a February that is
    not a leap year) is passed over, as RFC 5545 says. Neither set until anchored: the first
    day's day of the month. `phrase` is what the person wrote ("every other Tuesday").
    """

    unit: Unit
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    nths: tuple[int, ...] = ()
    month_day: int | None = None
    phrase: str = ""

    @property
    def fixed(self) -> bool:
        """Whether the rule itself names its days (else they follow from the first day)."""
        return self.unit == "day" or bool(self.weekdays) or self.month_day is not None

    @property
    def skips_months(self) -> bool:
        """Some months have no such day (the 29th-31st, or a fifth weekday)."""
        return self.unit == "month" and (self.month_day or 0) > 28

    def anchored(self, first: date) -> Recurrence:
        """The rule with its days made explicit from the first occurrence's day."""
        if self.unit == "week" and not self.weekdays:
            return replace(self, weekdays=(first.weekday(),))
        if self.unit == "month" and not self.nths and self.month_day is None:
            return replace(self, month_day=first.day)
        return self

    def matches(self, day: date, anchor: date) -> bool:
        """Whether `day` is one of the rule's days, counting intervals from `anchor`."""
        rule = self.anchored(anchor)
        if rule.unit == "day":
            return (day - anchor).days % rule.interval == 0
        if rule.unit == "week":
            weeks = (_monday(day) - _monday(anchor)).days // 7
            return day.weekday() in rule.weekdays and weeks % rule.interval == 0
        months = (day.year - anchor.year) * 12 + day.month - anchor.month
        if months % rule.interval:
            return False
        if rule.month_day is not None:
            return day.day == rule.month_day
        return any(day == nth_weekday(day.year, day.month, rule.weekdays[0], n)
                   for n in rule.nths)

    def days_from(self, start: date, anchor: date) -> Iterator[date]:
        """The rule's days from `start` on (inclusive), intervals counted from `anchor`."""
        day = max(start, anchor)
        for _ in range(_MAX_STEPS * 31):
            if self.matches(day, anchor):
                yield day
            day += timedelta(days=1)

    def first_on_or_after(self, start: date, anchor: date | None = None) -> date | None:
        """The first day from `start` on; with no `anchor` (a new series), the first day that
        fits the rule at all: "every other Tuesday" starts on the coming Tuesday."""
        if anchor is None:
            return next(replace(self, interval=1).days_from(start, start), None)
        return next(self.days_from(start, anchor), None)

    def rrule(self) -> str:
        """The RRULE value (without "RRULE:"), for a rule already anchored."""
        parts = [f"FREQ={_FREQ[self.unit]}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.unit == "week" and self.weekdays:
            parts.append("BYDAY=" + ",".join(_DAY_NAMES[d] for d in sorted(self.weekdays)))
        if self.unit == "month" and self.nths and self.weekdays:
            name = _DAY_NAMES[self.weekdays[0]]
            parts.append("BYDAY=" + ",".join(f"{n}{name}" for n in self.nths))
        if self.unit == "month" and self.month_day is not None:
            parts.append(f"BYMONTHDAY={self.month_day}")
        return ";".join(parts)

    @classmethod
    def from_rrule(cls, text: str) -> Recurrence:
        """Read back what `rrule` wrote (nothing else: this is storage, not a general reader)."""
        fields = dict(part.split("=", 1) for part in text.split(";") if "=" in part)
        unit = {v: k for k, v in _FREQ.items()}[fields["FREQ"]]
        interval = int(fields.get("INTERVAL", "1"))
        weekdays: tuple[int, ...] = ()
        nths: tuple[int, ...] = ()
        byday = fields.get("BYDAY", "")
        if byday and unit == "month":
            days = byday.split(",")
            nths, weekdays = tuple(int(d[:-2]) for d in days), (_DAY_NAMES.index(days[0][-2:]),)
        elif byday:
            weekdays = tuple(_DAY_NAMES.index(name) for name in byday.split(","))
        month_day = int(fields["BYMONTHDAY"]) if "BYMONTHDAY" in fields else None
        return cls(unit, interval, weekdays, nths, month_day)  # type: ignore[arg-type]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())

