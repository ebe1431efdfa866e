"""Parts of the day ("Saturday morning", "demain soir", "Samstagvormittag") set an assumed
time, reported as a `time` ambiguity; a clock time written anywhere always wins."""

import pytest

from core.parsing import ParsedGathering
from tests.parsing.languages import parse


def assumed(p: ParsedGathering) -> bool:
    return any(a.field == "time" and a.code == "assumed_time" for a in p.ambiguities)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Beach clean Saturday morning at Portobello beach", "2026-11-21 09:00"),
        ("en", "Litter pick Sunday afternoon, meet at the park gates", "2026-11-22 14:00"),
        ("en", "Pub quiz Friday evening at the Red Lion", "2026-11-20 19:00"),
        ("en", "Pub quiz tonight at the Red Lion", "2026-11-18 19:00"),
        ("en", "Bonfire on Saturday night at the allotments", "2026-11-21 20:00"),
        ("en", "Coffee morning tomorrow morning at the church hall", "2026-11-19 09:00"),
        ("en", "Tree planting Sat morning, meet at the car park", "2026-11-21 09:00"),
        ("de", "Müllsammeln Samstagvormittag am Bahnhof", "2026-11-21 10:00"),
        ("de", "Kuchenbasar Sonntagnachmittag im Gemeindehaus", "2026-11-22 14:00"),
        ("de", "Plenum Freitagabend im Café Kante", "2026-11-20 19:00"),
        ("de", "Plenum morgen Abend im Café Kante", "2026-11-19 19:00"),
        ("de", "Frühstück am Samstagmorgen im Garten", "2026-11-21 09:00"),
        ("de", "Laubharken am Samstag vormittags am Spielplatz", "2026-11-21 10:00"),
        ("fr", "Apéro demain soir chez Julie", "2026-11-19 19:00"),
        ("fr", "Nettoyage samedi matin devant la mairie", "2026-11-21 09:00"),
        ("fr", "Goûter dimanche après-midi à la salle des fêtes", "2026-11-22 14:00"),
        ("fr", "Réunion ce soir au local", "2026-11-18 19:00"),
        ("es", "Limpieza de playa el sábado por la mañana en la Barceloneta", "2026-11-21 10:00"),
        ("es", "Merienda el domingo por la tarde en el parque", "2026-11-22 17:00"),
        ("es", "Cena mañana por la noche en casa de Ana", "2026-11-19 21:00"),
        ("es", "Reunión esta tarde en el local", "2026-11-18 17:00"),
        ("it", "Pulizia del parco sabato mattina, ritrovo all'ingresso", "2026-11-21 09:00"),
        ("it", "Merenda domenica pomeriggio in oratorio", "2026-11-22 15:00"),
        ("it", "Cena domani sera da Giulia", "2026-11-19 20:00"),
        ("it", "Assemblea stasera al circolo", "2026-11-18 20:00"),
        ("it", "Aperitivo venerdì sera da Luca, massimo 10 persone", "2026-11-20 20:00"),
        ("pt", "Mutirão sábado de manhã na praça", "2026-11-21 09:00"),
        ("pt", "Lanche domingo à tarde no parque", "2026-11-22 14:00"),
        ("pt", "Jantar amanhã à noite na casa da Ana", "2026-11-19 19:00"),
        ("pt", "Reunião hoje à noite no salão", "2026-11-18 19:00"),
        ("nl", "Zwerfafval prikken zaterdagochtend bij de speeltuin", "2026-11-21 09:00"),
        ("nl", "Koffie zondagmiddag in het buurthuis", "2026-11-22 14:00"),
        ("nl", "Borrel vrijdagavond in de kantine", "2026-11-20 19:00"),
        ("nl", "Vergadering morgenavond in het buurthuis", "2026-11-19 19:00"),
        ("nl", "Opruimen zaterdag 's ochtends bij de kerk", "2026-11-21 09:00"),
        ("da", "Strandrensning lørdag formiddag ved stranden", "2026-11-21 10:00"),
        ("da", "Kaffe søndag eftermiddag i haven", "2026-11-22 14:00"),
        ("da", "Fællesspisning fredag aften i forsamlingshuset", "2026-11-20 19:00"),
        ("da", "Møde i aften i kælderen", "2026-11-18 19:00"),
        ("da", "Møde i morgen aften i kælderen", "2026-11-19 19:00"),
    ],
)
def test_a_part_of_the_day_sets_an_assumed_time(lang: str, text: str, expected: str) -> None:
    p = parse(text, lang)
    assert p.has_time
    assert p.starts_at.strftime("%Y-%m-%d %H:%M") == expected
    assert assumed(p)


