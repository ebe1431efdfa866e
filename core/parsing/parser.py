"""parse_gathering: glue between the clean-up, date, time, place and headcount readers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, tzinfo
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
from .fallback import parse_with_fallback
from .language import detect, normalise_languages, other_languages
from .lexicon import LEXICONS
from .recurrence_rule import Recurrence
from .result import Ambiguity, AmbiguityField, ParsedGathering, ParseError, ParseProblem
from .title import make_title

_MDY_ZONES = ("America/", "US/", "Pacific/Honolulu", "Pacific/Guam", "Pacific/Saipan",
              "Pacific/Pago_Pago", "Asia/Manila")
_UNDECIDED_ZONES = ("UTC", "Etc/", "GMT", "Universal", "Zulu")

Notes = list[tuple[AmbiguityField, ParseProblem]]
# A date beside a rule that was this year's at most this long ago began the series (no year
# written, so read as next year's): "every Saturday starting 1 November", said on the 21st.
_STARTED_LATELY_DAYS = 92
_ANY_WEEKDAY = frozenset(name for lx in LEXICONS.values() for name in lx.weekdays)


def _tz_order(language: str, tz: str) -> str | None:
    if language != "en":
        return "DMY"
    if tz.startswith(_MDY_ZONES):
        return "MDY"
    if tz.startswith(_UNDECIDED_ZONES):
        return None
    return "DMY"


def _localize(day: date, hour: int, minute: int,
              zone: tzinfo) -> tuple[datetime, ParseProblem | None]:
    """Wall time -> aware datetime; gaps move forward, repeated hours take the first one."""
    extra = 0
    if hour == 24:
        hour, extra = 0, 1
    dt0 = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone, fold=0)
    if extra:
        dt0 = datetime.combine(day + timedelta(days=1), dt0.timetz())
    dt1 = dt0.replace(fold=1)
    if dt0.utcoffset() == dt1.utcoffset():
        return dt0, None
    back = dt0.astimezone(UTC).astimezone(zone)
    if (back.hour, back.minute, back.date()) != (dt0.hour, dt0.minute, dt0.date()):
        return back, ParseProblem("clock_gap", {"time": dt0.time(), "day": dt0.date(),
                                                "moved_to": back.time()})
    return dt0, ParseProblem("clock_repeat", {"time": dt0.time(), "day": dt0.date()})


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
                                           _tz_order(language, tz) if order is None else order)
    found = recurrence_mod.find(lower, language)
    beside: list[tuple[int, int]] = []  # days the rule took in: still dates, not title or place
    if found is not None:
        scanned = mentions
        mentions, found = _with_recurrence(mentions, found, today)
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
            and not _names_days(lower, language):
        # "Food bank sort at 3pm": a clock time and no day is today, said in a note
        first = next((t for t in tscan.mentions if not t.end_cued), None)
        if first is not None:
            mentions = [*mentions, dates_mod.DateMention(first.start, first.start,
                                                         dates_mod.RELATIVE, today)]
            notes.append(("date", ParseProblem("today", {"day": today})))

    try:
        chosen = _choose_date(mentions, order_error, tscan.errors)
    except ParseError as error:
        problem = _as_written(error.problem, cleaned.text, lower)
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
    starts_at, dst_note = _localize(day, hour, minute, in_zone)
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
            starts_at, dst_note = _localize(day, hour, minute, in_zone)
    if has_time and starts_at <= now:  # starting this minute is too late to join
        later = _later_in_part(part, local_now, day)
        if later is not None:
            hour, minute = later, 0
            starts_at, dst_note = _localize(day, hour, minute, zone)
        elif chosen.weekday_only:
            day = day + timedelta(days=7)
            starts_at, dst_note = _localize(day, hour, minute, zone)
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

    ends_at = _end(chosen, start_tm, tscan, starts_at.astimezone(in_zone), has_time, in_zone,
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

    _notes_for(chosen, mentions, day, has_time, place_text, hc, fallback, notes)
    ambiguities = tuple(dict.fromkeys(
        Ambiguity(f, _as_written(note, cleaned.text, lower)) for f, note in notes))
    return ParsedGathering(
        title=title, starts_at=starts_at, has_time=has_time, ends_at=ends_at,
        place=place_text or None, language=language, ambiguities=ambiguities,
        # with roles, the target is all of them together
        needed=sum(r.target for r in roles) if roles else hc.target if hc else None,
        capacity=hc.capacity if hc else None, roles=roles,
        recurrence=_as_written_rule(found, cleaned.text, day,
                                    by_weekday=chosen.rank == dates_mod.WEEKDAY),
    )


def _as_written_rule(found: recurrence_mod.Found | None, text: str, day: date, *,
                     by_weekday: bool) -> Recurrence | None:
    """The rule anchored on the first day, its phrase in the person's own capitals.
    "Saturday 9am, every month" repeats on that Saturday of the month (the 4th, or the last
    when it is a fifth), not on that day's number."""
    if found is None:
        return None
    rule = found.rule
    if by_weekday and rule.unit == "month" and not rule.fixed:
        week = (day.day - 1) // 7 + 1
        rule = replace(rule, weekdays=(day.weekday(),), nths=(week if week < 5 else -1,))
    return replace(rule.anchored(day), phrase=text[found.start:found.end].strip())


