"""Words and numbers that look like dates, times or headcounts but are not."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.parsing import ParsedGathering, parse_gathering

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("Europe/London"))  # Wednesday


def parse(text: str, tz: str = "Europe/London", **kw: object) -> ParsedGathering:
    return parse_gathering(text, now=NOW, tz=tz, **kw)  # type: ignore[arg-type]


def when(p: ParsedGathering) -> str:
    return p.starts_at.strftime("%Y-%m-%d %H:%M" if p.has_time else "%Y-%m-%d")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We may need help: beach clean Saturday 10am", "2026-11-21 10:00"),
        ("Sun's out! Beach clean Saturday 10am", "2026-11-21 10:00"),
        ("We sat down and planned a beach clean for Saturday 10am", "2026-11-21 10:00"),
        ("March for the climate, Saturday 2pm", "2026-11-21 14:00"),
        ("Jan will bring gloves. Litter pick Saturday 10am", "2026-11-21 10:00"),
        ("The 31st Annual Beach Sweep is on Saturday at 9am", "2026-11-21 09:00"),
        ("Our 11th annual cleanup takes place on Saturday at 8 a.m.", "2026-11-21 08:00"),
        ("Meet at Pier 39 on Saturday at 10am", "2026-11-21 10:00"),
        ("Litter pick Saturday 10am, 2100 Napoleon Ave.", "2026-11-21 10:00"),
        ("Litter pick Saturday 10am at 10 Downing Street", "2026-11-21 10:00"),
        ("Best cleanup of 2024! Next one Saturday 10am", "2026-11-21 10:00"),
        ("Litter pick Saturday 10am, postcode M1 4BT", "2026-11-21 10:00"),
        ("Plant 57 trees on Saturday at 9 a.m.", "2026-11-21 09:00"),
        ("20 volunteers wanted Saturday 10am", "2026-11-21 10:00"),
        ("Beach clean Saturday, open 24/7 drop-off", "2026-11-21"),
        ("Litter pick Saturday 10am, 11/50 spots left", "2026-11-21 10:00"),
    ],
)
def test_english_false_friends(text: str, expected: str) -> None:
    assert when(parse(text)) == expected


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        ("Die Müllsammler treffen sich am Samstag um 10 Uhr mit Handschuhen", "Europe/Berlin",
         "2026-11-21 10:00"),
        ("Baumpflanzung Samstag 9 Uhr in Abteilung 11 b, 1500 Bäume", "Europe/Berlin",
         "2026-11-21 09:00"),
        ("Nettoyage à Cayeux-sur-Mer samedi à 9h30, route D102", "Europe/Paris",
         "2026-11-21 09:30"),
        ("Collecte sur 20 plages samedi entre 10h et 12h (35)", "Europe/Paris",
         "2026-11-21 10:00"),
        ("Riego de 250 árboles el sábado a las 11:30 horas", "Europe/Madrid",
         "2026-11-21 11:30"),
        ("Iedere 2e en 4e donderdag, nu donderdag van 14.00 tot 16.00 uur", "Europe/Amsterdam",
         "2026-11-19 14:00"),
    ],
)
def test_false_friends_in_other_languages(text: str, tz: str, expected: str) -> None:
    assert when(parse(text, tz=tz)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Plant 57 trees on Saturday at 9am",
        "Last year 5000 attendees came! Beach clean Saturday 10am",
        "We've got 20 committed students coming on Saturday at 9:30",
        "Join us at one of over 70 sites on Saturday, 9am-12:30pm",
        "Pflanzaktion Samstag 8 Uhr, letztes Jahr 1500 Bäume gepflanzt",
        "Collecte sur 20 plages de France ce samedi entre 10h et 12h",
        "The 11th annual cleanup takes place on Saturday at 31 locations, 8 a.m.",
        "Meet at 2100 Napoleon Ave. on Saturday at 9 a.m.",
    ],
)
def test_counts_of_things_are_not_headcounts(text: str) -> None:
    assert parse(text).needed is None
