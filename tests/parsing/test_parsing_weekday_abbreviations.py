"""Abbreviated weekdays written with a time ("Sa 9:30", "weds 7pm", "lør kl. 10")."""

import pytest

from tests.parsing.languages import parse


def start(text: str, lang: str) -> str:
    p = parse(text, lang)  # on a Wednesday
    assert p.has_time
    return p.starts_at.strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Quiz night weds 7pm at the Crown", "2026-11-18 19:00"),
        ("en", "Book club Thurs 6.30pm in the library", "2026-11-19 18:30"),
        ("en", "Litter pick Sat at 10am, meet at the gates", "2026-11-21 10:00"),
        ("en", "Choir practice Tues 7.30pm", "2026-11-24 19:30"),
        ("en", "Bake sale Fri @ 3pm in the school hall", "2026-11-20 15:00"),
        ("de", "Müllsammeln Sa 9:30 am Bahnhof", "2026-11-21 09:30"),
        ("de", "Kuchenbasar So. 14 Uhr im Gemeindehaus", "2026-11-22 14:00"),
        ("de", "Plenum Mi. um 19 Uhr im Café Kante", "2026-11-18 19:00"),
        ("de", "Lauftreff Do ab 18:30 am Parkplatz", "2026-11-19 18:30"),
        ("fr", "Nettoyage sam. 10h devant la mairie", "2026-11-21 10:00"),
        ("fr", "Réunion mer. à 18h30 au local", "2026-11-18 18:30"),
        ("fr", "Atelier vélo dim. à 14h, rdv au garage", "2026-11-22 14:00"),
        ("es", "Limpieza sáb 10h en la playa", "2026-11-21 10:00"),
        ("es", "Reunión mié. a las 19:00 en el local", "2026-11-18 19:00"),
        ("es", "Taller de bicis jue a las 18h", "2026-11-19 18:00"),
        ("it", "Pulizia sab 9:30 al parco", "2026-11-21 09:30"),
        ("it", "Riunione mer ore 21 in sede", "2026-11-18 21:00"),
        ("it", "Prove coro gio. alle 21", "2026-11-19 21:00"),
        ("pt", "Mutirão sáb 8h na praça", "2026-11-21 08:00"),
        ("pt", "Reunião qua às 19h na sede", "2026-11-18 19:00"),
        ("pt", "Feira de trocas dom. às 9h", "2026-11-22 09:00"),
        ("nl", "Opruimen za 10u bij de speeltuin", "2026-11-21 10:00"),
        ("nl", "Vergadering wo om 20 uur in het buurthuis", "2026-11-18 20:00"),
        ("nl", "Koorrepetitie di. 19.30 in de kerk", "2026-11-24 19:30"),
        ("da", "Strandrensning lør kl. 10 ved stranden", "2026-11-21 10:00"),
        ("da", "Bestyrelsesmøde ons kl. 19", "2026-11-18 19:00"),
        ("da", "Fællesspisning tors kl 18 i salen", "2026-11-19 18:00"),
        ("pt", "Bazar sáb das 9h às 13h na igreja", "2026-11-21 09:00"),
        ("en", "Garden workday Sat from 10am at the allotments", "2026-11-21 10:00"),
        ("es", "Cena solidaria vie. por la noche en casa de Carmen", "2026-11-20 21:00"),
        ("en", "Tree planting Sat morning at the car park", "2026-11-21 09:00"),
    ],
)
def test_abbreviated_weekday_with_a_time(lang: str, text: str, expected: str) -> None:
    assert start(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Wir grillen so um 18 Uhr am See"),  # "so um" is "about", not Sunday
        ("pt", "Vamos ter às 10h uma conversa sobre a horta"),  # "ter" is "to have"
        ("nl", "Het is zo om 10 uur klaar"),  # "zo om" is "about"
    ],
)
def test_a_short_word_that_is_also_a_common_word_is_not_a_weekday(lang: str, text: str) -> None:
    # no day at all: the clock time is today's (still ahead at 09:00), not Sunday's or Tuesday's
    assert start(text, lang)[:10] == "2026-11-18"
    assert "today" in [a.code for a in parse(text, lang).ambiguities]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Picnic in the sun at 2pm on Saturday at the park", "2026-11-21 14:00"),
        ("fr", "Baignade à la mer à 10h samedi, rdv au poste de secours", "2026-11-21 10:00"),
        ("es", "Limpieza junto al mar a las 10 el sábado", "2026-11-21 10:00"),
        ("da", "Så mødes man kl. 10 på lørdag ved havnen", "2026-11-21 10:00"),
        ("de", "Grillen So. um 18 Uhr am See", "2026-11-22 18:00"),  # with its dot it is Sunday
    ],
)
def test_the_sea_the_sun_and_one_are_not_weekdays_before_a_time(
    lang: str, text: str, expected: str
) -> None:
    assert start(text, lang) == expected
