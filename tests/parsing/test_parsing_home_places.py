"""A place that is someone's home is kept as written: "bei Anna", "chez moi", "at Sam's"."""

import pytest

from tests.parsing.languages import parse


@pytest.mark.parametrize(
    ("lang", "text", "place"),
    [
        ("en", "Board games Friday 7pm at Sam's", "at Sam's"),
        ("en", "Book club Thursday 7pm at mine, bring a bottle", "at mine"),
        ("en", "Potluck Saturday 6pm at my place", "at my place"),
        ("en", "Planning meeting Tuesday 7pm at Jo's house, bring snacks", "at Jo's house"),
        ("en", "Knitting circle Monday 2pm, meet at Margaret's", "at Margaret's"),
        ("de", "Spieleabend Freitag 19 Uhr bei Anna", "bei Anna"),
        ("de", "Plenum Donnerstag 19 Uhr bei mir", "bei mir"),
        ("de", "Nähtreff Samstag 14 Uhr bei uns zu Hause", "bei uns zu Hause"),
        ("de", "Kochabend Freitag 19 Uhr bei Jan und Lisa, bringt Wein mit", "bei Jan und Lisa"),
        ("fr", "Soirée jeux samedi 20h chez moi", "chez moi"),
        ("fr", "Apéro vendredi 19h chez Julie, ramenez à boire", "chez Julie"),
        ("fr", "Réunion du collectif jeudi 18h30 chez nous", "chez nous"),
        ("es", "Cena de vecinos el sábado a las 21h en casa de Ana", "en casa de Ana"),
        ("es", "Reunión el jueves a las 19h en mi casa", "en mi casa"),
        ("es", "Juegos de mesa viernes 20h en casa de Pablo y Lucía", "en casa de Pablo y Lucía"),
        ("it", "Cena sociale sabato alle 20 a casa di Marco", "a casa di Marco"),
        ("it", "Riunione giovedì alle 21 da me", "da me"),
        ("it", "Serata giochi venerdì alle 21 da Giulia", "da Giulia"),
        ("it", "Prove domenica alle 17 a casa mia", "a casa mia"),
        ("pt", "Jantar comunitário sábado às 20h na casa da Ana", "na casa da Ana"),
        ("pt", "Reunião quinta às 19h lá em casa", "lá em casa"),
        ("pt", "Noite de jogos sexta às 20h em casa do João", "em casa do João"),
        ("nl", "Spelletjesavond vrijdag om 20 uur bij Anna", "bij Anna"),
        ("nl", "Vergadering donderdag om 19.30 uur bij mij thuis", "bij mij thuis"),
        ("nl", "Borrel zaterdag om 17 uur bij ons", "bij ons"),
        ("da", "Spilleaften fredag kl. 19 hos Mette", "hos Mette"),
        ("da", "Bestyrelsesmøde torsdag kl. 19 hos mig", "hos mig"),
        ("da", "Fællesspisning lørdag kl. 18 hjemme hos Peter", "hjemme hos Peter"),
    ],
)
def test_a_home_is_kept_with_its_preposition(lang: str, text: str, place: str) -> None:
    assert parse(text, lang).place == place


@pytest.mark.parametrize(
    ("lang", "text", "place"),
    [
        ("en", "Carol singing Saturday 6pm at St John's church", "St John's church"),
        ("en", "Litter pick Saturday 10am at the park gates", "the park gates"),
        ("it", "Pedalata sabato alle 10, partenza da Piazza Duomo", "Piazza Duomo"),
        ("nl", "Opruimen zaterdag om 10 uur, verzamelen bij de speeltuin", "de speeltuin"),
        ("it", "Pedalata sabato alle 10, partenza da Milano", "Milano"),
        ("es", "Taller el sábado a las 11 en la Casa de Cultura", "la Casa de Cultura"),
        (
            "nl",
            "Repair Café bij Sporthal de Mossendam op zaterdag 12 december om 10 uur",
            "bij Sporthal de Mossendam",
        ),
    ],
)
def test_other_places_are_unchanged(lang: str, text: str, place: str) -> None:
    assert parse(text, lang).place == place


def test_a_weather_clause_is_not_a_home() -> None:
    p = parse("Grillfest Samstag 18 Uhr im Garten, bei Regen im Gemeindehaus", "de")
    assert p.place is not None and not p.place.startswith("bei")


def test_a_home_mentioned_later_does_not_replace_the_meeting_point() -> None:
    p = parse("Beach clean at Portobello beach Saturday 10am, drinks after at Sam's", "en")
    assert p.place == "Portobello beach"
