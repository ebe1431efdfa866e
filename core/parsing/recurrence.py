"""Reads how an announcement repeats: "every first Saturday of the month", "jeden Samstag",
"un mardi sur deux", "cada 2 semanas", "every month on the 15th", "hver hverdag".

Pure, like the rest of the parser; the words are each language's lexicon (`recur_*`, `every`,
`ordinals`, `weekdays`, `numbers`). The forms, tried in this order (the first that reads wins):

1. an ordinal weekday tied to the month ("first Saturday of the month", "every last Friday");
   "every second Tuesday" with no month is every other one where the ordinal is one of the
   language's `recur_other` words ("jeden zweiten Dienstag", "hver anden tirsdag");
2. a day of the month ("the 15th of every month", "every month on the 15th", "jeden 15.");
3. working days ("every weekday", "werktags");
4. a unit with an interval ("every 2 weeks", "tous les jours", "alle zwei Wochen");
5. weekdays ("every Saturday", "every other Tuesday", "elke dinsdag en donderdag");
6. a weekday then "every second one" ("un mardi sur deux");
7. an adverb ("daily", "monatlich").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .lexicon import LEXICONS, alternation
from .recurrence_rule import Recurrence

_ARTICLE = r"(?:the|le|la|les|el|il|lo|o|a|den|de|die|am|al|het|on\s+the|on)"
_SUFFIX = r"(?:st|nd|rd|th|er|ème|e|º|ª|\.)"
# A number followed by these is a clock time or a length, not a day of the month.
_NOT_A_DAY = r"(?!\d|[:.,]\d|\s?(?:h\b|uhr|uur|horas|hrs?\b|am\b|pm\b|a\.m|p\.m|:))"
_JOIN = r"\s*(?:,|and|&|und|et|y|e|en|og|sowie)\s*"
_NEVER = r"(?!x)x"
_WORKDAYS = (0, 1, 2, 3, 4)


@dataclass(frozen=True, slots=True)
class Found:
    rule: Recurrence
    start: int
    end: int


@dataclass(frozen=True)
class _Patterns:
    nth: re.Pattern[str]
    month_day_after: re.Pattern[str]
    month_day_every: re.Pattern[str]
    workdays: re.Pattern[str]
    units: re.Pattern[str]
    weekly: re.Pattern[str]
    alternate: re.Pattern[str]
    adverbs: re.Pattern[str]
    weekday: re.Pattern[str]
    yearly: re.Pattern[str]


@cache
def _patterns(code: str) -> _Patterns:
    lx = LEXICONS[code]
    every = alternation((*lx.every, *lx.recur_every))
    weekdays = alternation(lx.weekdays)
    month = alternation(lx.recur_month) or _NEVER
    other = alternation(lx.recur_other) or _NEVER
    counts = alternation(word for word, n in lx.numbers.items() if 2 <= n <= 12)
    count = rf"(?:({other})|(\d{{1,2}})\.?|({counts}))"
    units = alternation(lx.recur_units)
    ords = alternation(lx.ordinals)
    month_units = alternation(w for w, u in lx.recur_units.items() if u == "month")
    # "every 24th December" is once a year, never "every 24th" of each month
    names = alternation(name for name in lx.months if len(name) > 2)
    a_month = rf"(?!\s*(?:of|de|di|del)?\s*(?:{names})(?![\w]))"
    return _Patterns(
        nth=re.compile(
            rf"(?<![\w])(?:({every})\s+)?(?:{_ARTICLE}\s+)?((?:(?:{ords}){_JOIN})*)({ords})\s+"
            rf"({weekdays})(?![\w])(?:\s*,?\s*({month})(?![\w]))?"),
        month_day_after=re.compile(
            rf"(?<![\w.])(?:{_ARTICLE}\s+|dia\s+)?(\d{{1,2}}){_SUFFIX}?\s+({month})(?![\w])"),
        month_day_every=re.compile(
            rf"(?<![\w])(?:({every})\s+(?:{month_units})\s+(?:{_ARTICLE}\s+)?(\d{{1,2}})"
            rf"{_SUFFIX}?|({every})\s+(?:(?:dia|day)\s+(\d{{1,2}}){_SUFFIX}?|(?:the\s+|den\s+)?"
            rf"(\d{{1,2}}){_SUFFIX}))(?![\w]){_NOT_A_DAY}(?!{_JOIN}\d){a_month}"),
        workdays=re.compile(
            rf"(?<![\w])({every})\s+({alternation(lx.recur_workdays) or _NEVER})(?![\w])"),
        units=re.compile(rf"(?<![\w])({every})\s+(?:{count}\s+)?({units})(?![\w])"),
        weekly=re.compile(
            rf"(?<![\w])({every})\s+(?:{count}\s+)?({weekdays})(?![\w])"
            rf"((?:{_JOIN}(?:{weekdays})(?![\w]))*)"),
        alternate=re.compile(
            rf"(?<![\w])({weekdays})\s+(?:{alternation(lx.recur_alternate_after) or _NEVER})"
            r"(?![\w])"),
        adverbs=re.compile(rf"(?<![\w])({alternation(lx.recur_adverbs) or _NEVER})(?![\w])"),
        weekday=re.compile(rf"(?<![\w])({weekdays})(?![\w])"),
        yearly=re.compile(
            rf"(?<![\w])({every})\s+(?:the\s+)?\d{{1,2}}{_SUFFIX}?\s*(?:of|de|di|del)?\s*"
            rf"(?:{names})(?![\w])"),
    )


def find(lower: str, language: str) -> Found | None:
    """How the (lower-cased, cleaned) text repeats, and where it says so; None: it does not."""
    pat = _patterns(language)
    for reader in (_nth, _month_day, _workdays, _units, _weekly, _alternate, _adverb):
        found = reader(lower, pat, language)
        if found is not None:
            phrase = lower[found.start:found.end].strip()
            rule = found.rule
            return Found(Recurrence(rule.unit, rule.interval, rule.weekdays, rule.nths,
                                    rule.month_day, phrase), found.start, found.end)
    return None


def once_a_year(lower: str, language: str) -> tuple[int, int] | None:
    """Where the text repeats on a day of a named month ("every 24th December", "jeden 24.
    Dezember"), if it does: a yearly rule, which a series cannot be (yet)."""
    m = _patterns(language).yearly.search(lower)
    return m.span() if m else None


def _interval(match: re.Match[str], first: int, language: str) -> int:
    """'other' -> 2, '2' or 'two' -> 2, nothing -> 1 (groups first..first+2 of `count`)."""
    other, digits, word = match.group(first), match.group(first + 1), match.group(first + 2)
    if other:
        return 2
    if digits:
        return max(1, int(digits))
    if word:
        return LEXICONS[language].numbers[word]
    return 1


def _nth(lower: str, pat: _Patterns, language: str) -> Found | None:
    lx = LEXICONS[language]
    for m in pat.nth.finditer(lower):
        every, more, ordinal, weekday, month = m.groups()
        wd = lx.weekdays[weekday]
        # "2nd and 4th Thursday": every ordinal before the last one, joined to it
        earlier = re.findall(rf"(?:{alternation(lx.ordinals)})(?=$|{_JOIN})", more or "")
        nths = tuple(dict.fromkeys(lx.ordinals[o] for o in (*earlier, ordinal)))
        if month or (every and (more or ordinal not in lx.recur_other)):
            return Found(Recurrence("month", 1, (wd,), nths), m.start(), m.end())
        if every:  # "every second Tuesday", no month: every other one
            return Found(Recurrence("week", 2, (wd,)), m.start(), m.end())
    return None


def _month_day(lower: str, pat: _Patterns, language: str) -> Found | None:
    for m in pat.month_day_after.finditer(lower):
        if 1 <= int(m.group(1)) <= 31:
            return Found(Recurrence("month", month_day=int(m.group(1))), m.start(), m.end())
    for m in pat.month_day_every.finditer(lower):
        day = int(m.group(2) or m.group(4) or m.group(5))
        if 1 <= day <= 31:
            return Found(Recurrence("month", month_day=day), m.start(), m.end())
    return None


def _workdays(lower: str, pat: _Patterns, language: str) -> Found | None:
    m = pat.workdays.search(lower)
    return Found(Recurrence("week", 1, _WORKDAYS), m.start(), m.end()) if m else None


def _units(lower: str, pat: _Patterns, language: str) -> Found | None:
    m = pat.units.search(lower)
    if m is None:
        return None
    return Found(_unit_rule(LEXICONS[language].recur_units[m.group(5)],
                            _interval(m, 2, language)), m.start(), m.end())


def _unit_rule(unit: str, interval: int) -> Recurrence:
    if unit == "fortnight":
        return Recurrence("week", 2 * interval)
    if unit == "workday":
        return Recurrence("week", 1, _WORKDAYS)
    return Recurrence(unit, interval)  # type: ignore[arg-type]


def _weekly(lower: str, pat: _Patterns, language: str) -> Found | None:
    lx = LEXICONS[language]
    m = pat.weekly.search(lower)
    if m is None:
        return None
    days = [lx.weekdays[m.group(5)]]
    days += [lx.weekdays[w.group(1)] for w in pat.weekday.finditer(m.group(6) or "")]
    return Found(Recurrence("week", _interval(m, 2, language), tuple(sorted(set(days)))),
                 m.start(), m.end())


def _alternate(lower: str, pat: _Patterns, language: str) -> Found | None:
    m = pat.alternate.search(lower)
    if m is None:
        return None
    wd = LEXICONS[language].weekdays[m.group(1)]
    # "un mardi sur deux": the article belongs to the phrase
    start = m.start() - 3 if lower[max(0, m.start() - 3):m.start()] == "un " else m.start()
    return Found(Recurrence("week", 2, (wd,)), start, m.end())


def _adverb(lower: str, pat: _Patterns, language: str) -> Found | None:
    m = pat.adverbs.search(lower)
    if m is None:
        return None
    return Found(_unit_rule(LEXICONS[language].recur_adverbs[m.group(1)], 1),
                 m.start(), m.end())
