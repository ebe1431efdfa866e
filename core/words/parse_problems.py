"""The parser's complaints and notes, in the language of the reply.

The parser (core/parsing) explains itself in fixed English sentences: `ParseError.reason`
("I couldn't find a date in that: say which day it is.") and `Ambiguity.message` ("No time
given: add one, e.g. Saturday 10am."). Its contract stays English; this module recognises
those sentences and says them again from the catalogue (`parse.*` keys), with what the person
wrote (a phrase they used, a time like "25:00") in `user(...)` spans and the parser's English
dates written in the reply's language. A sentence it does not recognise stays English, and
English replies are the parser's text exactly as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from babel.dates import format_date, format_skeleton, get_month_names

from core.contract.messages import Span, user
from core.parsing import Ambiguity, ParseError
from core.words import i18n

Parts = tuple[str | Span, ...]

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTH_NUMBER = {name: n for n, name in enumerate(_MONTHS.split("|"), 1)}
_WEEKDAY_NUMBER = {name: n for n, name in enumerate(_WEEKDAYS.split("|"))}
# A year for a day and month given without one: a leap year, so 29 February is a date too.
_ANY_YEAR = 2024


def _day(language: str, day: str, month: str, year: str | None = None) -> str:
    """'04 March' or '04 March 2027' written in `language` ('4. März', '4 de marzo de 2027')."""
    when = date(int(year or _ANY_YEAR), _MONTH_NUMBER[month], int(day))
    locale = i18n.babel_locale(language)
    if year:
        return format_date(when, "long", locale=locale)
    return format_skeleton("dMMMM", when, locale=locale)


def _no_such_day(language: str, day: str, month: str) -> str:
    """'31 February', which is no date: the day and the month's name in `language`."""
    names = get_month_names("wide", locale=i18n.babel_locale(language))
    return f"{int(day)} {names[_MONTH_NUMBER[month]]}"


def _weekday(language: str, name: str) -> str:
    # 2024-01-01 was a Monday.
    when = date(_ANY_YEAR, 1, 1 + _WEEKDAY_NUMBER[name])
    return format_date(when, "EEEE", locale=i18n.babel_locale(language))


Say = Callable[[str, re.Match[str]], Parts]


def _plain(key: str) -> Say:
    return lambda lang, m: (i18n.text(lang, key),)


def _split(template: str, **spans: str | Span) -> Parts:
    """A catalogue text whose placeholders are spans: 'Read {phrase} as…' -> parts."""
    parts: list[str | Span] = []
    for piece in re.split(r"(\{\w+\})", template):
        if piece.startswith("{") and piece.endswith("}") and piece[1:-1] in spans:
            parts.append(spans[piece[1:-1]])
        elif piece:
            parts.append(piece)
    return tuple(parts)


def _with(key: str, build: Callable[[str, re.Match[str]], dict[str, str | Span]]) -> Say:
    """The text of `key` with its placeholders from `build` (a user span or a plain text)."""

    def say(lang: str, m: re.Match[str]) -> Parts:
        values = build(lang, m)
        template = i18n.text(lang, key, **{name: "{" + name + "}" for name in values})
        return _split(template, **values)

    return say


# The parser's fixed sentences, as `ParseError.reason` has them.
_REASONS: Sequence[tuple[re.Pattern[str], Say]] = (
    (re.compile(r"I couldn't find a date in that: say which day it is\."), _plain("parse.no_date")),
    (re.compile(r"That announcement is empty\."), _plain("parse.empty")),
    (re.compile(r"I need the announcement as text\."), _plain("parse.not_text")),
    (
        re.compile(
            r"That announcement is too long \((\d+) characters; the limit is (\d+)\)\. "
            r"Keep it to one short message\."
        ),
        _with("parse.too_long", lambda lang, m: {"length": m[1], "limit": m[2]}),
    ),
    (
        re.compile(r"There is no such time as (.+): write it like 10:00 or 2pm\."),
        _with("parse.no_such_time", lambda lang, m: {"time": user(m[1])}),
    ),
    (
        re.compile(
            rf"(\d\d:\d\d) on (\d\d) ({_MONTHS}) has already passed\. "
            r"Give a time that is still ahead\."
        ),
        _with("parse.time_passed", lambda lang, m: {"time": m[1], "day": _day(lang, m[2], m[3])}),
    ),
    (
        re.compile(r"'(.+)' has already passed\. Give a time that is still ahead\."),
        _with("parse.phrase_passed", lambda lang, m: {"phrase": user(m[1])}),
    ),
    (
        re.compile(rf"There is no (\d+) ({_MONTHS})(?: (\d+))?\. Check the date\."),
        _with("parse.no_such_day", lambda lang, m: {"day": _no_such_day(lang, m[1], m[2])}),
    ),
    (
        re.compile(
            rf"(?:{_WEEKDAYS}) (\d+) ({_MONTHS}) (\d{{4}}) is in the past\. "
            r"Check the date\."
        ),
        _with("parse.in_the_past", lambda lang, m: {"day": _day(lang, m[1], m[2], m[3])}),
    ),
    (
        re.compile(
            rf"'(.+)' could be (\d+) ({_MONTHS}) or (\d+) ({_MONTHS}): "
            r"write the month as a word, e.g\. 4 March\."
        ),
        _with(
            "parse.day_or_month",
            lambda lang, m: {
                "phrase": user(m[1]),
                "first": _day(lang, m[2], m[3]),
                "second": _day(lang, m[4], m[5]),
                "example": _day(lang, "4", "March"),
            },
        ),
    ),
)