@pytest.mark.parametrize(
    ("lang", "text", "title"),
    [
        ("en", "Saturday morning: beach clean at Portobello beach", "Beach clean"),
        ("de", "Samstagvormittag Müllsammeln am Bahnhof", "Müllsammeln"),
        ("es", "Sábado por la mañana: limpieza de playa en la Barceloneta", "Limpieza de playa"),
        ("nl", "Zaterdagochtend zwerfafval prikken bij de speeltuin", "Zwerfafval prikken"),
    ],
)
def test_the_part_of_the_day_is_not_part_of_the_title(lang: str, text: str, title: str) -> None:
    assert parse(text, lang).title == title


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Pub quiz Friday evening, 8pm at the Red Lion", "20:00"),
        ("en", "Beach clean Saturday morning, 10.30 start", "10:30"),
        ("de", "Müllsammeln Samstagvormittag um 10:30 am Bahnhof", "10:30"),
        ("fr", "Apéro demain soir à 20h chez Julie", "20:00"),
        ("es", "Merienda el domingo por la tarde a las 6", "18:00"),
        ("pt", "Mutirão sábado de manhã, às 8h, na praça", "08:00"),
    ],
)
def test_a_written_time_wins_over_the_part_of_the_day(lang: str, text: str, expected: str) -> None:
    p = parse(text, lang)
    assert p.starts_at.strftime("%H:%M") == expected
    assert not assumed(p)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Morning all! Beach clean Saturday, meet at the slipway"),
        ("en", "Coffee morning Saturday at the church hall"),
        ("de", "Guten Morgen! Müllsammeln am Samstag am Bahnhof"),
        ("es", "Limpieza de playa el sábado. Mañana os mando los detalles"),
        ("en", "Beach clean Saturday. Afternoon tea afterwards at the café"),
        ("es", "El sábado tarde de juegos en el local"),  # "tarde de juegos" is the event
        ("de", "Samstag Abendessen im Garten"),
        ("it", "Serata giochi venerdì al circolo"),
    ],
)
def test_a_part_of_the_day_away_from_the_date_sets_no_time(lang: str, text: str) -> None:
    assert parse(text, lang).has_time is False


def test_a_part_of_the_day_with_an_end_time() -> None:
    p = parse("Litter pick Saturday morning until 12, meet at the gates", "en")
    assert p.starts_at.strftime("%H:%M") == "09:00"
    assert p.ends_at is not None and p.ends_at.strftime("%H:%M") == "12:00"


def test_tonight_posted_in_the_evening_starts_at_the_next_full_hour() -> None:
    p = parse("Pub quiz tonight at the Red Lion", "en", now=(2026, 11, 18, 19, 20))
    assert p.starts_at.strftime("%Y-%m-%d %H:%M") == "2026-11-18 20:00"
    assert assumed(p)


def test_a_weekday_morning_that_is_over_moves_a_week() -> None:
    # posted on Saturday 21 November at 13:00
    p = parse("Litter pick Saturday morning, meet at the gates", "en", now=(2026, 11, 21, 13, 0))
    assert p.starts_at.strftime("%Y-%m-%d %H:%M") == "2026-11-28 09:00"
