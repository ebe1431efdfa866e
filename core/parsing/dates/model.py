"""Date mention records and the scanning context shared by the date readers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..lexicon import Lexicon
from .patterns import Patterns

Span = tuple[int, int]


EXPLICIT, RELATIVE, WEEKDAY, RECURRING = 3, 2, 1, 0


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    rank: int
    day: date | None
    end_day: date | None = None
    error: str | None = None
    weekday: int | None = None  # a weekday written next to an explicit date
    weekday_only: bool = False  # a bare weekday: may move a week if the time is past
    rolled_year: bool = False  # no year written and this year's date was already past
    notes: tuple[str, ...] = field(default=())


def fmt(d: date) -> str:
    return f"{WEEKDAY_NAMES[d.weekday()]} {d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


@dataclass
class Ctx:
    lower: str
    lx: Lexicon
    pat: Patterns
    today: date
    order: str | None
    next_weekday: str
    claimed: list[Span] = field(default_factory=list)
    out: list[DateMention] = field(default_factory=list)
    order_error: str | None = None

    def free(self, start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e in self.claimed)

    def add(self, m: DateMention) -> None:
        self.claimed.append((m.start, m.end))
        self.out.append(m)
