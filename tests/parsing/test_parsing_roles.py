"""Roles with their own counts: two or more people nouns, each with a number, in the list the
headcount is read from ("need 15 pickers, 2 drivers and a first-aider"). "a"/"an"/"one" and
their kin count 1; one noun alone stays the plain target; the target is the sum of the roles.
Labelled in several phrasings per language."""

import pytest

from core.parsing import same_role, slug
from tests.parsing.languages import parse

Roles = list[tuple[str, int]]

CASES: list[tuple[str, str, Roles]] = [
    ("en", "Beach clean Saturday 10am at Portobello beach, need 15 pickers, 2 drivers and a "
     "first-aider", [("pickers", 15), ("drivers", 2), ("first-aider", 1)]),
    ("en", "Park tidy Sunday 2pm at Leith Links, 10 volunteers and 2 drivers needed",
     [("volunteers", 10), ("drivers", 2)]),
    ("en", "Soup kitchen Friday 6pm at St Mary's hall. We need 4 cooks, 6 helpers, and one "
     "driver", [("cooks", 4), ("helpers", 6), ("driver", 1)]),
    ("en", "Fun run Sunday 9am, looking for eight marshals & a medic",
     [("marshals", 8), ("medic", 1)]),
    ("de", "Strandputz Samstag 10 Uhr am Wannsee, wir brauchen 10 Helfer und 2 Fahrer",
     [("Helfer", 10), ("Fahrer", 2)]),
    ("de", "Flohmarkt Sonntag 9 Uhr im Hof, gesucht: 6 Helferinnen, 2 Fahrer und eine "
     "Sanitäterin", [("Helferinnen", 6), ("Fahrer", 2), ("Sanitäterin", 1)]),
    ("de", "Suppenküche Freitag 18 Uhr, wir suchen drei Köche und einen Fahrer",
     [("Köche", 3), ("Fahrer", 1)]),
    ("fr", "Nettoyage de plage samedi 10h à la plage du Prado, il faut 8 bénévoles et 1 "
     "secouriste", [("bénévoles", 8), ("secouriste", 1)]),
    ("fr", "Repas solidaire vendredi 18h, on cherche 4 cuisiniers, 2 chauffeurs et un "
     "secouriste", [("cuisiniers", 4), ("chauffeurs", 2), ("secouriste", 1)]),
    ("fr", "Course dimanche 9h, besoin de dix bénévoles et une secouriste",
     [("bénévoles", 10), ("secouriste", 1)]),
    ("es", "Limpieza de playa el sábado a las 10, necesitamos 12 voluntarios, 2 conductores y "
     "un socorrista", [("voluntarios", 12), ("conductores", 2), ("socorrista", 1)]),
    ("es", "Comedor social el viernes a las 18, buscamos 4 cocineros y una conductora",
     [("cocineros", 4), ("conductora", 1)]),
    ("it", "Pulizia della spiaggia sabato alle 10 a Ostia, servono 10 volontari, 2 autisti e "
     "un soccorritore", [("volontari", 10), ("autisti", 2), ("soccorritore", 1)]),
    ("it", "Mensa solidale venerdì alle 18, cerchiamo 3 cuochi e un'autista",
     [("cuochi", 3), ("autista", 1)]),
    ("pt", "Limpeza de praia sábado às 10h na praia de Carcavelos, precisamos de 10 "
     "voluntários e 2 motoristas", [("voluntários", 10), ("motoristas", 2)]),
    ("pt", "Cozinha solidária sexta às 18h, procuramos 4 cozinheiros, 1 motorista e um "
     "socorrista", [("cozinheiros", 4), ("motorista", 1), ("socorrista", 1)]),
    ("nl", "Strandopruiming zaterdag 10 uur in Scheveningen, we hebben 12 vrijwilligers, 2 "
     "chauffeurs en een EHBO'er nodig", [("vrijwilligers", 12), ("chauffeurs", 2),
                                         ("EHBO'er", 1)]),
    ("nl", "Buurtmaaltijd vrijdag 18 uur, we zoeken 3 koks en een chauffeur",
     [("koks", 3), ("chauffeur", 1)]),
    ("da", "Strandrydning lørdag kl. 10 ved Amager Strand, vi søger 10 frivillige og 2 "
     "chauffører", [("frivillige", 10), ("chauffører", 2)]),
    ("da", "Suppekøkken fredag kl. 18, vi mangler 3 kokke, en chauffør og en samarit",
     [("kokke", 3), ("chauffør", 1), ("samarit", 1)]),
    # the same street party in each language: number words, feminine forms, "and" before a
    ("en", "Street party Sunday noon on the square: need six volunteers, two cooks, and a "
     "photographer", [("volunteers", 6), ("cooks", 2), ("photographer", 1)]),
    ("de", "Straßenfest Sonntag 12 Uhr am Platz, wir brauchen 6 Freiwillige, zwei Köche und "
     "eine Fotografin", [("Freiwillige", 6), ("Köche", 2), ("Fotografin", 1)]),
    ("fr", "Fête de quartier dimanche 12h sur la place, on recrute 6 bénévoles, deux "
     "cuisinières et une photographe", [("bénévoles", 6), ("cuisinières", 2),
                                        ("photographe", 1)]),
    ("es", "Fiesta del barrio domingo a las 12 en la plaza, se necesitan 6 voluntarias, dos "
     "cocineras y una fotógrafa", [("voluntarias", 6), ("cocineras", 2), ("fotógrafa", 1)]),
    ("it", "Festa di quartiere domenica alle 12 in piazza, ci servono 6 volontari, due cuochi e "
     "un fotografo", [("volontari", 6), ("cuochi", 2), ("fotografo", 1)]),
    ("pt", "Festa do bairro domingo às 12h na praça, faltam 6 voluntários, duas cozinheiras e "
     "uma fotógrafa", [("voluntários", 6), ("cozinheiras", 2), ("fotógrafa", 1)]),
    ("nl", "Buurtfeest zondag 12 uur op het plein, we zoeken 6 vrijwilligers, twee koks en een "
     "fotograaf", [("vrijwilligers", 6), ("koks", 2), ("fotograaf", 1)]),
    ("da", "Gadefest søndag kl. 12 på torvet, vi har brug for 6 frivillige, to kokke og en "
     "fotograf", [("frivillige", 6), ("kokke", 2), ("fotograf", 1)]),
]


