"""Quick chat: a start counted from the message's own time ("in 30 minutes", "in 2 Stunden",
"dans une heure", "tra due ore", "om to timer").

The parser is given the message's time; this reader only says how far ahead, so it stays pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import LEXICONS, alternation

Span = tuple[int, int]

# the word before the amount, per language ("in", "dans", "tra", "daqui a", "over", "om")
_LEADS = {
    "en": ("in", "within"), "de": ("in",), "fr": ("dans",), "es": ("dentro de", "en"),
    "it": ("tra", "fra"), "pt": ("daqui a", "dentro de", "em"), "nl": ("over",),
    "da": ("om", "inden for"),
}
_ONE = {
    "en": ("an", "a", "one"), "de": ("einer", "einem", "ein", "eine"), "fr": ("une", "un"),
    "es": ("una", "un"), "it": ("un", "un'", "una"), "pt": ("uma", "um"), "nl": ("een", "één"),
    "da": ("en", "et", "én"),
}
_HALF_HOUR = {
    "en": ("half an hour", "half hour"), "de": ("einer halben stunde", "einer halben std"),
    "fr": ("une demi-heure", "une demi heure"), "es": ("media hora",),
    "it": ("mezz'ora", "mezzora", "mezz’ora"), "pt": ("meia hora",),
    "nl": ("een half uur", "een halfuur", "een kwartier"), "da": ("en halv time", "et kvarter"),
}
_HOURS = {
    "en": ("hours", "hour", "hrs", "hr", "h"), "de": ("stunden", "stunde", "std", "std."),
    "fr": ("heures", "heure", "h"), "es": ("horas", "hora", "h"), "it": ("ore", "ora", "h"),
    "pt": ("horas", "hora", "h"), "nl": ("uur", "u"), "da": ("timer", "time", "t"),
}
_MINUTES = {
    "en": ("minutes", "minute", "mins", "min"), "de": ("minuten", "minute", "min", "min."),
    "fr": ("minutes", "minute", "min"), "es": ("minutos", "minuto", "min"),
    "it": ("minuti", "minuto", "min"), "pt": ("minutos", "minuto", "min"),
    "nl": ("minuten", "minuut", "min"), "da": ("minutter", "minut", "min"),
}
# what is only a quarter of an hour in a language's half-hour list
_QUARTERS = frozenset({"een kwartier", "et kvarter"})
MAX_MINUTES = 12 * 60  # "in 30 hours" is not quick chat


@dataclass(frozen=True, slots=True)
class Relative:
    start: int
    end: int
    minutes: int
    phrase: str


@lru_cache(maxsize=16)
def _pattern(code: str) -> re.Pattern[str]:
    lx = LEXICONS[code]
    amount = alternation((*lx.numbers, *_ONE[code]))
    units = alternation((*_HOURS[code], *_MINUTES[code]))
    return re.compile(
        rf"(?<![\w])(?:{alternation(_LEADS[code])})\s{{1,3}}"
        rf"(?:({alternation(_HALF_HOUR[code])})|(\d{{1,3}}|{amount})\s{{0,2}}({units}))(?![\w])"
    )


def find(lower: str, code: str) -> Relative | None:
    """The first 'in <amount> <unit>' of the message, as minutes from its time."""
    lx = LEXICONS[code]
    for m in _pattern(code).finditer(lower):
        if m.group(1):
            minutes = 15 if m.group(1) in _QUARTERS else 30
        else:
            amount = m.group(2)
            value = int(amount) if amount.isdigit() else (
                1 if amount in _ONE[code] else lx.numbers.get(amount))
            if not value:
                continue
            minutes = value * (60 if m.group(3) in _HOURS[code] else 1)
        if 1 <= minutes <= MAX_MINUTES:
            return Relative(m.start(), m.end(), minutes, m.group(0))
    return None
