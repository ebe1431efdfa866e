"""Result types of the gathering parser.

The parser speaks in codes, not sentences: a problem or a note is a `ParseProblem`, a code
from `PROBLEM_CODES` or `NOTE_CODES` plus the values it needs (what the person wrote, the day
it read, ...). Wording it for a person, in the reader's language, is the core's job
(`core.words.parse_problems`), so the parser holds no English a reader would see.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .roles import ParsedRole

from .recurrence_rule import Recurrence

AmbiguityField = Literal["date", "time", "place", "needed", "dst", "title"]
# Why another reading of the same words is plausible (`Reading.why`).
ReadingReason = Literal["day_month", "twelve_hours", "other_week", "weekday", "year"]


@dataclass(frozen=True, slots=True)
class MonthDay:
    """A day and a month written without a year; it need not exist (31 February)."""

    day: int
    month: int


ProblemValue = str | int | date | time | MonthDay

# Why no gathering could be read (`ParseError.problem.code`), and the values each one carries.
PROBLEM_CODES: Mapping[str, frozenset[str]] = MappingProxyType({
    "not_text": frozenset(),
    "too_long": frozenset({"length", "limit"}),  # int, int
    "empty": frozenset(),
    "no_date": frozenset(),
    "no_such_time": frozenset({"phrase"}),  # str: the time as written ("25:00")
    "time_passed": frozenset({"time", "day"}),  # time, date
    "phrase_passed": frozenset({"phrase"}),  # str: "this morning"
    "no_such_day": frozenset({"day"}),  # MonthDay
    "no_such_month": frozenset({"phrase"}),  # str: "31.13."
    "in_the_past": frozenset({"day"}),  # date
    "day_or_month": frozenset({"phrase", "first", "second"}),  # str, MonthDay, MonthDay
})
# What the parser had to guess (`Ambiguity.code`), and the values each one carries.
NOTE_CODES: Mapping[str, frozenset[str]] = MappingProxyType({
    "no_time": frozenset(),
    "no_place": frozenset(),
    "no_title": frozenset(),
    "range": frozenset({"low", "high"}),  # int, int
    "assumed_time": frozenset({"time", "phrase"}),  # time, str
    "several_dates": frozenset({"day"}),  # date
    "next_year": frozenset({"day"}),  # date
    "wrong_weekday": frozenset({"day", "written"}),  # date, int (the weekday written, Monday 0)
    "next_week": frozenset({"day"}),  # date
    "once_a_year": frozenset({"day"}),  # date: "every 24th December", read as that day only
    "read_day": frozenset({"phrase", "day"}),  # str ("next weekend"), date
    "read_week": frozenset({"phrase", "day"}),  # str ("next saturday"), date
    "clock_gap": frozenset({"time", "day", "moved_to"}),  # time, date, time
    "clock_repeat": frozenset({"time", "day"}),  # time, date
    # Read by the fallback reader (dateparser), which is wrong more often: say what it read.
    "fallback_read_day": frozenset({"phrase", "day"}),  # str, date
    "fallback_read_time": frozenset({"phrase", "day", "time"}),  # str, date, time
    "today": frozenset({"day"}),  # date: a clock time with no day was read as today
    "relative": frozenset({"phrase", "time"}),  # str ("in 30 minutes"), time: from the message
    "zone": frozenset({"phrase", "time", "day"}),  # str ("3pm EST"), time, date: converted
    "evening": frozenset({"phrase", "time"}),  # str (the activity), time: a bare hour as pm
})


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """A code and its values. Values named `phrase` are what the person wrote (user text)."""

    code: str
    values: Mapping[str, ProblemValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        expected = PROBLEM_CODES.get(self.code, NOTE_CODES.get(self.code))
        if expected is None:
            raise ValueError(f"unknown parse problem code {self.code!r}")
        if set(self.values) != expected:
            raise ValueError(f"{self.code} takes {sorted(expected)}, got {sorted(self.values)}")

    def __hash__(self) -> int:  # the values are a mapping: hash them as sorted pairs
        return hash((self.code, tuple(sorted(self.values.items(), key=lambda item: item[0]))))


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """Something the parser had to guess, about `field`: a note for the organiser."""

    field: AmbiguityField
    note: ParseProblem

    @property
    def code(self) -> str:
        return self.note.code


@dataclass(frozen=True, slots=True)
class Reading:
    """Another plausible reading of the day and time the parser chose: what the organiser
    may have meant instead ("03/04" day-first or month-first, "o 7" morning or evening, this
    Saturday or the next). `starts_at` is aware, in the community's zone; a day without a
    time (`has_time` False) is that day's midnight."""

    starts_at: datetime
    has_time: bool
    why: ReadingReason


@dataclass(frozen=True, slots=True)
class ParsedGathering:
    """What, when, where and how many, read from one announcement."""

    title: str
    starts_at: datetime
    has_time: bool
    ends_at: datetime | None
    place: str | None
    needed: int | None  # the target: how many people the organiser asks for
    language: str
    ambiguities: tuple[Ambiguity, ...] = field(default=())
    capacity: int | None = None  # the most people there is room for
    # two or more people nouns with their own numbers ("15 pickers, 2 drivers and a medic")
    roles: tuple[ParsedRole, ...] = ()
    # Other plausible readings of the same words, best first (only the fallback reader,
    # which is wrong more often, offers them today): each a one-tap correction.
    alternatives: tuple[Reading, ...] = ()
    # How it repeats ("every Saturday"), anchored on the first day (`starts_at`'s); None: once.
    recurrence: Recurrence | None = None


class ParseError(ValueError):
    """No usable start could be read; `problem` says why, as a code and its values."""

    def __init__(self, code: str, **values: ProblemValue) -> None:
        self.problem = ParseProblem(code, values)
        super().__init__(code, values)

    @property
    def code(self) -> str:
        return self.problem.code
