"""Clock-time notations, ranges and durations."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.parsing import ParsedGathering, parse_gathering

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("Europe/London"))  # Wednesday


def parse(text: str, tz: str = "Europe/London", **kw: object) -> ParsedGathering:
    return parse_gathering(text, now=NOW, tz=tz, **kw)  # type: ignore[arg-type]


def hm(p: ParsedGathering) -> str:
    assert p.has_time
    return p.starts_at.strftime("%H:%M")


def end_hm(p: ParsedGathering) -> str | None:
    return p.ends_at.strftime("%H:%M") if p.ends_at else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Litter pick Saturday 10am", "10:00"),
        ("Litter pick Saturday 10 a.m.", "10:00"),
        ("Litter pick Saturday 2 p.m. sharp", "14:00"),
        ("Litter pick Saturday at 10.30", "10:30"),
        ("Litter pick Saturday at 10:30", "10:30"),
        ("Litter pick Saturday noon", "12:00"),
        ("Litter pick Saturday at midday", "12:00"),
        ("Litter pick Saturday half past two", "14:30"),
        ("Litter pick Saturday at 12pm", "12:00"),
        ("Litter pick Saturday 12am", "00:00"),
        ("Litter pick Saturday 7pm", "19:00"),
    ],
)
def test_english_clock_times(text: str, expected: str) -> None:
    assert hm(parse(text)) == expected


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        ("Nettoyage samedi à 9h30", "Europe/Paris", "09:30"),
        ("Nettoyage samedi à 10h", "Europe/Paris", "10:00"),
        ("Nettoyage samedi à midi", "Europe/Paris", "12:00"),
        ("Müllsammeln Samstag um 10 Uhr", "Europe/Berlin", "10:00"),
        ("Müllsammeln Samstag 9.30 Uhr", "Europe/Berlin", "09:30"),
        ("Opruimen zaterdag om 13 uur", "Europe/Amsterdam", "13:00"),
        ("Opruimen zaterdag om 10u", "Europe/Amsterdam", "10:00"),
        ("Pulizia sabato alle ore 10", "Europe/Rome", "10:00"),
        ("Pulizia sabato ore 8:00", "Europe/Rome", "08:00"),
        ("Pulizia sabato a mezzogiorno", "Europe/Rome", "12:00"),
        ("Limpieza el sábado a las 12.00 horas", "Europe/Madrid", "12:00"),
        ("Limpieza el sábado al mediodía", "Europe/Madrid", "12:00"),
        ("Limpeza no sábado às 9h", "America/Sao_Paulo", "09:00"),
        ("Limpeza no sábado ao meio-dia", "America/Sao_Paulo", "12:00"),
        ("Strandrensning lørdag kl. 10", "Europe/Copenhagen", "10:00"),
        ("Strandrensning lørdag klokken 12", "Europe/Copenhagen", "12:00"),
    ],
)
def test_clock_times_in_each_language(text: str, tz: str, expected: str) -> None:
    assert hm(parse(text, tz=tz)) == expected


def test_meridiem_applies_to_both_ends_of_a_range() -> None:
    p = parse("Quiz night Friday 7-9pm")
    assert (hm(p), end_hm(p)) == ("19:00", "21:00")


def test_meridiem_on_the_end_of_a_range_keeps_a_morning_start_when_it_must() -> None:
    p = parse("Cleanup Saturday 10-12PM")
    assert (hm(p), end_hm(p)) == ("10:00", "12:00")
    p = parse("Cleanup Saturday 10-2pm")
    assert (hm(p), end_hm(p)) == ("10:00", "14:00")


def test_am_to_pm_range() -> None:
    p = parse("Cleanup Saturday 9am-12:30pm")
    assert (hm(p), end_hm(p)) == ("09:00", "12:30")


def test_from_eight_to_noon() -> None:
    p = parse("Tree planting Saturday from 8 a.m. to noon")
    assert (hm(p), end_hm(p)) == ("08:00", "12:00")


def test_between_half_nine_am_and_midday() -> None:
    p = parse("Tree planting Saturday between 9.30 am and midday")
    assert (hm(p), end_hm(p)) == ("09:30", "12:00")


@pytest.mark.parametrize(
    ("text", "tz", "start", "end"),
    [
        ("Repair Café zaterdag van 10 tot 13 uur", "Europe/Amsterdam", "10:00", "13:00"),
        ("Repair Café Samstag 9.00-12.00 Uhr", "Europe/Berlin", "09:00", "12:00"),
        ("Repair Café am Samstag von 13 bis 17 Uhr", "Europe/Berlin", "13:00", "17:00"),
        ("Repair café samedi de 9h à 12h", "Europe/Paris", "09:00", "12:00"),
        ("Pulizia sabato dalle ore 14.30 alle 17.30", "Europe/Rome", "14:30", "17:30"),
        ("Limpieza el sábado de 10 a 13 h", "Europe/Madrid", "10:00", "13:00"),
        ("Plantio sábado das 8h às 11h", "America/Sao_Paulo", "08:00", "11:00"),
        ("Strandrensning lørdag fra kl. 9 til 12", "Europe/Copenhagen", "09:00", "12:00"),
        ("Pflanztag Samstag von 10:00 15:00", "Europe/Berlin", "10:00", "15:00"),
    ],
)
def test_ranges_in_each_language(text: str, tz: str, start: str, end: str) -> None:
    p = parse(text, tz=tz)
    assert (hm(p), end_hm(p)) == (start, end)


def test_an_end_cue_later_in_the_text_gives_the_end() -> None:
    p = parse("Litter pick Sunday. Please join us at 9:30 and we return at 11:30.")
    assert (hm(p), end_hm(p)) == ("09:30", "11:30")


@pytest.mark.parametrize(
    ("text", "tz", "end"),
    [
        ("Litter pick Saturday 10am for 2 hours", "Europe/London", "12:00"),
        ("Litter pick Saturday at 10.00, it lasts about 90 minutes", "Europe/London", "11:30"),
        ("Müllsammeln Samstag 16 Uhr, ca. 2 Stunden", "Europe/Berlin", "18:00"),
        ("Réunion samedi 18h30, durée 1h30", "Europe/Paris", "20:00"),
        ("Strandrensning lørdag kl. 12 og varer i to timer", "Europe/Copenhagen", "14:00"),
        ("Walk Saturday 10am, should take us about two hours", "Europe/London", "12:00"),
    ],
)
def test_a_duration_gives_the_end(text: str, tz: str, end: str) -> None:
    assert end_hm(parse(text, tz=tz)) == end


def test_a_duration_is_never_a_clock_time() -> None:
    p = parse("Litter pick Saturday for 2 hours")
    assert p.has_time is False
    p = parse("Müllsammeln Samstag, ca. 2 Stunden", tz="Europe/Berlin")
    assert p.has_time is False


def test_a_date_and_a_time_apart_in_the_text_are_joined() -> None:
    p = parse("Our litter pick will be on Sunday 29 November. Meet at the gate. Starts 10am.")
    assert p.starts_at.isoformat() == "2026-11-29T10:00:00+00:00"


def test_time_before_the_day_is_joined_too() -> None:
    p = parse("Flash mob at Cecil Square at 3pm on Monday")
    assert p.starts_at.isoformat() == "2026-11-23T15:00:00+00:00"


def test_evening_words_turn_a_bare_hour_into_pm() -> None:
    assert hm(parse("Pub quiz tomorrow evening at 8")) == "20:00"
    assert hm(parse("Plenum heute Abend um 7", tz="Europe/Berlin")) == "19:00"


def test_range_across_midnight_ends_next_day() -> None:
    p = parse("Night walk Saturday 10pm-2am")
    assert p.ends_at is not None and p.ends_at.isoformat() == "2026-11-22T02:00:00+00:00"


def test_approximate_hours_with_ish() -> None:
    p = parse("Garden workday Sat 5th Dec, 10ish till 2")
    assert (hm(p), end_hm(p)) == ("10:00", "14:00")


def test_from_a_bare_hour() -> None:
    assert hm(parse("Tidy-up at the allotments this Sun from 10. Bring gloves")) == "10:00"


def test_english_colon_times_without_meridiem_read_as_daytime_ranges() -> None:
    p = parse("Bake sale Friday, 9:30-2:30 at the school gates")
    assert (hm(p), end_hm(p)) == ("09:30", "14:30")
