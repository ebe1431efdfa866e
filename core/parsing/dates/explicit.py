"""Explicit dates: ISO, numeric (03/04, 28.11.), textual (28 November) and nth weekdays."""

from __future__ import annotations

import re
from datetime import date

from ..result import MonthDay, ParseProblem
from .calendar_math import next_occurrence, nth_weekday
from .model import EXPLICIT, RELATIVE, Ctx, DateMention
from .patterns import Patterns


def explicit(ctx: Ctx, start: int, end: int, year: int | None, month: int, day: int,
              end_day: int | None = None) -> DateMention:
    if not 1 <= month <= 12:
        return DateMention(start, end, EXPLICIT, None,
                           error=ParseProblem("no_such_month", {"phrase": ctx.lower[start:end]}))
    rolled = False
    if year is not None:
        if year < 100:
            year += 2000
        try:
            d: date | None = date(year, month, day)
        except ValueError:
            d = None
    else:
        d, rolled = next_occurrence(month, day, ctx.today)
    if d is None:
        return DateMention(start, end, EXPLICIT, None,
                           error=ParseProblem("no_such_day", {"day": MonthDay(day, month)}))
    if d < ctx.today:
        return DateMention(start, end, EXPLICIT, None,
                           error=ParseProblem("in_the_past", {"day": d}))
    e: date | None = None
    if end_day is not None and end_day > day:
        try:
            e = d.replace(day=end_day)
        except ValueError:
            e = None
    return DateMention(start, end, EXPLICIT, d, end_day=e, rolled_year=rolled)


def _numeric_order(ctx: Ctx, a: int, b: int) -> tuple[int, int] | None:
    """Returns (day, month) for a numeric pair, or None if it cannot be a date."""
    if a == 0 or b == 0 or (a > 12 and b > 12) or a > 31 or b > 31:
        return None
    if a > 12:
        return (a, b) if b <= 12 else None
    if b > 12:
        return (b, a)
    if a == b:
        return (a, b)
    if ctx.order == "MDY":
        return (b, a)
    if ctx.order in ("DMY", "YMD"):
        return (a, b)
    return None


def order_from_text(lower: str, pat: Patterns) -> str | None:
    for rx in (pat.numeric_year, pat.numeric_slash):
        for m in rx.finditer(lower):
            a, b = int(m.group(1)), int(m.group(3) if rx is pat.numeric_year else m.group(2))
            if 12 < a <= 31 and 1 <= b <= 12:
                return "DMY"
            if 12 < b <= 31 and 1 <= a <= 12:
                return "MDY"
    return None


def scan_iso(ctx: Ctx) -> None:
    for m in ctx.pat.iso.finditer(ctx.lower):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1900 < y < 2200:
            ctx.add(explicit(ctx, m.start(), m.end(), y, mo, d))


def _ambiguous_pair(ctx: Ctx, m: re.Match[str], a: int, b: int, year: int | None) -> None:
    # Try to settle "03/04" with a weekday written right before it
    before = ctx.lower[max(0, m.start() - 14):m.start()]
    for name, wd in (*ctx.lx.weekdays.items(), *ctx.lx.weekday_abbr.items()):
        if re.search(rf"(?<![\w]){re.escape(name)}\.?[\s,(]{{0,3}}$", before):
            fits = []
            for day, month in ((a, b), (b, a)):
                if year is not None:
                    try:
                        cand: date | None = date(year + (2000 if year < 100 else 0), month, day)
                    except ValueError:
                        cand = None
                else:
                    cand, _ = next_occurrence(month, day, ctx.today)
                if cand is not None and cand.weekday() == wd:
                    fits.append((day, month))
            if len(fits) == 1:
                ctx.add(explicit(ctx, m.start(), m.end(), year, fits[0][1], fits[0][0]))
                return
    ctx.claimed.append((m.start(), m.end()))
    if ctx.order_error is None:
        ctx.order_error = ParseProblem(
            "day_or_month",
            {"phrase": m.group(0), "first": MonthDay(a, b), "second": MonthDay(b, a)},
        )


def scan_numeric_year(ctx: Ctx) -> None:
    for m in ctx.pat.numeric_year.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()):
            continue
        a, b, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
        dm = _numeric_order(ctx, a, b)
        if dm is None:
            if a <= 12 and b <= 12:
                _ambiguous_pair(ctx, m, a, b, y)
            continue
        ctx.add(explicit(ctx, m.start(), m.end(), y, dm[1], dm[0]))


def _month(ctx: Ctx, word: str) -> int:
    return ctx.lx.months[word]


def scan_day_range(ctx: Ctx) -> None:
    for m in ctx.pat.day_range.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()):
            continue
        y = int(m.group(4)) if m.group(4) else None
        ctx.add(explicit(ctx, m.start(), m.end(), y, _month(ctx, m.group(3)), int(m.group(1)),
                          int(m.group(2))))


def scan_textual(ctx: Ctx) -> None:
    for m in ctx.pat.dm.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()):
            continue
        y = int(m.group(3)) if m.group(3) else None
        ctx.add(explicit(ctx, m.start(), m.end(), y, _month(ctx, m.group(2)), int(m.group(1))))
    for m in ctx.pat.md.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()):
            continue
        y = int(m.group(3)) if m.group(3) else None
        ctx.add(explicit(ctx, m.start(), m.end(), y, _month(ctx, m.group(1)), int(m.group(2))))


def scan_nth(ctx: Ctx) -> None:
    for m in ctx.pat.nth_weekday.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()):
            continue
        n = ctx.lx.ordinals[m.group(1)]
        wd = ctx.lx.weekdays[m.group(2)]
        month = _month(ctx, m.group(3))
        for offset in range(0, 3):
            d = nth_weekday(ctx.today.year + offset, month, wd, n)
            if d is not None and d >= ctx.today:
                ctx.add(DateMention(m.start(), m.end(), RELATIVE, d))
                break


def scan_numeric_short(ctx: Ctx) -> None:
    for rx in (ctx.pat.numeric_slash, ctx.pat.numeric_dot):
        for m in rx.finditer(ctx.lower):
            if not ctx.free(m.start(), m.end()):
                continue
            a, b = int(m.group(1)), int(m.group(2))
            if rx is ctx.pat.numeric_dot:
                before = ctx.lower[max(0, m.start() - 12):m.start()]
                if ctx.pat.time_cue_tail.search(before):
                    continue
            if a == 24 and b == 7:
                continue
            dm = _numeric_order(ctx, a, b)
            if rx is ctx.pat.numeric_dot:
                dm = (a, b) if 1 <= a <= 31 and 1 <= b <= 12 else None
            if dm is None:
                if 1 <= a <= 12 and 1 <= b <= 12:
                    _ambiguous_pair(ctx, m, a, b, None)
                continue
            mention = explicit(ctx, m.start(), m.end(), None, dm[1], dm[0])
            if mention.error and rx is ctx.pat.numeric_slash:
                continue  # "11/50" is a count, not a broken date
            ctx.add(mention)
