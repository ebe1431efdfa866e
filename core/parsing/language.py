"""Cheap language choice among the supported eight (keyword scoring, no models)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .lexicon import LEXICONS, SUPPORTED

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@lru_cache(maxsize=1)
def _weights() -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    for code, lx in LEXICONS.items():
        w: dict[str, float] = {}
        for s in (*lx.stopwords, *lx.hints):
            w[s] = 1.0
        for name in (*lx.weekdays, *(m for m in lx.months if len(m) > 3)):
            w[name] = 3.0
        for phrase in (*lx.today, *lx.tomorrow, *lx.tonight, *lx.after_tomorrow):
            if " " not in phrase and len(phrase) > 3:
                w.setdefault(phrase, 2.0)
        table[code] = w
    return table


def normalise_languages(languages: Sequence[str] | None) -> tuple[str, ...]:
    if not languages:
        return SUPPORTED
    out: list[str] = []
    for code in languages:
        base = str(code).lower().replace("_", "-").split("-")[0]
        if base in LEXICONS and base not in out:
            out.append(base)
    return tuple(out) or SUPPORTED


def other_languages(languages: Sequence[str] | None) -> tuple[str, ...]:
    """The languages in `languages` that the hand-written readers do not know ("pl", "sv-FI"),
    for the fallback reader; a regional form of a known language ("pt-BR") is not one."""
    out: list[str] = []
    for code in languages or ():
        tag = str(code).replace("_", "-")
        if tag.lower().split("-")[0] not in LEXICONS and tag not in out:
            out.append(tag)
    return tuple(out)


def detect(lower: str, candidates: Sequence[str]) -> str:
    if len(candidates) == 1:
        return candidates[0]
    weights = _weights()
    scores = dict.fromkeys(candidates, 0.0)
    for word in _WORD.findall(lower[:2000]):
        for code in candidates:
            scores[code] += weights[code].get(word, 0.0)
    best = candidates[0]
    for code in candidates:
        if scores[code] > scores[best]:
            best = code
    return best