# The parser's notes (`Ambiguity.message`), shown after "Note: ".
_NOTES: Sequence[tuple[re.Pattern[str], Say]] = (
    (re.compile(r"No time given: add one, e\.g\. Saturday 10am\."), _plain("parse.no_time")),
    (
        re.compile(r"No meeting point found: add one, e\.g\. 'meet at the park gate'\."),
        _plain("parse.no_place"),
    ),
    (
        re.compile(r"No clear title found: start with what you'll do, e\.g\. 'Beach clean'\."),
        _plain("parse.no_title"),
    ),
    (
        re.compile(r"Read '(\d+) to (\d+)' as (\d+) people needed\."),
        _with("parse.range", lambda lang, m: {"low": m[1], "high": m[2]}),
    ),
    (
        re.compile(
            r"No clock time given: I assumed (\d\d:\d\d) for '(.+)'\. "
            r"Add a time if you meant another\."
        ),
        _with("parse.assumed_time", lambda lang, m: {"time": m[1], "phrase": user(m[2])}),
    ),
    (
        re.compile(rf"Several dates are mentioned; I used ({_WEEKDAYS}) (\d\d) ({_MONTHS})\."),
        _with(
            "parse.several_dates",
            lambda lang, m: {"weekday": _weekday(lang, m[1]), "day": _day(lang, m[2], m[3])},
        ),
    ),
    (
        re.compile(
            rf"That date has passed this year, so I read it as (\d\d) ({_MONTHS}) "
            r"(\d{4})\."
        ),
        _with("parse.next_year", lambda lang, m: {"day": _day(lang, m[1], m[2], m[3])}),
    ),
    (
        re.compile(
            rf"(\d\d) ({_MONTHS}) (\d{{4}}) is a ({_WEEKDAYS}), not a ({_WEEKDAYS}): "
            r"check the date\."
        ),
        _with(
            "parse.wrong_weekday",
            lambda lang, m: {
                "day": _day(lang, m[1], m[2], m[3]),
                "weekday": _weekday(lang, m[4]),
                "written": _weekday(lang, m[5]),
            },
        ),
    ),
    (
        re.compile(
            rf"That time has already passed today, so I read it as next ({_WEEKDAYS}), "
            rf"(\d\d) ({_MONTHS})\."
        ),
        _with(
            "parse.next_week",
            lambda lang, m: {"weekday": _weekday(lang, m[1]), "day": _day(lang, m[2], m[3])},
        ),
    ),
)


def _say(language: str, english: str, known: Sequence[tuple[re.Pattern[str], Say]]) -> Parts:
    if language != "en":
        for pattern, say in known:
            match = pattern.fullmatch(english)
            if match:
                try:
                    return say(language, match)
                except (ValueError, KeyError):  # a date the parser never writes: keep English
                    break
    return (english,)


def reason(language: str, error: ParseError) -> Parts:
    """Why the parser could not read an announcement (no example), in `language`."""
    return _say(language, error.reason, _REASONS)


def message(language: str, error: ParseError) -> Parts:
    """The reason with the example announcement after it, as /gather shows it."""
    if language == "en":
        return (error.message,)
    example = i18n.text(language, "gather.example")
    return (*reason(language, error), i18n.text(language, "parse.try", example=example))


def note(language: str, doubt: Ambiguity) -> Parts:
    """A doubt the parser reports about what it read, in `language`."""
    return _say(language, doubt.message, _NOTES)
