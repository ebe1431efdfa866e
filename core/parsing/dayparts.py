"""A part of the day written with the date ("Saturday morning", "demain soir",
"Samstagvormittag", "sábado por la tarde"): an assumed start when no clock time is written.

The assumed hours are per language (`Lexicon.dayparts`), e.g. morning 09:00, afternoon 14:00,
evening 19:00; the parser reports the assumption as a `time` ambiguity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import LEXICONS, alternation

WINDOW_HOURS = 4  # how long a part of the day lasts after its assumed start


@dataclass(frozen=True, slots=True)
class DayPart:
    start: int
    end: int
    hour: int
    phrase: str  # the date and its part of the day as written ("Saturday morning")


@dataclass(frozen=True)
class _Patterns:
    inside: re.Pattern[str]
    after: re.Pattern[str]
    hours: dict[str, int]


@lru_cache(maxsize=16)
def _patterns(code: str) -> _Patterns | None:
    lx = LEXICONS[code]
    if not lx.dayparts:
        return None
    hours = {**lx.daypart_after_weekday, **lx.dayparts}
    inside = re.compile(rf"(?<![\w'])({alternation(lx.dayparts)})(?![\w'-])")
    link = ""
    if lx.daypart_links:
        link = rf"(?:(?:{alternation(lx.daypart_links)})(?:\s{{1,3}}|(?<=')))?"
    # "el sábado tarde de juegos", "Saturday night of music": a name, not the time
    named = r"(?!\s{1,2}(?:de|del|di|du|des|of|van|af)\s{1,2}[^\W\d_])"
    after = re.compile(rf"[\s,]{{0,3}}({link}({alternation(hours)}))(?![\w'-]){named}")
    return _Patterns(inside, after, hours)


def find(text: str, lower: str, code: str, start: int, end: int) -> DayPart | None:
    """The part of the day in the date mention `start:end` ("tonight", "i morgen aften") or
    written right after it ("Saturday morning", "Samstagvormittag", "domingo à tarde")."""
    pat = _patterns(code)
    if pat is None:
        return None
    m = pat.after.match(lower, end)
    if m is not None:
        return DayPart(m.start(1), m.end(), pat.hours[m.group(2)], _phrase(text, start, m.end()))
    found = list(pat.inside.finditer(lower, start, end))
    if not found:
        return None
    last = found[-1]  # "i morgen aften": the part of the day comes last
    return DayPart(last.start(1), last.end(1), pat.hours[last.group(1)],
                   _phrase(text, start, end))


def _phrase(text: str, start: int, end: int) -> str:
    return " ".join(text[start:end].split())
