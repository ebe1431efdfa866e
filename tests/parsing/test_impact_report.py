"""Reading an organiser's report: people who came and counted things, in the eight languages.

Pure: `read_report(text, language)`; several phrasings per language, and what must count
nothing."""

from __future__ import annotations

import pytest

from core.parsing.impact_report import key, read_report
from core.words import i18n

# (language, text, people, {noun as written: count})
CASES = [
    ("en", "14 came, 32 bags and a shopping trolley", 14, {"bags": 32, "shopping trolley": 1}),
    ("en", "about 20 of us, 3 bins", 20, {"bins": 3}),
    ("en", "We had a great time! 14 people came", 14, {}),
    ("en", "32 bags of litter were collected by 10 volunteers", 10, {"bags": 32}),
    ("en", "there were 25 of us. 40 bags, 2 tyres + a fridge", 25,
     {"bags": 40, "tyres": 2, "fridge": 1}),
    ("en", "14", 14, {}),
    ("de", "12 Leute, 25 Säcke", 12, {"Säcke": 25}),
    ("de", "Wir waren 12, 25 Säcke Müll und ein Einkaufswagen", 12,
     {"Säcke": 25, "Einkaufswagen": 1}),
    ("de", "Es kamen etwa 30 Helfer und wir haben 50 Säcke gesammelt", 30, {"Säcke": 50}),
    ("fr", "15 personnes, 30 sacs de déchets et un frigo", 15, {"sacs": 30, "frigo": 1}),
    ("fr", "Nous étions 15, 30 sacs et 2 pneus", 15, {"sacs": 30, "pneus": 2}),
    ("fr", "Environ 20 bénévoles, 12 sacs", 20, {"sacs": 12}),
    ("es", "Vinieron 18 personas, 40 bolsas y un colchón", 18, {"bolsas": 40, "colchón": 1}),
    ("es", "Éramos 12, 25 bolsas de basura", 12, {"bolsas": 25}),
    ("es", "unos 30 voluntarios y 8 neumáticos", 30, {"neumáticos": 8}),
    ("it", "Eravamo 9, 22 sacchi e una bicicletta", 9, {"sacchi": 22, "bicicletta": 1}),
    ("it", "14 persone, 32 sacchi di rifiuti", 14, {"sacchi": 32}),
    ("it", "circa 20 volontari e 3 carrelli", 20, {"carrelli": 3}),
    ("pt", "Vieram 11 pessoas, 19 sacos e um pneu", 11, {"sacos": 19, "pneu": 1}),
    ("pt", "Éramos 14, 32 sacos de lixo", 14, {"sacos": 32}),
    ("pt", "cerca de 25 voluntários e 7 árvores", 25, {"árvores": 7}),
    ("nl", "12 mensen, 30 zakken en een winkelwagen", 12, {"zakken": 30, "winkelwagen": 1}),
    ("nl", "We waren met 15, 20 zakken vol afval", 15, {"zakken": 20}),
    ("nl", "ongeveer 25 vrijwilligers en 4 fietsen", 25, {"fietsen": 4}),
    ("da", "Vi var 8, 17 sække og en cykel", 8, {"sække": 17, "cykel": 1}),
    ("da", "14 personer, 32 sække affald", 14, {"sække": 32}),
    ("da", "omkring 20 frivillige og 5 dæk", 20, {"dæk": 5}),
]


