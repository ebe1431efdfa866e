"""Date mention records and the scanning context shared by the date readers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..lexicon import Lexicon
from ..result import ParseProblem
from .patterns import Patterns

Span = tuple[int, int]


EXPLICIT, RELATIVE, WEEKDAY, RECURRING = 3, 2, 1, 0


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    rank: int
    day: date | None
    end_day: date | None = None
    error: ParseProblem | None = None  # why this written date is no usable day
    weekday: int | None = None  # a weekday written next to an explicit date
    weekday_only: bool = False  # a bare weekday: may move a week if the time is past
    rolled_year: bool = False  # no year written and this year's date was already past
    notes: tuple[ParseProblem, ...] = field(default=())


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
    order_error: ParseProblem | None = None

    def free(self, start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e in self.claimed)

    def add(self, m: DateMention) -> None:
        self.claimed.append((m.start, m.end))
        self.out.append(m)
