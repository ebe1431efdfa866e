"""Local times that do not exist or exist twice around clock changes."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.parsing import Ambiguity, ParseProblem, parse_gathering

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_time_in_the_spring_gap_moves_forward_by_the_gap() -> None:
    now = datetime(2026, 3, 20, 9, 0, tzinfo=BERLIN)
    p = parse_gathering("Nachtwanderung am 29.03.2026 um 2:30 Uhr", now=now, tz="Europe/Berlin")
    assert p.starts_at.hour == 3 and p.starts_at.minute == 30
    assert p.starts_at.utcoffset() == timedelta(hours=2)
    gap = ParseProblem("clock_gap", {"time": time(2, 30), "day": date(2026, 3, 29),
                                     "moved_to": time(3, 30)})
    assert Ambiguity("dst", gap) in p.ambiguities


def test_a_repeated_autumn_time_takes_the_first_reading() -> None:
    now = datetime(2026, 10, 20, 9, 0, tzinfo=BERLIN)
    p = parse_gathering("Nachtwanderung am 25.10.2026 um 2:30 Uhr", now=now, tz="Europe/Berlin")
    assert (p.starts_at.hour, p.starts_at.minute, p.starts_at.fold) == (2, 30, 0)
    assert p.starts_at.utcoffset() == timedelta(hours=2)
    twice = ParseProblem("clock_repeat", {"time": time(2, 30), "day": date(2026, 10, 25)})
    assert Ambiguity("dst", twice) in p.ambiguities


def test_us_spring_forward() -> None:
    ny = ZoneInfo("America/New_York")
    now = datetime(2026, 3, 1, 9, 0, tzinfo=ny)
    p = parse_gathering("Night ride March 8 at 2:15am", now=now, tz="America/New_York")
    assert (p.starts_at.hour, p.starts_at.minute) == (3, 15)
    assert any(a.field == "dst" for a in p.ambiguities)


def test_ordinary_times_have_no_dst_note() -> None:
    now = datetime(2026, 3, 20, 9, 0, tzinfo=BERLIN)
    p = parse_gathering("Treffen am 29.03.2026 um 10 Uhr", now=now, tz="Europe/Berlin")
    assert not any(a.field == "dst" for a in p.ambiguities)
