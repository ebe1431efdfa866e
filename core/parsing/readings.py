"""Other readings of the words the fallback reader read: what the organiser may have meant.

dateparser picks one reading and is wrong more often than the hand-written readers, so the
confirmation offers the others as one-tap corrections. Each rule looks only at the words that
were read, in any language:

- a numeric date whose day and month could swap ("03/04": 3 April or 4 March);
- a bare clock hour under 12, with no minutes and no am/pm ("o 7", "kl 7", "klo 9"): morning
  or evening;
- a weekday name ("w sobotę", "lördag", "Σάββατο"): the coming one, the one after, or the one
  today's week already holds; a word counts as a weekday when dateparser, asked about it alone
  from two bases three days apart, lands on the same weekday both times ("tomorrow" and month
  names move with the base);
- a date pushed into next year when this year's is still ahead.

Pure: `base` (the community's local now, naive) is the only clock; dateparser is imported on
the first use, as in fallback.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .result import Reading, ReadingReason

MAX_ALTERNATIVES = 4
# "03/04", "3.4.", "03-04-2027": two small numbers that could each be the day or the month.
_NUMERIC_DATE = re.compile(
    r"(?<![\d:])(\d{1,2})([./-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\d:])"
)
_AM_PM = re.compile(r"\d\s*(?:am|pm|a\.m\.|p\.m\.)(?!\w)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{3,}")
# The first words of a phrase are enough: a weekday is said near the start ("w sobotę o 10").
_WORDS_LOOKED_AT = 4
_WEEK = timedelta(days=7)


def alternatives(
    phrase: str,
    text: str,
    read: datetime,
    has_time: bool,
    *,
    now: datetime,
    zone: ZoneInfo,
    languages: Sequence[str],
) -> tuple[Reading, ...]:
    """The other plausible readings of `phrase` (the words read, within `text`) besides `read`
    (naive, local), best first, each still ahead of `now`; at most MAX_ALTERNATIVES."""
    base = now.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    found = [
        *_day_month(phrase, read, base),
        *_weekdays(phrase, read, base, languages),
        *_twelve_hours(text, read, has_time),
        *_year(read, base),
    ]
    kept: list[Reading] = []
    seen = {read}
    for moment, why in found:
        if moment in seen:
            continue
        seen.add(moment)
        starts_at = datetime.combine(moment.date(), moment.time() if has_time else time(0), zone)
        ahead = starts_at > now if has_time else moment.date() >= base.date()
        if ahead:
            kept.append(Reading(starts_at, has_time, why))
    return tuple(kept[:MAX_ALTERNATIVES])


def _day_month(phrase: str, read: datetime, base: datetime) -> list[tuple[datetime, ReadingReason]]:
    """'03/04' read as 3 April: 4 March too (and the other way round)."""
    found: list[tuple[datetime, ReadingReason]] = []
    for match in _NUMERIC_DATE.finditer(phrase):
        first, second = int(match[1]), int(match[3])
        if first == second or not (0 < first <= 12 and 0 < second <= 12):
            continue
        if (read.day, read.month) not in ((first, second), (second, first)):
            continue
        written = match[4]
        year = (int(written) + (2000 if len(written) == 2 else 0)) if written else base.year
        swapped = date(year, read.day, read.month)
        if not written and swapped < base.date():
            swapped = swapped.replace(year=year + 1)
        found.append((datetime.combine(swapped, read.time()), "day_month"))
    return found


def _twelve_hours(
    text: str, read: datetime, has_time: bool
) -> list[tuple[datetime, ReadingReason]]:
    """'o 7' read as 07:00: 19:00 too. A written am/pm is sure, and so is a time written with
    its minutes ('7:00', '10.30'): the 24-hour clock of the languages read here."""
    hour = read.hour
    if not has_time or not 0 < hour < 12 or _AM_PM.search(text):
        return []
    if re.search(rf"(?<!\d)0?{hour}\s*[:.h]\s*\d{{2}}", text):
        return []
    return [(read + timedelta(hours=12), "twelve_hours")]


def _weekdays(
    phrase: str, read: datetime, base: datetime, languages: Sequence[str]
) -> list[tuple[datetime, ReadingReason]]:
    """A weekday in the phrase: the coming one, the one after, and today's if it is that day."""
    found: list[tuple[datetime, ReadingReason]] = []
    for word in _WORD.findall(phrase)[:_WORDS_LOOKED_AT]:
        coming = _weekday(word, base, languages)
        if coming is None:
            continue
        for day in (coming - _WEEK, coming, coming + _WEEK):
            if day < base.date():
                continue
            why: ReadingReason = "other_week" if abs(day - read.date()) == _WEEK else "weekday"
            found.append((datetime.combine(day, read.time()), why))
        break
    found.sort(key=lambda item: item[0])
    return found


def _weekday(word: str, base: datetime, languages: Sequence[str]) -> date | None:
    """The coming day `word` names when it names a weekday; None for any other word."""
    first = _read_alone(word, base, languages)
    if first is None or not 0 < (first.date() - base.date()).days <= 7:
        return None
    later = _read_alone(word, base + timedelta(days=3), languages)
    if later is None or (later.date() - first.date()).days % 7:
        return None  # it moved with the base: "tomorrow", a month name, a number
    return first.date()


def _read_alone(word: str, base: datetime, languages: Sequence[str]) -> datetime | None:
    from dateparser import parse  # lazy: see the module's doc

    read: datetime | None = parse(word, languages=list(languages), settings=dateparser_settings(base))
    return read


def dateparser_settings(base: datetime) -> dict[str, Any]:
    """Future dates first, from `base` (the community's local now), naive: the zone is ours."""
    return {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base, "RETURN_AS_TIMEZONE_AWARE": False}


def _year(read: datetime, base: datetime) -> list[tuple[datetime, ReadingReason]]:
    """A date read in next year while this year's is still ahead: this year's too."""
    if read.year != base.year + 1 or (read.month, read.day) == (2, 29):
        return []
    this_year = read.replace(year=base.year)
    return [(this_year, "year")] if this_year.date() >= base.date() else []
