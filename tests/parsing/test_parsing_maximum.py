"""A stated maximum ("höchstens 8 Leute", "au maximum 8", "højst 8") is the capacity, not a
target: the parser returns it as `capacity` and `needed` stays empty."""

import pytest

from tests.parsing.languages import parse


def needed(text: str, lang: str) -> int | None:
    return parse(text, lang).needed


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Pottery workshop Saturday 2pm at the studio, no more than 8 people"),
        ("en", "Pottery workshop Saturday 2pm at the studio, at most 8 people"),
        ("en", "Pottery workshop Saturday 2pm at the studio, 8 people max"),
        ("en", "Pottery workshop Saturday 2pm at the studio, maximum of 8 people"),
        ("de", "Töpferkurs Samstag 14 Uhr im Atelier, höchstens 8 Leute"),
        ("de", "Töpferkurs Samstag 14 Uhr im Atelier, maximal 8 Leute"),
        ("de", "Töpferkurs Samstag 14 Uhr im Atelier, max. 8"),
        ("de", "Töpferkurs Samstag 14 Uhr im Atelier, höchstens 8"),
        ("de", "Töpferkurs Samstag 14 Uhr im Atelier, nicht mehr als 8 Personen"),
        ("fr", "Atelier poterie samedi 14h à l'atelier, au maximum 8 personnes"),
        ("fr", "Atelier poterie samedi 14h à l'atelier, pas plus de 8 personnes"),
        ("fr", "Atelier poterie samedi 14h à l'atelier, 8 personnes maximum"),
        ("es", "Taller de cerámica el sábado a las 17h, como máximo 8 personas"),
        ("es", "Taller de cerámica el sábado a las 17h, máx. 8 personas"),
        ("es", "Taller de cerámica el sábado a las 17h, no más de 8 personas"),
        ("it", "Laboratorio di ceramica sabato alle 15, massimo 8 persone"),
        ("it", "Laboratorio di ceramica sabato alle 15, al massimo 8 persone"),
        ("it", "Laboratorio di ceramica sabato alle 15, non più di 8 persone"),
        ("pt", "Oficina de cerâmica sábado às 15h, no máximo 8 pessoas"),
        ("pt", "Oficina de cerâmica sábado às 15h, máx. 8 pessoas"),
        ("pt", "Oficina de cerâmica sábado às 15h, 8 pessoas no máximo"),
        ("nl", "Pottenbakken zaterdag om 14 uur, hooguit 8 mensen"),
        ("nl", "Pottenbakken zaterdag om 14 uur, maximaal 8 personen"),
        ("nl", "Pottenbakken zaterdag om 14 uur, niet meer dan 8 mensen"),
        ("da", "Keramikværksted lørdag kl. 14, højst 8 personer"),
        ("da", "Keramikværksted lørdag kl. 14, maks. 8 personer"),
        ("da", "Keramikværksted lørdag kl. 14, plads til 8 personer"),
    ],
)
def test_a_maximum_is_the_capacity(lang: str, text: str) -> None:
    p = parse(text, lang)
    assert (p.needed, p.capacity) == (None, 8)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Töpferkurs Samstag 14 Uhr im Atelier, dauert höchstens 2 Stunden"),
        ("en", "Book club Thursday 7pm, no more than 5 minutes from the station"),
        ("da", "Keramikværksted lørdag kl. 14, plads til 8 biler på parkeringspladsen"),
        ("nl", "Pottenbakken zaterdag om 14 uur, hooguit 2 uur"),
    ],
)
def test_a_maximum_of_something_else_is_not_a_headcount(lang: str, text: str) -> None:
    p = parse(text, lang)
    assert (p.needed, p.capacity) == (None, None)
