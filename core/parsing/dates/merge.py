"""Joining neighbouring mentions: "Saturday, 13 April", "ce week-end, dimanche"."""

from __future__ import annotations

import re
from datetime import timedelta

from .model import RECURRING, RELATIVE, WEEKDAY, Ctx, DateMention


def merge_weekdays(ctx: Ctx) -> list[DateMention]:
    """'Saturday, 13 April' is one mention: the explicit date keeps the weekday for checks."""
    out: list[DateMention] = []
    items = ctx.out
    skip: set[int] = set()
    for i, m in enumerate(items):
        if i in skip:
            continue
        if m.rank in (WEEKDAY, RECURRING) and i + 1 < len(items):
            nxt = items[i + 1]
            gap = ctx.lower[m.end:nxt.start]
            if nxt.rank >= RELATIVE and len(gap) <= 8 and re.fullmatch(
                    r"[\s,(\-]*(?:the|den|dem|le|el|il|o|de|dia|der|den)?[\s,(]*", gap):
                merged = DateMention(m.start, nxt.end, nxt.rank, nxt.day, nxt.end_day,
                                     nxt.error, m.weekday, False, nxt.rolled_year, nxt.notes)
                out.append(merged)
                skip.add(i + 1)
                continue
        if m.rank == RELATIVE and m.notes and i + 1 < len(items) and m.day is not None:
            nxt = items[i + 1]
            gap = ctx.lower[m.end:nxt.start]
            if nxt.rank == WEEKDAY and nxt.weekday in (5, 6) and re.fullmatch(r"[\s,:(\-]*", gap) \
                    and len(gap) <= 4 and m.day.weekday() >= 5:
                # "ce week-end, dimanche": the Sunday of that weekend
                sat = m.day - timedelta(days=m.day.weekday() - 5)
                d = sat + timedelta(days=nxt.weekday - 5)
                if d >= ctx.today:
                    out.append(DateMention(m.start, nxt.end, RELATIVE, d, weekday=nxt.weekday))
                    skip.add(i + 1)
                    continue
        if m.rank >= RELATIVE and i + 1 < len(items):
            nxt = items[i + 1]
            gap = ctx.lower[m.end:nxt.start]
            if nxt.rank in (WEEKDAY,) and re.fullmatch(r"[\s,(]*", gap) and len(gap) <= 3:
                out.append(DateMention(m.start, nxt.end, m.rank, m.day, m.end_day, m.error,
                                       nxt.weekday, False, m.rolled_year, m.notes))
                skip.add(i + 1)
                continue
        out.append(m)
    return out
