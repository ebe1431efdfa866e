"""Wall-clock times to aware datetimes: clock changes, when a gathering ends, and the next
hour left in "tonight". Split from parser.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

from . import dates as dates_mod
from . import dayparts as dayparts_mod
from . import times as times_mod
from .notes import Notes
from .result import ParseProblem


def localize(day: date, hour: int, minute: int,
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


def later_in_part(part: dayparts_mod.DayPart | None, local_now: datetime,
                   day: date) -> int | None:
    """'Tonight' posted at 19:20: the next full hour, while that part of the day lasts."""
    if part is None or day != local_now.date():
        return None
    nxt = local_now.hour + 1
    if nxt < min(part.hour + dayparts_mod.WINDOW_HOURS, 24):
        return nxt
    return None


def end_of(chosen: dates_mod.DateMention, start_tm: times_mod.TimeMention | None,
         tscan: times_mod.TimeScan, starts_at: datetime, has_time: bool, zone: tzinfo,
         notes: Notes) -> datetime | None:
    end_day = chosen.end_day or starts_at.date()
    if not has_time or start_tm is None:
        if chosen.end_day:
            return localize(chosen.end_day, 0, 0, zone)[0]
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
        ends, dst = localize(end_day, h, mi, zone)
        if ends <= starts_at:
            if not chosen.end_day and h < 12 and (h + 12, mi) > (starts_at.hour, starts_at.minute) \
                    and not start_tm.end_hm:
                ends, dst = localize(end_day, h + 12, mi, zone)
            if ends <= starts_at:
                ends, dst = localize(end_day + timedelta(days=1), h, mi, zone)
        if dst:
            notes.append(("dst", dst))
        return ends
    durations = [d for d in tscan.durations]
    if durations:
        return starts_at + timedelta(minutes=durations[0].minutes)
    if chosen.end_day:
        return localize(chosen.end_day, 0, 0, zone)[0]
    return None
