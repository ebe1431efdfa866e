"""Relative dates: today/tomorrow, weekdays (this/next/every), weekends, "a week on"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..lexicon import EN
from ..result import ParseProblem
from .calendar_math import coming_days_of_month, weekday_date
from .model import EXPLICIT, RECURRING, RELATIVE, WEEKDAY, Ctx, DateMention
from .patterns import NEXT_WEEK


def scan_week_on(ctx: Ctx) -> None:
    if ctx.pat.week_on is not None:
        for m in ctx.pat.week_on.finditer(ctx.lower):
            if not ctx.free(m.start(), m.end()):
                continue
            wd = ctx.lx.weekdays[m.group(1) or m.group(2)]
            d = weekday_date(wd, ctx.today, "next", "coming") + timedelta(days=7)
            ctx.add(DateMention(m.start(), m.end(), RELATIVE, d))
    if ctx.pat.in_days is not None:
        for m in ctx.pat.in_days.finditer(ctx.lower):
            if not ctx.free(m.start(), m.end()):
                continue
            raw = m.group(1)
            n = int(raw) if raw.isdigit() else (1 if raw in ("a", "one") else
                                                 EN.numbers.get(raw, 1))
            days = n * (7 if m.group(2).startswith("week") else 1)
            ctx.add(DateMention(m.start(), m.end(), RELATIVE,
                                ctx.today + timedelta(days=days)))


_DAY_THEN_TIME = re.compile(
    r"\s{0,2}[,(]?\s{0,2}(?:at|um|à|a las|alle|às|as|om|kl\.?|klokken|ore|dalle|de|from|von|van|"
    r"fra|das|ab|dès|vanaf|desde las|dalle ore|alle ore)?\s{0,2}\d{1,2}(?:[:.h]\d{2})?\s?"
    r"(?:am|pm|a\.m|p\.m|h|uhr|uur|u|horas|hrs|[-–]|\d|:|\.|\s|,|$)"
)


def scan_weekday_day(ctx: Ctx) -> None:
    """'sat 28th', 'sábado 28', 'Samstag, den 28.': the next date with that day number."""
    lx = ctx.lx
    for m in ctx.pat.wd_day.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()) or reading(ctx, m.group(1), None) in (None, "every"):
            continue
        name = m.group(2)
        wd = lx.weekdays.get(name, lx.weekday_abbr.get(name))
        day = int(m.group(4))
        paren = m.group(3) == "(" and ctx.lower[m.end():m.end() + 1] == ")"
        if m.group(3) == "(" and not paren and not m.group(5):
            continue
        if not (m.group(5) or paren or day > 24 or _DAY_THEN_TIME.match(ctx.lower, m.end())):
            continue  # "sat 10 at the park" is a time, "sábado 28, a las 8" a date
        if wd is None or not 1 <= day <= 31:
            continue
        best: date | None = None
        first: date | None = None
        for d in coming_days_of_month(ctx.today, day, months=14):
            first = first or d
            if d.weekday() == wd:
                best = d
                break
        d2 = first if best is None or (first and (best - first).days > 62) else best
        if d2 is not None:
            ctx.add(DateMention(m.start(), m.end(), EXPLICIT, d2, weekday=wd))


def scan_day_only(ctx: Ctx) -> None:
    for m in ctx.pat.day_only.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()):
            continue
        day = int(m.group(1))
        if not 1 <= day <= 31:
            continue
        coming = next(coming_days_of_month(ctx.today, day, months=3), None)
        if coming is not None:
            ctx.add(DateMention(m.start(), m.end(), RELATIVE, coming))


_MORNING_BEFORE = re.compile(r"(?:la|por la|esta|de la|am|guten|jeden|den|diesen|frühen|"
                             r"am frühen|e)\s$")


def scan_relative(ctx: Ctx) -> None:
    lx = ctx.lx
    for m in ctx.pat.relative.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()):
            continue
        word = m.group(1)
        if word in lx.tomorrow and lx.code in ("es", "de") and _MORNING_BEFORE.search(
                ctx.lower[max(0, m.start() - 10):m.start()]):
            continue
        if word in lx.after_tomorrow:
            offset = 2
        elif word in lx.tomorrow:
            offset = 1
        else:
            offset = 0
        ctx.add(DateMention(m.start(), m.end(), RELATIVE, ctx.today + timedelta(days=offset)))


def reading(ctx: Ctx, before: str | None, after: str | None) -> str | None:
    lx = ctx.lx
    if before in lx.past:
        return None
    if before in lx.every:
        return "every"
    if before in NEXT_WEEK[lx.code]:
        return "next_week"
    if before in lx.next_before or after:
        return "next"
    return "this"


def scan_weekend(ctx: Ctx) -> None:
    for m in ctx.pat.weekend.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()):
            continue
        mode = reading(ctx, m.group(1), m.group(3))
        if mode is None or mode == "every":
            ctx.claimed.append((m.start(), m.end()))
            continue
        t = ctx.today
        if mode == "this" and t.weekday() >= 5:
            d = t
        elif mode == "next_week":
            d = weekday_date(5, t, "next", "following")
        else:
            d = weekday_date(5, t, mode, ctx.next_weekday)
        notes = (ParseProblem("read_day", {"phrase": m.group(0), "day": d}),)
        ctx.add(DateMention(m.start(), m.end(), RELATIVE, d, notes=notes))


def scan_weekdays(ctx: Ctx) -> None:
    lx = ctx.lx
    # (start, end, modifier, word after, weekday, plural)
    found: list[tuple[int, int, str | None, str | None, int, bool]] = []
    for m in ctx.pat.weekday.finditer(ctx.lower):
        found.append((m.start(), m.end(), m.group(1), m.group(3), lx.weekdays[m.group(2)],
                      _is_plural(m.group(2), lx.weekdays)))
    for m in ctx.pat.weekday_abbr.finditer(ctx.lower):
        found.append((m.start(), m.end(), m.group(1), None,
                      lx.weekday_abbr[m.group(2) or m.group(3) or m.group(4)], False))
    for m in ctx.pat.abbr_after_time.finditer(ctx.lower):
        found.append((m.start(1), m.end(), None, None, lx.weekday_abbr[m.group(1)], False))
    for start, end, modifier, after, wd, plural in found:
        if not ctx.free(start, end):
            continue
        mode = reading(ctx, modifier, after)
        if mode is None:
            ctx.claimed.append((start, end))
            continue
        if mode == "next_week":
            d = weekday_date(wd, ctx.today, "next", "following")
        else:
            d = weekday_date(wd, ctx.today, "next" if mode == "next" else "this",
                             ctx.next_weekday)
        notes: tuple[ParseProblem, ...] = ()
        if mode == "next":
            notes = (ParseProblem("read_week", {"phrase": ctx.lower[start:end].strip(),
                                                "day": d}),)
        rank = RECURRING if (mode == "every" or plural) else WEEKDAY
        ctx.add(DateMention(start, end, rank, d, weekday=wd,
                            weekday_only=mode == "this", notes=notes))


def _is_plural(name: str, weekdays: dict[str, int]) -> bool:
    return name.endswith("'s") or name[:-1] in weekdays or name in ("sabati", "domeniche")