def _with_recurrence(
    mentions: list[dates_mod.DateMention], found: recurrence_mod.Found, today: date
) -> tuple[list[dates_mod.DateMention], recurrence_mod.Found | None]:
    """The repeat phrase as one date mention. When the rule names its days ("every
    Saturday"), its first day is the rule's first from today on, or from a date written
    beside it ("every Tuesday starting 12 January"); a relative day beside it ("tomorrow",
    "nu donderdag") is the first one as written. When it does not ("every 2 weeks"), a day
    written beside it is the first ("from Wednesday"), else today. The weekday inside the
    phrase is no mention of its own. Beside a range of days ("12-14 June, 10am each day") it
    means each day of the range: no series."""
    others = [m for m in mentions if m.end <= found.start or m.start >= found.end]
    if any(m.end_day is not None for m in others if m.rank == dates_mod.EXPLICIT):
        return mentions, None
    if not found.rule.fixed:
        return [*others, dates_mod.DateMention(found.start, found.end, dates_mod.RECURRING,
                                               today)], found
    beside = next((m for m in others
                   if m.rank != dates_mod.RECURRING and (m.day or _day_past(m))), None)
    written = beside.day if beside else None
    began = _began(beside, today) if beside is not None else None
    if began is not None:
        # "every other Tuesday starting 17 November", said in December: it is going already;
        # its next date from today, in step with the day it began
        anchor = found.rule.first_on_or_after(began)
        first = found.rule.first_on_or_after(today, anchor) if anchor else None
    else:
        first = found.rule.first_on_or_after(max(today, written or today))
        if written is not None and not any(m.rank == dates_mod.EXPLICIT for m in others):
            first = written  # "tomorrow", "nu donderdag": the first one, even off the rule
    return [dates_mod.DateMention(found.start, found.end, dates_mod.EXPLICIT, first),
            *(m for m in others if m.rank not in (dates_mod.EXPLICIT, dates_mod.RELATIVE,
                                                  dates_mod.WEEKDAY))], found


def _day_past(mention: dates_mod.DateMention) -> date | None:
    """The day of a date refused as past ("17 November 2026" in December), if it is one."""
    past = mention.error.values.get("day") if mention.error else None
    return past if mention.error and mention.error.code == "in_the_past" \
        and isinstance(past, date) else None


def _began(mention: dates_mod.DateMention, today: date) -> date | None:
    """The past day a series began, written beside its rule: a date before today, or one with
    no year that was this year's a few weeks ago (and so was read as next year's: beside a
    rule, the series began then, not a year from now). None: it begins today or later."""
    if mention.day is None:
        return _day_past(mention)
    if mention.day < today:
        return mention.day
    if not mention.rolled_year:
        return None
    try:
        this_year = mention.day.replace(year=mention.day.year - 1)
    except ValueError:  # 29 February
        return None
    return this_year if today - timedelta(days=_STARTED_LATELY_DAYS) <= this_year < today else None


