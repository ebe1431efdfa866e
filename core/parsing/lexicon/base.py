"""The `Lexicon` record and the helpers that turn word lists into regex alternations."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Lexicon:
    code: str
    months: dict[str, int]
    weekdays: dict[str, int]  # full names (and plurals) -> 0=Monday
    weekday_abbr: dict[str, int]  # short forms, only trusted next to a date or time
    today: tuple[str, ...]
    tonight: tuple[str, ...]
    tomorrow: tuple[str, ...]
    after_tomorrow: tuple[str, ...]
    this: tuple[str, ...]  # "this Saturday"
    next_before: tuple[str, ...]  # "next Saturday"
    next_after: tuple[str, ...]  # "samedi prochain"
    past: tuple[str, ...]  # "last Saturday" (ignored mention)
    every: tuple[str, ...]  # "every Saturday" (recurrence, ignored)
    weekend: tuple[str, ...]
    ordinals: dict[str, int]  # first..fourth, last=-1
    of_words: tuple[str, ...]  # "of" in "first Saturday of May"
    time_cues: tuple[str, ...]  # words right before a clock time
    range_from: tuple[str, ...]  # "from" / "between"
    range_seps: tuple[str, ...]  # "to" / "and"
    end_cues: tuple[str, ...]  # "until", "we return at"
    evening: tuple[str, ...]  # makes a bare 1-11 o'clock pm
    morning: tuple[str, ...]
    noon: tuple[str, ...]
    midnight: tuple[str, ...]
    clock_units: tuple[str, ...]  # "10 Uhr", "13 uur", "11.30 horas"
    hour_units: tuple[str, ...]  # duration units (always durations)
    minute_units: tuple[str, ...]
    duration_cues: tuple[str, ...]
    numbers: dict[str, int]
    people: tuple[str, ...]  # nouns for people (regex fragments, stems allowed)
    need_cues: tuple[str, ...]  # words that turn a number of people into a target or a cap
    count_blockers: tuple[str, ...]  # "last year", "attended"
    place_labels: tuple[str, ...]  # "Location:", "Treffpunkt", ...
    place_meet: tuple[str, ...]  # "meet at", "treffen uns"
    place_directional: tuple[str, ...]  # "outside", "gegenüber" (kept in the place)
    place_preps: tuple[str, ...]  # "at", "in" (dropped from the place)
    stopwords: frozenset[str]  # function words: never a title on their own
    # opening words that are not the title: "join us for", "Reminder:", "Convocatoria:"
    title_fillers: tuple[str, ...] = field(default=())
    # content words that only help tell the language apart ("playa", "sábado")
    hints: frozenset[str] = field(default=frozenset())
    # a short opening segment that starts with one of these is a greeting, not the title
    greetings: tuple[str, ...] = field(default=())
    # weekday abbreviations that are everyday words too ("so", "ter"): only before a digit
    weak_abbr: frozenset[str] = field(default=frozenset())
    # parts of the day -> assumed start hour ("morning": 9, "la tarde": 17)
    dayparts: dict[str, int] = field(default_factory=dict)
    # words between a date and its part of the day ("in the", "por", "de", "'s")
    daypart_links: tuple[str, ...] = field(default=())
    # roles ("15 pickers, 2 drivers and a first-aider"): nouns for what people do (regex
    # fragments, singular and plural), the words that join a list, and the ones that count 1
    role_nouns: tuple[str, ...] = field(default=())
    role_links: tuple[str, ...] = field(default=())
    one_words: tuple[str, ...] = field(default=())
    # a role with no number, for as many as come: "and lots of helpers", "und viele Helfer"
    # (never "more"/"weitere": "and more volunteers welcome" is not a role of its own); and
    # the nouns for anyone at all, which make such a role redundant ("20 people and …")
    open_counts: tuple[str, ...] = field(default=())
    anyone_nouns: tuple[str, ...] = field(default=())
    # parts of the day trusted only glued to or right after a weekday ("Samstagmorgen",
    # "lørdag morgen"), because alone they also mean "tomorrow"
    daypart_after_weekday: dict[str, int] = field(default_factory=dict)
    compound_dayparts: bool = False  # "Samstagvormittag", "zaterdagochtend"
    # someone's home: "bei Anna", "chez moi", "en casa de Ana", "hos Mette"
    home_preps: tuple[str, ...] = field(default=())  # before an owner's name
    home_phrases: tuple[str, ...] = field(default=())  # complete: "chez moi", "at my place"
    home_suffixes: tuple[str, ...] = field(default=())  # after the owner: "zu Hause", "thuis"
    home_not_names: frozenset[str] = field(default=frozenset())  # "bei Regen", "da Piazza"
    home_not_after: frozenset[str] = field(default=frozenset())  # "partenza da Milano"
    # Repeating gatherings (core/parsing/recurrence.py). More words for "every" than `every`
    # ("toutes les", "todas las"); words that make it every second one ("every other");
    # units of time ("week" -> "week"); adverbs ("daily" -> "day", "werktags" -> "workday");
    # names of working days; what ties a day to each month ("of the month", "du mois").
    recur_every: tuple[str, ...] = field(default=())
    recur_other: tuple[str, ...] = field(default=())
    recur_units: dict[str, str] = field(default_factory=dict)
    recur_adverbs: dict[str, str] = field(default_factory=dict)
    recur_workdays: tuple[str, ...] = field(default=())
    recur_month: tuple[str, ...] = field(default=())
    # "un mardi sur deux": after a weekday, every second one
    recur_alternate_after: tuple[str, ...] = field(default=())


# time cues that also join other things ("and", "de", "van"): not enough alone to make a
# number a clock time, or a short word before it a weekday
WEAK_TIME_CUES = frozenset({
    "and", "en", "e", "y", "og", "und", "et", "to", "tot", "til", "till", "until", "bis", "e le",
    "a", "de", "des", "da", "das", "van", "von", "fra", "from", "between", "entre", "tussen",
    "zwischen", "las", "h", "as", "jusqu'à", "jusqu’à", "hasta las", "fino alle", "até",
    "até às", "até as"})


def numbers(words: Iterable[tuple[str, int]]) -> dict[str, int]:
    return dict(words)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first (so 'next week' beats 'next')."""
    uniq = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w) for w in uniq)


def fragment_alternation(fragments: Iterable[str]) -> str:
    """Alternation of regex fragments (already regex syntax), longest first."""
    return "|".join(sorted(set(fragments), key=len, reverse=True))