# The way organisers really write: separators in numbers, weights with a fraction, a time or
# a date next to the figures, numbers in words, pasted markup.
WRITTEN_FOR_REAL = [
    ("en", "1,200 items", None, {"items": 1200}),
    ("en", "18 volunteers, 120kg of litter, 1,200 cigarette butts", 18,
     {"kg": 120, "cigarette butts": 1200}),
    ("en", "3.5 tonnes of litter", None, {"tonnes": 3.5}),
    ("de", "3,5 Tonnen Müll, 1.200 Kronkorken", None, {"Tonnen": 3.5, "Kronkorken": 1200}),
    ("fr", "on était une trentaine, 45,5 kg de déchets", 30, {"kg": 45.5}),
    ("en", "14 came at 10, 32 bags", 14, {"bags": 32}),
    ("en", "14 came on 28/11, 32 bags", 14, {"bags": 32}),
    ("en", "14 came at 10:30, 32 bags", 14, {"bags": 32}),
    ("en", "twelve people, ten bags", 12, {"bags": 10}),
    ("en", "a dozen of us filled 40 bags", 12, {"bags": 40}),
    ("en", "40 bags and 2 tyres between 15 of us", 15, {"bags": 40, "tyres": 2}),
    ("en", "<b>14</b> came, 32 <b>bags</b>", 14, {"bags": 32}),
    ("en", "0 bags, 5 people", 5, {}),
    ("de", "Wir waren zu zwölft und haben 25 Säcke gefüllt", 12, {"Säcke": 25}),
    ("de", "Es kamen ein Dutzend Leute", 12, {}),
    ("fr", "une vingtaine de bénévoles, 30 sacs", 20, {"sacs": 30}),
    ("es", "Éramos unos veinte y llenamos 35 bolsas", 20, {"bolsas": 35}),
    ("it", "Eravamo una ventina, 40 sacchi", 20, {"sacchi": 40}),
    ("pt", "Vieram umas vinte pessoas, 19 sacos", 20, {"sacos": 19}),
    ("nl", "We waren met z'n 12 en vulden 30 zakken", 12, {"zakken": 30}),
    ("da", "Vi var tolv, 17 sække", 12, {"sække": 17}),
    ("en", "10 of us had a great time", 10, {}),
    ("en", "14 came, we had a lovely morning and 32 bags", 14, {"bags": 32}),
    ("en", "Had a blast, 12 people, a few bags", 12, {}),
    ("en", "twenty of us and a fridge", 20, {"fridge": 1}),
    ("de", "zwölf Leute und ein Einkaufswagen", 12, {"Einkaufswagen": 1}),
    ("en", "Approx 20 ppl, 30 bags", 20, {"bags": 30}),
    ("en", "Great turnout - 30+ people and 50ish bags", 30, {"bags": 50}),
    ("en", "A team of 8, 12 bags", 8, {"bags": 12}),
    ("it", "Siamo stati in 20, raccolti 35 sacchi di plastica", 20, {"sacchi": 35}),
]


@pytest.mark.parametrize(("language", "text", "people", "things"), CASES + WRITTEN_FOR_REAL)
def test_people_and_counted_things(
    language: str, text: str, people: int | None, things: dict[str, float]
) -> None:
    figures = read_report(text, language)
    assert figures.people == people, figures
    assert dict(figures.things) == things, figures


@pytest.mark.parametrize(
    "text",
    [
        "it went really well, thanks!",
        "We had a great time",
        "a lot of rain but a lovely day",
        "it took 2 hours",
        "",
    ],
)
def test_nothing_countable_counts_nothing(text: str) -> None:
    assert read_report(text, "en").empty


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_example_the_question_gives_is_read(language: str) -> None:
    figures = read_report(i18n.text(language, "impact.ask_example"), language)
    assert figures.people == (12 if language == "de" else 14) and len(figures.things) == 2


def test_singular_and_plural_share_a_key() -> None:
    pairs = [("bags", "bag"), ("Säcke", "Sack"), ("zakken", "zak"), ("boxes", "box"),
             ("sække", "sæk"), ("shopping trolleys", "shopping trolley"), ("bottles", "bottle")]
    for plural, singular in pairs:
        assert key(plural) == key(singular), (plural, singular)
    assert key("bags") != key("bins")


def test_hostile_and_huge_input_stays_bounded() -> None:
    figures = read_report("9" * 50 + " bags, " + ", ".join(f"{i} thing{i}" for i in range(99)), "en")
    assert all(count <= 1_000_000 for _, count in figures.things)
    assert len(figures.things) <= 20



@pytest.mark.parametrize("text", ["² bags", "①② bags, 5 people", "5 ⁵ bags", "١٤ people"])
def test_digits_int_cannot_read_do_not_crash(text: str) -> None:
    figures = read_report(text, "en")
    assert all(isinstance(count, int | float) for _, count in figures.things)
