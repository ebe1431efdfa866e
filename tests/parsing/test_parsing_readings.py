"""Other plausible readings (core/parsing/readings.py): what a one-tap correction offers after
the fallback reader read an announcement. Every rule in several phrasings and languages."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from core.parsing import ParseError, parse_gathering
from core.parsing.readings import MAX_ALTERNATIVES, alternatives

ZONE = ZoneInfo("Europe/Warsaw")
# Wednesday 18 November 2026, 10:00 in Warsaw
NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)


def offered(
    phrase: str, read: datetime, *, has_time: bool = True, text: str = "", lang: str = "pl"
) -> dict[str, str]:
    found = alternatives(
        phrase, text or phrase, read, has_time, now=NOW, zone=ZONE, languages=[lang]
    )
    shown = "%Y-%m-%dT%H:%M" if has_time else "%Y-%m-%d"
    return {f"{reading.starts_at:{shown}}": reading.why for reading in found}


@pytest.mark.parametrize("phrase", ["03/04 o 10:00", "3.4. o 10:00", "03-04-2027 10:00"])
def test_a_numeric_date_offers_day_and_month_swapped(phrase: str) -> None:
    read = datetime(2027, 4, 3, 10, 0)  # 3 April
    assert offered(phrase, read) == {"2027-03-04T10:00": "day_month"}


def test_a_numeric_date_that_cannot_swap_offers_nothing_for_it() -> None:
    assert offered("13/04 o 10:00", datetime(2027, 4, 13, 10, 0)) == {}
    assert offered("04/04 o 10:00", datetime(2027, 4, 4, 10, 0)) == {}


def test_a_swap_already_past_this_year_is_next_year() -> None:
    # "11/02" read as 11 February: 2 November this year has passed, so next year's
    assert offered("11/02 o 9:30", datetime(2027, 2, 11, 9, 30)) == {
        "2027-11-02T09:30": "day_month"
    }


@pytest.mark.parametrize(
    ("phrase", "lang"),
    [("w sobotę o 7", "pl"), ("på lördag kl 7", "sv"), ("lauantaina klo 7", "fi"),
     ("v sobotu v 7", "cs"), ("cumartesi saat 7", "tr")],
)
def test_a_bare_hour_offers_the_evening_and_the_other_saturdays(phrase: str, lang: str) -> None:
    read = datetime(2026, 11, 21, 7, 0)  # Saturday 21 November, 07:00
    found = offered(phrase, read, lang=lang)
    assert found["2026-11-21T19:00"] == "twelve_hours"
    assert found["2026-11-28T07:00"] == "other_week"


@pytest.mark.parametrize("text", ["o 7:00", "kl 07.00", "7am", "o 7 pm", "klo 7.30"])
def test_minutes_or_am_pm_written_make_the_hour_sure(text: str) -> None:
    assert "twelve_hours" not in offered("jutro", datetime(2026, 11, 19, 7, 0), text=text).values()


@pytest.mark.parametrize(
    ("phrase", "lang"),
    [("w niedzielę", "pl"), ("på söndag", "sv"), ("sunnuntaina", "fi"), ("την Κυριακή", "el"),
     ("pazar günü", "tr"), ("duminică", "ro")],
)
def test_a_weekday_misread_offers_the_coming_one_and_the_next(phrase: str, lang: str) -> None:
    read = datetime(2027, 3, 14, 0, 0)  # a reading far off: not the Sunday meant
    assert offered(phrase, read, has_time=False, lang=lang) == {
        "2026-11-22": "weekday",
        "2026-11-29": "weekday",
    }


@pytest.mark.parametrize(("word", "lang"), [("jutro", "pl"), ("imorgon", "sv"), ("grudnia", "pl")])
def test_words_that_move_with_the_day_are_not_weekdays(word: str, lang: str) -> None:
    assert offered(word, datetime(2026, 12, 19, 0, 0), has_time=False, lang=lang) == {}


def test_on_the_day_itself_today_is_offered_while_its_time_is_ahead() -> None:
    # Wednesday 18 November at 10:00: "w środę o 18:00" read as next Wednesday
    found = offered("w środę o 18:00", datetime(2026, 11, 25, 18, 0))
    assert found == {"2026-11-18T18:00": "other_week", "2026-12-02T18:00": "other_week"}
    found = offered("w środę o 8:00", datetime(2026, 11, 25, 8, 0))
    assert "2026-11-18T08:00" not in found  # already past


def test_a_date_pushed_into_next_year_offers_this_years() -> None:
    assert offered("12 grudnia o 10:00", datetime(2027, 12, 12, 10, 0)) == {
        "2026-12-12T10:00": "year"
    }


def test_never_more_than_a_few_and_never_the_reading_itself() -> None:
    read = datetime(2026, 11, 21, 7, 0)
    found = alternatives("03/04 w sobotę o 7", "03/04 w sobotę o 7", read, True, now=NOW,
                         zone=ZONE, languages=["pl"])
    assert 0 < len(found) <= MAX_ALTERNATIVES
    assert all(reading.starts_at != read.replace(tzinfo=ZONE) for reading in found)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Sprzątanie plaży w sobotę o 7 przy molo", "pl", "2026-11-28T07:00"),
        ("Strandstädning på lördag kl 10 vid bryggan", "sv", "2026-11-28T10:00"),
        ("Καθαρισμός παραλίας το Σάββατο στις 10:00", "el", "2026-11-28T10:00"),
        ("Zbiórka żywności w niedzielę", "pl", "2026-11-29"),
    ],
)
def test_a_fallback_reading_carries_its_alternatives(text: str, lang: str, expected: str) -> None:
    parsed = parse_gathering(text, now=NOW, tz="Europe/Warsaw", languages=[lang])
    shown = "%Y-%m-%dT%H:%M" if parsed.has_time else "%Y-%m-%d"
    found = [f"{reading.starts_at:{shown}}" for reading in parsed.alternatives]
    assert expected in found
    assert parsed.starts_at not in [reading.starts_at for reading in parsed.alternatives]
    assert all(reading.starts_at > NOW or not reading.has_time for reading in parsed.alternatives)


def test_the_hand_written_readers_offer_none() -> None:
    parsed = parse_gathering(
        "Beach clean Saturday 10am", now=NOW, tz="Europe/London", languages=["en", "pl"]
    )
    assert parsed.alternatives == ()
    with pytest.raises(ParseError):
        parse_gathering("nic", now=NOW, tz="Europe/Warsaw", languages=["pl"])


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # dateparser read the weekday and the hour after its cue as a date in month 7 or 10
        ("Sprzątanie plaży w sobotę o 7 przy molo", "pl"),
        ("Rantasiivous lauantaina klo 7 Hietaniemessä", "fi"),
        ("Úklid pláže v sobotu v 7 hodin", "cs"),
        ("Curățenie pe plajă sâmbătă la ora 7", "ro"),
        ("Strandstädning på lördag kl 7 vid bryggan", "sv"),
    ],
)
def test_an_hour_after_its_cue_is_the_time_of_the_day_not_a_month(text: str, lang: str) -> None:
    parsed = parse_gathering(text, now=NOW, tz="Europe/Warsaw", languages=[lang])
    assert f"{parsed.starts_at:%Y-%m-%d %H:%M %a}" == "2026-11-21 07:00 Sat"
    assert not any(ch.isdigit() for ch in parsed.title)  # the time is not in the title