def _names_days(lower: str, language: str) -> bool:
    """Does the message name days it did not date ("every last Friday", "in March", or a
    weekday in another of the eight languages)? Then a clock time alone is not today."""
    lx = LEXICONS[language]
    words = set(re.findall(r"[^\W\d_]+", lower))
    return bool(words & (_ANY_WEEKDAY | set(lx.every) | {m for m in lx.months if len(m) > 3}))


def _as_written(problem: ParseProblem, text: str, lower: str) -> ParseProblem:
    """The date readers quote the lower-cased text: quote the person's own capitals instead
    ("nächsten Sonntag"). `text` and `lower` have the same length."""
    phrase = problem.values.get("phrase")
    at = lower.find(phrase) if isinstance(phrase, str) else -1
    if not isinstance(phrase, str) or at < 0:
        return problem
    return ParseProblem(problem.code, {**problem.values, "phrase": text[at:at + len(phrase)]})


def _later_in_part(part: dayparts_mod.DayPart | None, local_now: datetime,
                   day: date) -> int | None:
    """'Tonight' posted at 19:20: the next full hour, while that part of the day lasts."""
    if part is None or day != local_now.date():
        return None
    nxt = local_now.hour + 1
    if nxt < min(part.hour + dayparts_mod.WINDOW_HOURS, 24):
        return nxt
    return None


def _choose_date(mentions: list[dates_mod.DateMention], order_error: ParseProblem | None,
                 time_errors: tuple[str, ...]) -> dates_mod.DateMention:
    explicit = [m for m in mentions if m.rank == dates_mod.EXPLICIT]
    if explicit:
        valid = [m for m in explicit if m.day is not None]
        if valid:
            return valid[0]
        problem = explicit[0].error
        assert problem is not None  # an explicit mention without a day says why
        raise ParseError(problem.code, **problem.values)
    for rank in (dates_mod.RELATIVE, dates_mod.WEEKDAY, dates_mod.RECURRING):
        for m in mentions:
            if m.rank == rank and m.day is not None:
                return m
    if order_error:
        raise ParseError(order_error.code, **order_error.values)
    if time_errors:
        raise ParseError("no_such_time", phrase=time_errors[0])
    raise ParseError("no_date")


def _end(chosen: dates_mod.DateMention, start_tm: times_mod.TimeMention | None,
         tscan: times_mod.TimeScan, starts_at: datetime, has_time: bool, zone: tzinfo,
         notes: Notes) -> datetime | None:
    end_day = chosen.end_day or starts_at.date()
    if not has_time or start_tm is None:
        if chosen.end_day:
            return _localize(chosen.end_day, 0, 0, zone)[0]
        return None
    end_hm = start_tm.end_hm
    if end_hm is None:
        later = [t for t in tscan.mentions if t.end_cued and t.start > start_tm.start]
        if later:
            end_hm = (later[0].hour, later[0].minute)
    if end_hm is not None:
        h, mi = end_hm
        if h == 24:
            h, end_day = 0, end_day + timedelta(days=1)
        ends, dst = _localize(end_day, h, mi, zone)
        if ends <= starts_at:
            if not chosen.end_day and h < 12 and (h + 12, mi) > (starts_at.hour, starts_at.minute) \
                    and not start_tm.end_hm:
                ends, dst = _localize(end_day, h + 12, mi, zone)
            if ends <= starts_at:
                ends, dst = _localize(end_day + timedelta(days=1), h, mi, zone)
        if dst:
            notes.append(("dst", dst))
        return ends
    durations = [d for d in tscan.durations]
    if durations:
        return starts_at + timedelta(minutes=durations[0].minutes)
    if chosen.end_day:
        return _localize(chosen.end_day, 0, 0, zone)[0]
    return None


def _notes_for(chosen: dates_mod.DateMention, mentions: list[dates_mod.DateMention], day: date,
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
