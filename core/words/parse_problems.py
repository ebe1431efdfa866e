"""The parser's problems and notes, worded in the language of the reply.

The parser (core/parsing) reports a `ParseProblem`: a code and its values. Each code has a
catalogue entry `parse.<code>`, a whole sentence with named placeholders. What the person
wrote (values named `phrase`) goes in `user(...)` spans, so it is never translated or
re-escaped; days and weekdays are written by Babel in the reply's language; clock times stay
"10:00" in every language, as the rest of the bot writes them.
"""

from __future__ import annotations

from datetime import date, time

from babel.dates import format_date, format_skeleton, get_day_names, get_month_names

from core.contract.messages import Span, user
from core.parsing import Ambiguity, MonthDay, ParseError, ParseProblem
from core.words import i18n

Parts = tuple[str | Span, ...]

# A year for a day and month given without one: a leap year, so 29 February is a date too.
_ANY_YEAR = 2024
# How a `day` value is written, by code: with its year where the year is the point, with its
# weekday as well where the parser read a relative phrase ("next weekend") as one day.
_DAY_WITH_YEAR = frozenset({"in_the_past", "next_year", "wrong_weekday", "once_a_year"})
_DAY_IN_FULL = frozenset({"read_day", "read_week", "fallback_read_day", "fallback_read_time"})


def _weekday(language: str, weekday: int) -> str:
    """Monday 0 ... Sunday 6, as Babel names it in `language` ('Samstag', 'samedi')."""
    return str(get_day_names("wide", locale=i18n.babel_locale(language))[weekday])


def _month_day(language: str, written: MonthDay) -> str:
    """'4 March' in `language` ('4. März'); a day the month lacks ('31 February') as written."""
    locale = i18n.babel_locale(language)
    try:
        when = date(_ANY_YEAR, written.month, written.day)
    except ValueError:
        names = get_month_names("wide", locale=locale)
        return f"{written.day} {names.get(written.month, written.month)}"
    return format_skeleton("dMMMM", when, locale=locale)


def _day(language: str, code: str, day: date) -> str:
    locale = i18n.babel_locale(language)
    if code in _DAY_IN_FULL:
        return format_date(day, "full", locale=locale)
    if code in _DAY_WITH_YEAR:
        return format_date(day, "long", locale=locale)
    return format_skeleton("dMMMM", day, locale=locale)


def _values(language: str, problem: ParseProblem) -> dict[str, str | Span]:
    """Each value written for a reader; a `day` also gives its `weekday`."""
    said: dict[str, str | Span] = {}
    for name, value in problem.values.items():
        if name == "phrase":
            said[name] = user(str(value))
        elif name == "written" and isinstance(value, int):
            said[name] = _weekday(language, value)
        elif isinstance(value, MonthDay):
            said[name] = _month_day(language, value)
        elif isinstance(value, date):
            said[name] = _day(language, problem.code, value)
            if name == "day":
                said["weekday"] = _weekday(language, value.weekday())
        elif isinstance(value, time):
            said[name] = f"{value:%H:%M}"
        else:
            said[name] = str(value)
    return said


def _joined(parts: Parts) -> Parts:
    """Plain neighbours as one text, as a reader sees them."""
    merged: list[str | Span] = []
    for part in parts:
        if merged and isinstance(part, str) and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return tuple(merged)


def say(language: str, problem: ParseProblem) -> Parts:
    """The sentence for `problem` in `language`, with what the person wrote in user spans."""
    return _joined(tuple(i18n.spans(language, f"parse.{problem.code}", **_values(language, problem))))


def reason(language: str, error: ParseError) -> Parts:
    """Why the parser could not read an announcement (no example), in `language`."""
    return say(language, error.problem)


def message(language: str, error: ParseError) -> Parts:
    """The reason with an example announcement after it, as /gather shows it."""
    example = i18n.text(language, "gather.example")
    return _joined((*reason(language, error), i18n.text(language, "parse.try", example=example)))


def note(language: str, doubt: Ambiguity) -> Parts:
    """A doubt the parser reports about what it read, in `language`."""
    return say(language, doubt.note)