@pytest.mark.parametrize(("lang", "text", "roles"), CASES)
def test_people_nouns_with_numbers_are_roles_and_the_target_is_their_sum(
    lang: str, text: str, roles: Roles
) -> None:
    p = parse(text, lang)
    assert [(r.name, r.target) for r in p.roles] == roles
    assert p.needed == sum(n for _, n in roles)


@pytest.mark.parametrize(
    ("lang", "text", "needed"),
    [
        ("en", "Beach clean Saturday 10am at Portobello beach, need 20 people", 20),
        ("en", "Beach clean Saturday 10am, need 4 marshals please", 4),
        ("en", "Concert Friday 8pm, need 20 people, max 30", 20),
        ("en", "Beach clean Saturday 10am, need 10 people and 5 people", 10),
        ("de", "Strandputz Samstag 10 Uhr, wir brauchen 10 Helfer", 10),
        ("fr", "Nettoyage samedi 10h, il faut 10 bénévoles", 10),
        ("es", "Limpieza el sábado a las 10, necesitamos 8 voluntarios", 8),
        ("it", "Pulizia sabato alle 10, servono 8 volontari", 8),
        ("pt", "Limpeza sábado às 10h, precisamos de 8 voluntários", 8),
        ("nl", "Opruimen zaterdag 10 uur, 8 vrijwilligers nodig", 8),
        ("da", "Oprydning lørdag kl. 10, vi søger 8 frivillige", 8),
        # numbers that are no headcount do not start roles
        ("en", "Bake sale Saturday 10am, 2 tables and 3 chairs at the hall", None),
    ],
)
def test_one_people_noun_stays_the_plain_target(lang: str, text: str, needed: int | None) -> None:
    p = parse(text, lang)
    assert p.roles == ()
    assert p.needed == needed


def test_the_roles_list_is_neither_the_place_nor_the_title() -> None:
    p = parse("Beach clean Saturday 10am at Portobello beach, need 15 pickers, 2 drivers and "
              "a first-aider", "en")
    assert (p.title, p.place) == ("Beach clean", "Portobello beach")


@pytest.mark.parametrize(
    ("said", "name", "same"),
    [
        ("driver", "drivers", True),
        ("DRIVERS", "drivers", True),
        ("first aider", "first-aider", True),
        ("autista", "autisti", True),
        ("helfer", "Helferinnen", True),
        ("pickers", "drivers", False),
        ("cook", "cooks", True),
        ("co", "cooks", False),
    ],
)
def test_a_role_is_named_singular_or_plural_in_any_case(said: str, name: str, same: bool) -> None:
    assert same_role(said, name) is same


