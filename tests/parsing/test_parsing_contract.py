"""The public contract of core.parsing."""

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.parsing import (
    NOTE_CODES,
    Ambiguity,
    ParsedGathering,
    ParseError,
    ParseProblem,
    parse_gathering,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 18, 9, 0, tzinfo=LONDON)  # a Wednesday


def test_the_documented_call_works_and_returns_a_frozen_dataclass() -> None:
    p = parse_gathering("/gather Beach clean at Portobello beach, Saturday 10am, need 20 people",
                        now=NOW, tz="Europe/London", languages=None, date_order=None)
    assert isinstance(p, ParsedGathering)
    assert dataclasses.is_dataclass(p)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.title = "x"  # type: ignore[misc]
    assert p.title == "Beach clean"
    assert p.starts_at == datetime(2026, 11, 21, 10, 0, tzinfo=LONDON)
    assert p.has_time is True
    assert p.ends_at is None
    assert p.place == "Portobello beach"
    assert p.needed == 20
    assert p.language == "en"
    assert isinstance(p.ambiguities, tuple)


def test_starts_at_is_in_the_community_zone() -> None:
    p = parse_gathering("Litter pick Saturday 10am", now=NOW, tz="America/New_York")
    assert p.starts_at.tzinfo == ZoneInfo("America/New_York")
    assert (p.starts_at.hour, p.starts_at.minute) == (10, 0)


def test_now_in_another_zone_is_converted_before_reading_today() -> None:
    # 23:30 UTC on Wednesday is already Thursday in Berlin
    now = datetime(2026, 11, 18, 23, 30, tzinfo=ZoneInfo("UTC"))
    p = parse_gathering("Treffen heute 19 Uhr", now=now, tz="Europe/Berlin")
    assert p.starts_at.date().isoformat() == "2026-11-19"


def test_parse_error_is_a_value_error_with_a_code_and_no_sentence() -> None:
    with pytest.raises(ParseError) as info:
        parse_gathering("Beach clean, bring gloves", now=NOW, tz="Europe/London")
    assert isinstance(info.value, ValueError)
    assert info.value.problem == ParseProblem("no_date")


def test_ambiguity_fields_are_from_the_documented_set() -> None:
    p = parse_gathering("Beach clean next Saturday", now=NOW, tz="Europe/London")
    assert p.ambiguities
    for a in p.ambiguities:
        assert isinstance(a, Ambiguity)
        assert a.field in {"date", "time", "place", "needed", "dst", "title"}
        assert a.code in NOTE_CODES
        assert set(a.note.values) == NOTE_CODES[a.code]


def test_date_without_time_is_midnight_with_has_time_false_and_a_time_hint() -> None:
    p = parse_gathering("Repair café on Saturday 28 November", now=NOW, tz="Europe/London")
    assert p.has_time is False
    assert p.starts_at == datetime(2026, 11, 28, 0, 0, tzinfo=LONDON)
    assert any(a.field == "time" for a in p.ambiguities)


def test_no_place_gives_a_place_hint() -> None:
    p = parse_gathering("Litter pick Saturday 10am", now=NOW, tz="Europe/London")
    assert p.place is None
    assert any(a.field == "place" for a in p.ambiguities)


def test_title_never_empty() -> None:
    p = parse_gathering("Saturday 10am", now=NOW, tz="Europe/London")
    assert p.title
    assert any(a.field == "title" for a in p.ambiguities)


def test_command_mentions_and_hashtags_are_ignored() -> None:
    text = "@gather@mastodon.example /gather@GatherBot #BeachClean at #Portobello beach sat 10am #wewillgather"
    p = parse_gathering(text, now=NOW, tz="Europe/London")
    assert p.title == "BeachClean"
    assert p.place == "Portobello beach"
    assert p.starts_at == datetime(2026, 11, 21, 10, 0, tzinfo=LONDON)


def test_place_is_a_verbatim_substring_of_the_text() -> None:
    text = "Müllsammeln Samstag 10 Uhr, Treffpunkt: Parkplatz „Am Bärensee“ 🐻"
    p = parse_gathering(text, now=NOW, tz="Europe/Berlin")
    assert p.place is not None and p.place in text


def test_languages_restrict_the_choice() -> None:
    p = parse_gathering("Treffen morgen 10 Uhr", now=NOW, tz="Europe/Berlin", languages=["de", "en"])
    assert p.language == "de"
    p = parse_gathering("Treffen morgen 10 Uhr", now=NOW, tz="Europe/Berlin", languages=["de-AT"])
    assert p.language == "de"


def test_language_is_detected_among_the_supported_eight() -> None:
    cases = {
        "Nettoyage de la plage samedi à 10h": "fr",
        "Limpieza de la playa el sábado a las 10": "es",
        "Pulizia della spiaggia sabato alle 10": "it",
        "Limpeza da praia no sábado às 10h": "pt",
        "Strandopruiming zaterdag om 10 uur": "nl",
        "Strandrensning lørdag kl. 10": "da",
        "Strandreinigung am Samstag um 10 Uhr": "de",
        "Beach clean on Saturday at 10am": "en",
    }
    for text, code in cases.items():
        assert parse_gathering(text, now=NOW, tz="Europe/London").language == code, text


def test_next_weekday_keyword_chooses_the_reading_of_next_saturday() -> None:
    coming = parse_gathering("Beach clean next Saturday 10am", now=NOW, tz="Europe/London")
    following = parse_gathering("Beach clean next Saturday 10am", now=NOW, tz="Europe/London",
                                next_weekday="following")
    assert coming.starts_at.day == 21
    assert following.starts_at.day == 28
