"""Meeting points and headcounts."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.parsing import Ambiguity, ParsedGathering, ParseProblem, parse_gathering

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("Europe/London"))  # Wednesday


def parse(text: str, tz: str = "Europe/London") -> ParsedGathering:
    return parse_gathering(text, now=NOW, tz=tz)


@pytest.mark.parametrize(
    ("text", "tz", "place"),
    [
        ("Beach clean at Portobello beach, Saturday 10am", "Europe/London", "Portobello beach"),
        ("Litter pick Saturday 10am. Meet in Ladybridge Park.", "Europe/London",
         "Ladybridge Park"),
        ("Litter pick Saturday 10am outside the City Observatory", "Europe/London",
         "outside the City Observatory"),
        ("Litter pick Saturday 10am near the old mill", "Europe/London", "near the old mill"),
        ("Litter pick Saturday 10am. Location: Victoria Park, east gate", "Europe/London",
         "Victoria Park, east gate"),
        ("Pillow fight tomorrow! 2pm @ Union Square.", "Europe/London", "Union Square"),
        ("Müllsammeln Samstag 10 Uhr, Treffpunkt: Bahnhofsvorplatz", "Europe/Berlin",
         "Bahnhofsvorplatz"),
        ("Wir treffen uns am Samstag um 16:00 Uhr gegenüber dem Bauhof Algermissen.", "Europe/Berlin",
         "gegenüber dem Bauhof Algermissen"),
        ("Nettoyage samedi 10h. Rendez-vous devant l'école de voile.", "Europe/Paris",
         "devant l'école de voile"),
        ("El sábado a las 11.30 horas. Punto de encuentro: el Auditorio de Caranza.",
         "Europe/Madrid", "el Auditorio de Caranza"),
        ("Sabato alle 8, ritrovo presso il Municipio, in piazza Italia.", "Europe/Rome",
         "il Municipio, in piazza Italia"),
        ("Sábado às 8h, ponto de encontro: Praça do Pilar.", "America/Sao_Paulo",
         "Praça do Pilar"),
        ("Zaterdag om 10 uur, verzamelen bij de speeltuin.", "Europe/Amsterdam",
         "de speeltuin"),
        ("Lørdag kl. 12. Mødestedet er nedkørslen til Sønderstrand.", "Europe/Copenhagen",
         "nedkørslen til Sønderstrand"),
    ],
)
def test_place_cues_in_each_language(text: str, tz: str, place: str) -> None:
    assert parse(text, tz).place == place


def test_the_meeting_point_wins_over_the_activity_area() -> None:
    p = parse("Workday in the wood in Lordship Rec on Saturday. We meet at the Downhills Park "
              "Gate entrance at 10am.")
    assert p.place == "the Downhills Park Gate entrance"


def test_the_meeting_point_wins_over_the_organiser() -> None:
    p = parse("Organised by Friends of Abney Park: litter pick Saturday 10am, meet at the front "
              "entrance on Stoke Newington High Street")
    assert p.place == "the front entrance on Stoke Newington High Street"


def test_an_address_is_kept_whole() -> None:
    p = parse("Volunteers will meet at Samuels Square Park, 2100 Napoleon Ave., at 9 a.m. "
              "on Saturday")
    assert p.place == "Samuels Square Park, 2100 Napoleon Ave."


@pytest.mark.parametrize(
    ("text", "tz", "needed"),
    [
        ("Beach clean Saturday 10am, need 20 people", "Europe/London", 20),
        ("20 volunteers wanted for Saturday 10am", "Europe/London", 20),
        ("Beach clean Saturday 10am, we need ten helpers", "Europe/London", 10),
        ("Müllsammeln Samstag 10 Uhr, wir brauchen noch zwanzig Helfer", "Europe/Berlin", 20),
        ("Nettoyage samedi 10h, on cherche 15 bénévoles", "Europe/Paris", 15),
        ("Limpieza el sábado a las 10, necesitamos veinte voluntarios", "Europe/Madrid", 20),
        ("Pulizia sabato alle 10, servono 10 volontari", "Europe/Rome", 10),
        ("Mutirão sábado às 8h, precisamos de 12 voluntários", "America/Sao_Paulo", 12),
        ("Opruimen zaterdag om 10 uur, 8 vrijwilligers nodig", "Europe/Amsterdam", 8),
        ("Strandrensning lørdag kl. 10, vi mangler fem frivillige", "Europe/Copenhagen", 5),
        ("Pflanztag Samstag 10 Uhr. Bereits belegte Plätze: 11/50.", "Europe/Berlin", 50),
    ],
)
def test_headcounts_in_each_language(text: str, tz: str, needed: int) -> None:
    assert parse(text, tz).needed == needed


@pytest.mark.parametrize(
    ("text", "tz", "target", "capacity"),
    [
        ("Looking for up to 9 more for Saturday 10am", "Europe/London", None, 9),
        ("Four to six people to help on Saturday 10am", "Europe/London", 4, 6),
        ("Food bank Saturday 10am: looking for 40 to 60 volunteers", "Europe/London", 40, 60),
        ("Beach clean Saturday 10am, max 30", "Europe/London", None, 30),
        ("Bürgerfest Samstag: 5 bis 10 Helfer gesucht", "Europe/Berlin", 5, 10),
        ("Litter pick Saturday 10am at the beach, need 10, max 20", "Europe/London", 10, 20),
        ("Beach clean Saturday 10am, at least 10, no more than 20", "Europe/London", 10, 20),
        ("Choir Thursday 7pm at the hall, up to 15 singers", "Europe/London", None, 15),
        ("Moving day Saturday 2pm, 5-6 strong people", "Europe/London", 5, 6),
        ("Baumpflanzung Samstag 10 Uhr, mindestens 8 Helfer", "Europe/Berlin", 8, None),
        ("Plantation samedi 10h au parc, au moins 5 personnes, maximum 12", "Europe/Paris", 5,
         12),
        ("Planting Saturday 9am at Meadow Park, 200+ people", "Europe/London", 200, None),
        ("Quiz Friday 8pm at the Crown, 3 ppl short", "Europe/London", 3, None),
        ("Parkrun Saturday 9am at Bushy Park, 4 marshals please", "Europe/London", 4, None),
        ("Collecte samedi 10h au Carrefour, 10 bénévoles", "Europe/Paris", 10, None),
        ("Bike repair day Saturday 10am at the hub, need 3 mechanics", "Europe/London", 3,
         None),
        ("Repair Café Samstag 14 Uhr im Gemeindehaus, 3 Elektriker gesucht", "Europe/Berlin",
         3, None),
        ("Sinterklaas zaterdag 14 uur in De Boog, we hebben 6 hulppieten nodig",
         "Europe/Amsterdam", 6, None),
        ("Community lunch Saturday 12pm at the hall, we have 30 chairs", "Europe/London", None,
         None),
        ("Garden tidy Saturday 10am at the allotments, 12 years running!", "Europe/London",
         None, None),
        ("Run Saturday 9am in the park, 5 km for everyone", "Europe/London", None, None),
    ],
)
def test_a_minimum_is_the_target_and_a_maximum_the_capacity(
        text: str, tz: str, target: int | None, capacity: int | None) -> None:
    p = parse(text, tz)
    assert (p.needed, p.capacity) == (target, capacity)
    assert p.place is None or not any(ch.isdigit() for ch in p.place)


def test_a_headcount_range_reports_its_reading() -> None:
    p = parse("Beach clean Saturday 10am, 5-10 volunteers needed")
    assert (p.needed, p.capacity) == (5, 10)
    assert Ambiguity("needed", ParseProblem("range", {"low": 5, "high": 10})) in p.ambiguities
