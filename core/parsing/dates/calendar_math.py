"""Calendar arithmetic: next occurrence of a day, weekdays, nth weekday of a month."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, timedelta


def next_occurrence(month: int, day: int, today: date) -> tuple[date | None, bool]:
    """This year's (month, day) if not past, else the next one. (None, _) if impossible."""
    for offset in range(0, 9):
        year = today.year + offset
        try:
            d = date(year, month, day)
        except ValueError:
            if month == 2 and day == 29:
                continue
            return None, False
        if d >= today:
            return d, offset > 0
    return None, False


def weekday_date(wd: int, today: date, mode: str, next_weekday: str) -> date:
    delta = (wd - today.weekday()) % 7
    if mode == "next":
        if next_weekday == "following":
            monday = today + timedelta(days=7 - today.weekday())
            return monday + timedelta(days=wd)
        return today + timedelta(days=delta or 7)
    return today + timedelta(days=delta)


def nth_weekday(year: int, month: int, wd: int, n: int) -> date | None:
    if n > 0:
        first = date(year, month, 1)
        d = first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
        return d if d.month == month else None
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - wd) % 7)


def coming_days_of_month(today: date, day: int, *, months: int) -> Iterator[date]:
    """The dates with this day of the month, from today on, within `months` calendar months
    (months too short for the day are passed over: no 31 November)."""
    for offset in range(months):
        month = (today.month - 1 + offset) % 12 + 1
        year = today.year + (today.month - 1 + offset) // 12
        with contextlib.suppress(ValueError):
            candidate = date(year, month, day)
            if candidate >= today:
                yield candidate
