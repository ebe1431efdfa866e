"""The notes (ambiguities) a parse reports beside its result, and quoting their phrases in
the person's own capitals. Split from parser.py."""

from __future__ import annotations

from datetime import date

from . import dates as dates_mod
from . import headcount as headcount_mod
from .result import AmbiguityField, ParseProblem

Notes = list[tuple[AmbiguityField, ParseProblem]]


def as_written(problem: ParseProblem, text: str, lower: str) -> ParseProblem:
    """The date readers quote the lower-cased text: quote the person's own capitals instead
    ("nächsten Sonntag"). `text` and `lower` have the same length."""
    phrase = problem.values.get("phrase")
    at = lower.find(phrase) if isinstance(phrase, str) else -1
    if not isinstance(phrase, str) or at < 0:
        return problem
    return ParseProblem(problem.code, {**problem.values, "phrase": text[at:at + len(phrase)]})


def notes_for(chosen: dates_mod.DateMention, mentions: list[dates_mod.DateMention], day: date,
               has_time: bool, place: str | None, hc: headcount_mod.Headcount | None,
               fallback: bool, notes: Notes) -> None:
    for note in chosen.notes:
        notes.append(("date", note))
    if chosen.weekday is not None and chosen.day is not None \
            and chosen.weekday != chosen.day.weekday():
        notes.append(("date", ParseProblem("wrong_weekday", {"day": chosen.day,
                                                             "written": chosen.weekday})))
    if chosen.rolled_year and chosen.day is not None:
        notes.append(("date", ParseProblem("next_year", {"day": chosen.day})))
    others = {m.day for m in mentions if m.rank == dates_mod.EXPLICIT and m.day
              and m.day != day and m is not chosen}
    if others:
        notes.append(("date", ParseProblem("several_dates", {"day": day})))
    if not has_time:
        notes.append(("time", ParseProblem("no_time")))
    if place is None:
        notes.append(("place", ParseProblem("no_place")))
    if hc is not None and hc.ranged and hc.target is not None and hc.capacity is not None:
        notes.append(("needed", ParseProblem("range", {"low": hc.target, "high": hc.capacity})))
    if fallback:
        notes.append(("title", ParseProblem("no_title")))
