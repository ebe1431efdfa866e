"""Gathering parser: one chat message -> what, when, where, how many.

    from core.parsing import parse_gathering, ParseError
    p = parse_gathering(text, now=now, tz="Europe/London", languages=["en"])
"""

from .parser import parse_gathering
from .recurrence_rule import Recurrence
from .result import (
    NOTE_CODES,
    PROBLEM_CODES,
    Ambiguity,
    MonthDay,
    ParsedGathering,
    ParseError,
    ParseProblem,
    Reading,
)
from .roles import ParsedRole, same_role, slug

__all__ = [
    "NOTE_CODES",
    "PROBLEM_CODES",
    "Ambiguity",
    "MonthDay",
    "ParseError",
    "ParseProblem",
    "ParsedGathering",
    "ParsedRole",
    "Reading",
    "Recurrence",
    "parse_gathering",
    "same_role",
    "slug",
]
