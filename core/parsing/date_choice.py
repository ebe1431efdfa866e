"""Which day a message means: the date order its zone suggests, the first day of a series
written beside its rule, and which of several date mentions wins. Split from parser.py."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from . import dates as dates_mod
from . import recurrence as recurrence_mod
from .lexicon import LEXICONS
from .recurrence_rule import Recurrence
from .result import ParseError, ParseProblem

_MDY_ZONES = ("America/", "US/", "Pacific/Honolulu", "Pacific/Guam", "Pacific/Saipan",
              "Pacific/Pago_Pago", "Asia/Manila")
_UNDECIDED_ZONES = ("UTC", "Etc/", "GMT", "Universal", "Zulu")
# A date beside a rule that was this year's at most this long ago began the series (no year
# written, so read as next year's): "every Saturday starting 1 November", said on the 21st.
_STARTED_LATELY_DAYS = 92
_ANY_WEEKDAY = frozenset(name for lx in LEXICONS.values() for name in lx.weekdays)


def tz_order(language: str, tz: str) -> str | None:
    if language != "en":
        return "DMY"
    if tz.startswith(_MDY_ZONES):
        return "MDY"
    if tz.startswith(_UNDECIDED_ZONES):
        return None
    return "DMY"


def as_written_rule(found: recurrence_mod.Found | None, text: str, day: date, *,
                     by_weekday: bool) -> Recurrence | None:
    """The rule anchored on the first day, its phrase in the person's own capitals.
    "Saturday 9am, every month" repeats on that Saturday of the month (the 4th, or the last
    when it is a fifth), not on that day's number."""
    if found is None:
        return None
    rule = found.rule
    if by_weekday and rule.unit == "month" and not rule.fixed:
        week = (day.day - 1) // 7 + 1
        rule = replace(rule, weekdays=(day.weekday(),), nths=(week if week < 5 else -1,))
    return replace(rule.anchored(day), phrase=text[found.start:found.end].strip())


def with_recurrence(
    mentions: list[dates_mod.DateMention], found: recurrence_mod.Found, today: date
) -> tuple[list[dates_mod.DateMention], recurrence_mod.Found | None]:
    """The repeat phrase as one date mention. When the rule names its days ("every
    Saturday"), its first day is the rule's first from today on, or from a date written
    beside it ("every Tuesday starting 12 January"); a relative day beside it ("tomorrow",
    "nu donderdag") is the first one as written. When it does not ("every 2 weeks"), a day
    written beside it is the first ("from Wednesday"), else today. The weekday inside the
    phrase is no mention of its own. Beside a range of days ("12-14 June, 10am each day") it
    means each day of the range: no series."""
    others = [m for m in mentions if m.end <= found.start or m.start >= found.end]
    if any(m.end_day is not None for m in others if m.rank == dates_mod.EXPLICIT):
        return mentions, None
    if not found.rule.fixed:
        return [*others, dates_mod.DateMention(found.start, found.end, dates_mod.RECURRING,
                                               today)], found
    beside = next((m for m in others
                   if m.rank != dates_mod.RECURRING and (m.day or _day_past(m))), None)
    written = beside.day if beside else None
    began = _began(beside, today) if beside is not None else None
    if began is not None:
        # "every other Tuesday starting 17 November", said in December: it is going already;
        # its next date from today, in step with the day it began
        anchor = found.rule.first_on_or_after(began)
        first = found.rule.first_on_or_after(today, anchor) if anchor else None
    else:
        first = found.rule.first_on_or_after(max(today, written or today))
        if written is not None and not any(m.rank == dates_mod.EXPLICIT for m in others):
            first = written  # "tomorrow", "nu donderdag": the first one, even off the rule
    return [dates_mod.DateMention(found.start, found.end, dates_mod.EXPLICIT, first),
            *(m for m in others if m.rank not in (dates_mod.EXPLICIT, dates_mod.RELATIVE,
                                                  dates_mod.WEEKDAY))], found


def _day_past(mention: dates_mod.DateMention) -> date | None:
    """The day of a date refused as past ("17 November 2026" in December), if it is one."""
    past = mention.error.values.get("day") if mention.error else None
    return past if mention.error and mention.error.code == "in_the_past" \
        and isinstance(past, date) else None


def _began(mention: dates_mod.DateMention, today: date) -> date | None:
    """The past day a series began, written beside its rule: a date before today, or one with
    no year that was this year's a few weeks ago (and so was read as next year's: beside a
    rule, the series began then, not a year from now). None: it begins today or later."""
    if mention.day is None:
        return _day_past(mention)
    if mention.day < today:
        return mention.day
    if not mention.rolled_year:
        return None
    try:
        this_year = mention.day.replace(year=mention.day.year - 1)
    except ValueError:  # 29 February
        return None
    return this_year if today - timedelta(days=_STARTED_LATELY_DAYS) <= this_year < today else None


def names_days(lower: str, language: str) -> bool:
    """Does the message name days it did not date ("every last Friday", "in March", or a
    weekday in another of the eight languages)? Then a clock time alone is not today."""
    lx = LEXICONS[language]
    words = set(re.findall(r"[^\W\d_]+", lower))
    return bool(words & (_ANY_WEEKDAY | set(lx.every) | {m for m in lx.months if len(m) > 3}))


def choose_date(mentions: list[dates_mod.DateMention], order_error: ParseProblem | None,
                 time_errors: tuple[str, ...]) -> dates_mod.DateMention:
    explicit = [m for m in mentions if m.rank == dates_mod.EXPLICIT]
    if explicit:
        valid = [m for m in explicit if m.day is not None]
        if valid:
            return valid[0]
        problem = explicit[0].error
        assert problem is not None  # an explicit mention without a day says why
        raise ParseError(problem.code, **problem.values)
    for rank in (dates_mod.RELATIVE, dates_mod.WEEKDAY, dates_mod.RECURRING):
        for m in mentions:
            if m.rank == rank and m.day is not None:
                return m
    if order_error:
        raise ParseError(order_error.code, **order_error.values)
    if time_errors:
        raise ParseError("no_such_time", phrase=time_errors[0])
    raise ParseError("no_date")
