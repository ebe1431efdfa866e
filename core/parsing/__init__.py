"""Gathering parser: one chat message -> what, when, where, how many.

    from core.parsing import parse_gathering, ParseError
    p = parse_gathering(text, now=now, tz="Europe/London", languages=["en"])
"""

from .parser import parse_gathering
from .result import Ambiguity, ParsedGathering, ParseError

__all__ = ["Ambiguity", "ParseError", "ParsedGathering", "parse_gathering"]