def test_a_role_slug_fits_a_button() -> None:
    assert slug("First aiders") == "first-aiders"
    assert slug("EHBO'er") == "ehbo-er"
    assert len(slug("x" * 60)) == 32
    assert len(slug("é" * 60).encode()) <= 40  # Telegram's button data is 64 bytes in all


OpenRoles = list[tuple[str, int | None]]

# A role for as many as come ("and lots of helpers") has no number and comes first: it is the
# general role a plain join takes, so that nobody becomes a driver by pressing "I'm in".
OPEN_CASES: list[tuple[str, str, OpenRoles]] = [
    ("en", "Food bank Saturday 10am at St Mark's, need 3 drivers, 1 cook and lots of helpers",
     [("helpers", None), ("drivers", 3), ("cook", 1)]),
    ("en", "Food bank Saturday 10am, need 2 drivers and as many volunteers as possible",
     [("volunteers", None), ("drivers", 2)]),
    ("en", "Fun run Sunday 9am, looking for plenty of marshals, a medic and 2 photographers",
     [("marshals", None), ("medic", 1), ("photographers", 2)]),
    ("de", "Tafel Samstag 10 Uhr, wir brauchen 3 Fahrer, einen Koch und viele Helfer",
     [("Helfer", None), ("Fahrer", 3), ("Koch", 1)]),
    ("fr", "Banque alimentaire samedi 10h, il nous faut 3 chauffeurs et beaucoup de bénévoles",
     [("bénévoles", None), ("chauffeurs", 3)]),
    ("es", "Banco de alimentos sábado a las 10, necesitamos 3 conductores y muchos voluntarios",
     [("voluntarios", None), ("conductores", 3)]),
    ("it", "Banco alimentare sabato alle 10, servono 3 autisti e tanti volontari",
     [("volontari", None), ("autisti", 3)]),
    ("pt", "Banco alimentar sábado às 10h, precisamos de 3 motoristas e muitos voluntários",
     [("voluntários", None), ("motoristas", 3)]),
    ("nl", "Voedselbank zaterdag 10 uur, we zoeken 3 chauffeurs en veel vrijwilligers",
     [("vrijwilligers", None), ("chauffeurs", 3)]),
    ("da", "Madbank lørdag kl. 10, vi mangler 3 chauffører og mange frivillige",
     [("frivillige", None), ("chauffører", 3)]),
]


@pytest.mark.parametrize(("lang", "text", "roles"), OPEN_CASES)
def test_a_role_for_as_many_as_come_has_no_number_and_takes_plain_joins(
    lang: str, text: str, roles: OpenRoles
) -> None:
    p = parse(text, lang)
    assert [(r.name, r.target) for r in p.roles] == roles
    assert p.needed == sum(n or 0 for _, n in roles)


@pytest.mark.parametrize(
    ("lang", "text", "roles"),
    [
        # "more … welcome" adds to the count: not a role of its own
        ("en", "Beach clean Saturday 10am, need 20 people and more volunteers welcome", []),
        # people or volunteers in number are already anyone: a second general role is not
        ("en", "Beach clean Saturday 10am, need 20 people and lots of volunteers", []),
        ("en", "Street party Sunday noon, need 10 volunteers, 2 cooks and lots of helpers",
         [("volunteers", 10), ("cooks", 2)]),
        ("de", "Strandputz Samstag 10 Uhr, wir brauchen 10 Leute und viele Helfer", []),
        ("fr", "Fête samedi 10h, il faut 10 personnes et beaucoup de bénévoles", []),
    ],
)
def test_many_more_of_anyone_is_no_role_of_its_own(
    lang: str, text: str, roles: OpenRoles
) -> None:
    assert [(r.name, r.target) for r in parse(text, lang).roles] == roles


def test_a_leading_role_for_as_many_as_come_is_neither_the_place_nor_the_title() -> None:
    p = parse("Food bank Saturday 10am at the church hall, need lots of volunteers, 2 drivers "
              "and a first-aider", "en")
    assert (p.title, p.place) == ("Food bank", "the church hall")
    assert [(r.name, r.target) for r in p.roles] == [
        ("volunteers", None), ("drivers", 2), ("first-aider", 1)]
