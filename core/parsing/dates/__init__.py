"""Date mentions: explicit, numeric, relative and weekday forms, resolved against `today`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..lexicon import LEXICONS
from ..result import ParseProblem
from . import explicit, relative
from .calendar_math import next_occurrence, weekday_date
from .merge import merge_weekdays
from .model import (
    EXPLICIT,
    RECURRING,
    RELATIVE,
    WEEKDAY,
    Ctx,
    DateMention,
)
from .patterns import patterns

__all__ = ["EXPLICIT", "RECURRING", "RELATIVE", "WEEKDAY", "DateMention", "next_occurrence", "scan", "weekday_date"]


def scan(lower: str, code: str, today: date, order: str | None, next_weekday: str,
         tz_order: str | None) -> tuple[list[DateMention], ParseProblem | None]:
    lx = LEXICONS[code]
    pat = patterns(code)
    ctx = Ctx(lower, lx, pat, today, order, next_weekday)
    if ctx.order is None:
        ctx.order = explicit.order_from_text(lower, pat) or tz_order
    steps: tuple[Callable[[Ctx], None], ...] = (
        explicit.scan_iso, explicit.scan_numeric_year, explicit.scan_day_range,
        explicit.scan_textual, explicit.scan_nth, explicit.scan_numeric_short,
        relative.scan_week_on, relative.scan_weekday_day, relative.scan_day_only,
        relative.scan_relative, relative.scan_weekend, relative.scan_weekdays,
    )
    for step in steps:
        step(ctx)
    ctx.out.sort(key=lambda m: m.start)
    return merge_weekdays(ctx), ctx.order_error
