"""parse_gathering: glue between the clean-up, date, time, place and headcount readers.

Its helpers live beside it: date_choice.py (which day), wall_clock.py (aware times, the end)
and notes.py (what is said beside the result)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import dates as dates_mod
from . import dayparts as dayparts_mod
from . import headcount as headcount_mod
from . import places as places_mod
from . import recurrence as recurrence_mod
from . import relative_times as relative_mod
from . import roles as roles_mod
from . import times as times_mod
from . import zones as zones_mod
from .cleanup import clean
from .date_choice import as_written_rule, choose_date, names_days, tz_order, with_recurrence
from .fallback import parse_with_fallback
from .language import detect, normalise_languages, other_languages
from .notes import Notes, as_written, notes_for
from .result import Ambiguity, ParsedGathering, ParseError, ParseProblem
from .title import make_title
from .wall_clock import end_of, later_in_part, localize


def parse_gathering(
    text: str,
    *,
    now: datetime,
    tz: str,
    languages: Sequence[str] | None = None,
    date_order: str | None = None,
    next_weekday: str = "coming",
) -> ParsedGathering:
    """Read what, when, where and how many from one announcement.

    `languages`: the community's. The hand-written readers know eight (`SUPPORTED`); where
    `languages` names others ("pl", "sv"), a text in which they find no day (they fail, or read
    a bare clock time as today) is read again by the fallback reader (dateparser) in those
    languages only, with a note of what it read; when that finds no day either, the
    hand-written result or complaint stands.
    `next_weekday`: "coming" (default) reads "next Saturday" as the first Saturday after
    today; "following" reads it as the Saturday of next calendar week (weeks start Monday).
    """
    others = other_languages(languages)
    try:
        parsed = _parse_hand_written(text, now=now, tz=tz, languages=languages,
                                     date_order=date_order, next_weekday=next_weekday)
    except ParseError:
        if not others:
            raise
        try:
            return parse_with_fallback(text, now=now, tz=tz, locales=others)
        except ParseError:
            pass
        raise
    if others and any(doubt.code == "today" for doubt in parsed.ambiguities):
        try:
            return parse_with_fallback(text, now=now, tz=tz, locales=others)
        except ParseError:
            pass
    return parsed


def _parse_hand_written(
    text: str,
    *,
    now: datetime,
    tz: str,
    languages: Sequence[str] | None,
    date_order: str | None,
    next_weekday: str,
) -> ParsedGathering:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ValueError(f"unknown time zone {tz!r}") from exc
    if date_order is not None and date_order not in ("DMY", "MDY", "YMD"):
        raise ValueError("date_order must be 'DMY', 'MDY', 'YMD' or None")
    if next_weekday not in ("coming", "following"):
        raise ValueError("next_weekday must be 'coming' or 'following'")

    cleaned = clean(text)
    lower = cleaned.lower
    language = detect(lower, normalise_languages(languages))
    local_now = now.astimezone(zone)
    today = local_now.date()
    order = date_order or None
    mentions, order_error = dates_mod.scan(lower, language, today, order, next_weekday,
                                           tz_order(language, tz) if order is None else order)
    found = recurrence_mod.find(lower, language)
    beside: list[tuple[int, int]] = []  # days the rule took in: still dates, not title or place
    if found is not None:
        scanned = mentions
        mentions, found = with_recurrence(mentions, found, today)
        beside = [(m.start, m.end) for m in scanned if m not in mentions]
    yearly = recurrence_mod.once_a_year(lower, language) if found is None else None
    if yearly is not None:  # "every 24th December": the "every" is no part of the title
        beside.append(yearly)
    quick = None
    if not any(m.day is not None for m in mentions):
        # "in 30 minutes", "dans une heure": counted from the message's own time
        quick = relative_mod.find(lower, language)
    if quick is not None:
        at = local_now.replace(second=0, microsecond=0) + timedelta(minutes=quick.minutes)
        mentions = [dates_mod.DateMention(quick.start, quick.end, dates_mod.RELATIVE,
                                          at.date())]
    date_spans = [(m.start, m.end) for m in mentions] + beside
    tscan = times_mod.scan(cleaned.text, lower, language, date_spans)
    notes: Notes = []
    if quick is not None:
        notes.append(("time", ParseProblem("relative", {"phrase": quick.phrase,
                                                        "time": at.time()})))
        tscan = times_mod.TimeScan((times_mod.TimeMention(quick.start, quick.end, at.hour,
                                                          at.minute, None, False, False),),
                                   tscan.durations, ())
    elif not any(m.day is not None for m in mentions) and not order_error \
            and not names_days(lower, language):
        # "Food bank sort at 3pm": a clock time and no day is today, said in a note
        first = next((t for t in tscan.mentions if not t.end_cued), None)
        if first is not None:
            mentions = [*mentions, dates_mod.DateMention(first.start, first.start,
                                                         dates_mod.RELATIVE, today)]
            notes.append(("date", ParseProblem("today", {"day": today})))

    try:
        chosen = choose_date(mentions, order_error, tscan.errors)
    except ParseError as error:
        problem = as_written(error.problem, cleaned.text, lower)
        raise ParseError(problem.code, **problem.values) from None
    start_tm = next((t for t in tscan.mentions if not t.end_cued), None)
    if start_tm is None and tscan.errors:
        raise ParseError("no_such_time", phrase=tscan.errors[0])
    part = None
    if start_tm is None:
        # "Saturday morning", "demain soir": an assumed hour, said in a `time` ambiguity
        part = dayparts_mod.find(cleaned.text, lower, language, chosen.start, chosen.end)
        if part is not None:
            start_tm = times_mod.TimeMention(part.start, part.end, part.hour, 0, None, False,
                                             False)
    assert chosen.day is not None
    day = chosen.day
    has_time = start_tm is not None
    hour, minute = (start_tm.hour, start_tm.minute) if start_tm else (0, 0)
    if hour == 24:
        hour = 0

    written = zones_mod.after(cleaned.text, start_tm.end) if start_tm and not part else None
    in_zone: tzinfo = written.zone if written else zone
    starts_at, dst_note = localize(day, hour, minute, in_zone)
    if written is not None:
        starts_at = starts_at.astimezone(zone)
    # "10am GMT" in London in winter is the community's own time: nothing to say
    if written is not None and starts_at.utcoffset() != starts_at.astimezone(
            written.zone).utcoffset():
        notes.append(("time", ParseProblem("zone", {
            "phrase": cleaned.text[start_tm.start:written.end] if start_tm else "",
            "time": starts_at.time(), "day": starts_at.date()})))
    own_day = found is not None and (found.rule.fixed or chosen.start == found.start)
    if found is not None and own_day and has_time and starts_at <= now:
        # a series whose first day is today but whose time has passed starts on its next day
        # (a day written beside a rule that names none, "from Saturday", is as for any date)
        following = found.rule.anchored(day).first_on_or_after(day + timedelta(days=1), day)
        if following is not None:
            day = following
            starts_at, dst_note = localize(day, hour, minute, in_zone)
    if has_time and starts_at <= now:  # starting this minute is too late to join
        later = later_in_part(part, local_now, day)
        if later is not None:
            hour, minute = later, 0
            starts_at, dst_note = localize(day, hour, minute, zone)
        elif chosen.weekday_only:
            day = day + timedelta(days=7)
            starts_at, dst_note = localize(day, hour, minute, zone)
            notes.append(("date", ParseProblem("next_week", {"day": day})))
        elif part is not None:
            raise ParseError("phrase_passed", phrase=part.phrase)
        else:
            raise ParseError("time_passed", time=starts_at.time(),
                             day=starts_at.date())
    if start_tm is not None and start_tm.assumed_evening:
        notes.append(("time", ParseProblem("evening", {"phrase": start_tm.assumed_evening,
                                                       "time": starts_at.time()})))
    if part is not None:
        notes.append(("time", ParseProblem("assumed_time", {"time": starts_at.time(),
                                                            "phrase": part.phrase})))
    if dst_note:
        notes.append(("dst", dst_note))
    if yearly is not None:
        notes.append(("date", ParseProblem("once_a_year", {"day": day})))

    ends_at = end_of(chosen, start_tm, tscan, starts_at.astimezone(in_zone), has_time, in_zone,
                   notes)
    if ends_at is not None:
        ends_at = ends_at.astimezone(zone)

    part_spans = [(part.start, part.end)] if part else []
    if written is not None:
        part_spans.append((written.start, written.end))
    blocked = date_spans + part_spans + [(t.start, t.end) for t in tscan.mentions] + [
        (d.start, d.end) for d in tscan.durations]
    hc = headcount_mod.find(lower, language, blocked)
    roles, roles_span = roles_mod.find(cleaned.text, lower, language, hc.spans if hc else ())
    count_spans = [*(hc.spans if hc else ()), *([roles_span] if roles_span else [])]
    when = date_spans + part_spans + [(t.start, t.end) for t in tscan.mentions]
    focus = [(chosen.start, chosen.end)] + ([(start_tm.start, start_tm.end)] if start_tm else [])
    place = places_mod.find(cleaned.text, lower, language, when,
                            [(d.start, d.end) for d in tscan.durations] + count_spans,
                            focus)
    place_text = cleaned.original[place.start:place.end].strip() if place else None

    cut_spans = [*blocked, *count_spans]
    if place:
        # "Treffen Freitag 18 Uhr im Café": a cue word before the date is the title's
        opening = not re.search(r"[^\W\d_]", re.split(r"[.!?:\n]",
                                                        cleaned.text[:place.cue_start])[-1])
        cue_then_when = opening and any(place.cue_start <= s and e <= place.start
                                        for s, e in when)
        cut_spans.append((place.start if cue_then_when else place.cue_start, place.end))
    title, fallback = make_title(cleaned.text, language, cut_spans)
    if place and place.priority <= places_mod.GENERIC and place_text \
            and place_text.lower() == title.lower():
        # the title's own name ("Earth Day ... On Earth Day") is no place; a place named in
        # the title ("Pulizia della spiaggia ... in spiaggia") still is
        place_text = None

    notes_for(chosen, mentions, day, has_time, place_text, hc, fallback, notes)
    ambiguities = tuple(dict.fromkeys(
        Ambiguity(f, as_written(note, cleaned.text, lower)) for f, note in notes))
    return ParsedGathering(
        title=title, starts_at=starts_at, has_time=has_time, ends_at=ends_at,
        place=place_text or None, language=language, ambiguities=ambiguities,
        # with roles, the target is all of them together
        needed=sum(r.target or 0 for r in roles) if roles else hc.target if hc else None,
        capacity=hc.capacity if hc else None, roles=roles,
        recurrence=as_written_rule(found, cleaned.text, day,
                                    by_weekday=chosen.rank == dates_mod.WEEKDAY),
    )

