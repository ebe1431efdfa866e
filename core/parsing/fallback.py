"""The fallback reader: dateparser, for a community whose languages the hand-written readers
do not know (Polish, Swedish, Finnish, Czech, Catalan, Turkish, Romanian, Greek, ...).

dateparser reads dates in about 200 locales but is wrong more often than the hand-written
readers, and costs about 0.2 s to import and as much again for its first search: it is imported
here, on the first use, so a community of the eight supported languages never pays for it.
Its search is restricted to the community's own locales. What it found is always returned with
a note quoting what was read, so the organiser can check it and correct it at once.

Pure like the rest of the parser: `now` is the only clock (dateparser's RELATIVE_BASE), and
nothing is read or written but the locale data dateparser ships in its package.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, time
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from .cleanup import clean
from .readings import alternatives, dateparser_settings
from .result import Ambiguity, ParsedGathering, ParseError, ParseProblem
from .title import make_title

# A phrase that says a clock time ("10:00", "o 10", "klo 10", "10h", "10.30").
_CLOCK = re.compile(
    r"\d{1,2}\s*[:.h]\s*\d{2}|\d{1,2}\s*(?:h|am|pm)\b|\b(?:klo|kl|saat|o|в|στις)\s*\d{1,2}\b",
    re.IGNORECASE,
)
_TRAILING_SHORT_WORD = re.compile(r"(?:\s+[^\W\d_]{1,2})+$")
_TIME_ONLY = re.compile(r"^[\W\d_]*\d{1,2}\s*[:.]\s*\d{2}[\W\d_]*$")


# An hour after its cue ("kl 10", "klo 10", "saat 10", "v 10", "la ora 10"). dateparser reads
# the weekday and such a number together as a date in month 10 ("lauantaina klo 10" -> 6
# October), so the day is searched for without it.
_CUED = r"\b(?:kl\.?|klo|klockan|saat|στις|о|o|v|w|a les|la ora)\s+([01]?\d|2[0-3])\b(?![:.]\d)"
_CUED_HOUR = re.compile(_CUED, re.IGNORECASE)
# A clock time as written in most languages: "10:00", "9.30", or a cued hour.
_WRITTEN_CLOCK = re.compile(
    r"(?<![\d.:])([01]?\d|2[0-3])[:.]([0-5]\d)(?![\d.:])|" + _CUED, re.IGNORECASE
)


def _written_clock(text: str) -> time | None:
    """The one clock time written in the text; None when there is none or more than one."""
    found = _WRITTEN_CLOCK.findall(text)
    if len(found) != 1:
        return None
    hour, minute, cued = found[0]
    return time(int(hour or cued), int(minute or 0))


@cache
def known_locale(code: str) -> bool:
    """Whether dateparser reads this language or locale ("pl", "sv", "ca", "pt-BR")."""
    from dateparser.languages.loader import LocaleDataLoader  # lazy: see the module's doc

    try:
        LocaleDataLoader().get_locale_map(locales=[code])
    except ValueError:
        try:
            LocaleDataLoader().get_locale_map(languages=[code])
        except ValueError:
            return False
    return True


def _languages(locales: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(code.split("-")[0] for code in locales))


def _search(text: str, locales: Sequence[str], base: datetime) -> list[tuple[str, datetime]]:
    from dateparser.search import search_dates  # lazy: see the module's doc

    found = search_dates(text, languages=_languages(locales), settings=dateparser_settings(base))
    return list(found or [])


def parse_with_fallback(
    text: str, *, now: datetime, tz: str, locales: Sequence[str]
) -> ParsedGathering:
    """What and when, read by dateparser in `locales`; no place or headcount (those readers
    know only the eight languages). Raises ParseError("no_date") when it finds no day."""
    cleaned = clean(text)
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone)
    base = local_now.replace(tzinfo=None, second=0, microsecond=0)
    searched = cleaned.text
    found = _search(searched, locales, base)
    if found and _CUED_HOUR.search(found[0][0]):
        # Read the day without the hour beside it; the hour is put back from the text below.
        searched = _CUED_HOUR.sub(lambda m: " " * len(m.group(0)), cleaned.text)
        found = _search(searched, locales, base) or found
    # a clock time alone is not a day ("10:00" would be read as today)
    while found and _TIME_ONLY.match(found[0][0]):
        found = found[1:]
    if not found:
        raise ParseError("no_date")
    phrase, when = found[0]
    has_time = bool(_CLOCK.search(phrase))
    if not has_time and len(found) > 1 and _TIME_ONLY.match(found[1][0]):
        # "Σάββατο ... 10:00": the day and the time found as two phrases
        clock = found[1][1]
        when = datetime.combine(when.date(), time(clock.hour, clock.minute))
        phrase, has_time = f"{phrase} … {found[1][0]}", True
    written = _written_clock(cleaned.text)
    if written is not None and (not has_time or when.time() == time(0, 0)):
        # "lördag kl 10": dateparser kept the day and lost the clock written beside it
        when, has_time = datetime.combine(when.date(), written), True
    day = when.date()
    if day < local_now.date():
        raise ParseError("in_the_past", day=day)
    starts_at = datetime.combine(day, when.time() if has_time else time(0, 0), zone)
    if has_time and starts_at <= now:
        raise ParseError("time_passed", time=starts_at.time(), day=day)
    spans = []
    for said, _ in found[:2]:
        # dateparser gives the phrase with its spaces squeezed: find it word by word
        words = said.split(" … ")[0].split()
        at = re.search(r"\s+".join(map(re.escape, words)), searched) if words else None
        if at is not None:
            spans.append((at.start(), at.end()))
    title, fallback = make_title(cleaned.text, "en", spans)
    title = _TRAILING_SHORT_WORD.sub("", title) or title
    values: dict[str, Any] = {"phrase": phrase, "day": day}
    note = ParseProblem("fallback_read_time", {**values, "time": starts_at.time()}) \
        if has_time else ParseProblem("fallback_read_day", values)
    notes = [Ambiguity("date", note)]
    if not has_time:
        notes.append(Ambiguity("time", ParseProblem("no_time")))
    notes.append(Ambiguity("place", ParseProblem("no_place")))
    if fallback:
        notes.append(Ambiguity("title", ParseProblem("no_title")))
    return ParsedGathering(
        title=title,
        starts_at=starts_at,
        has_time=has_time,
        ends_at=None,
        place=None,
        needed=None,
        language=locales[0],
        ambiguities=tuple(notes),
        # dateparser is wrong more often: the other plausible readings, one tap away
        alternatives=alternatives(
            phrase.replace(" … ", " "),
            cleaned.text,
            datetime.combine(day, starts_at.time()),
            has_time,
            now=now,
            zone=zone,
            languages=_languages(locales),
        ),
    )
