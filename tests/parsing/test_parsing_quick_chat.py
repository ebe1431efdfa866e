"""Quick chat (issue 14): starts counted from the message's time, a clock time with no day,
evening activities, written time zones, a time before its weekday, and places that are places.
`parse` is on Wednesday 18 November 2026 at 09:00 local time."""

import pytest

from core.parsing import ParseError
from tests.parsing.languages import parse


def local(text: str, lang: str) -> str:
    p = parse(text, lang)
    assert p.has_time
    return p.starts_at.strftime("%Y-%m-%d %H:%M")


def codes(text: str, lang: str) -> list[str]:
    return [a.code for a in parse(text, lang).ambiguities]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Flash mob in 30 minutes at the fountain!", "2026-11-18 09:30"),
        ("en", "Litter pick in 2 hours", "2026-11-18 11:00"),
        ("en", "Snowball fight in an hour at the green", "2026-11-18 10:00"),
        ("en", "Tidy-up in half an hour, meet at the gate", "2026-11-18 09:30"),
        ("de", "Müllsammeln in 2 Stunden am Kanal", "2026-11-18 11:00"),
        ("de", "Treffen in einer halben Stunde am Brunnen", "2026-11-18 09:30"),
        ("fr", "Pique-nique dans une heure au parc", "2026-11-18 10:00"),
        ("es", "Limpieza dentro de 30 minutos en la plaza", "2026-11-18 09:30"),
        ("it", "Pulizia tra due ore al parco", "2026-11-18 11:00"),
        ("pt", "Limpeza daqui a uma hora na praça", "2026-11-18 10:00"),
        ("nl", "Opruimen over een uur bij de kerk", "2026-11-18 10:00"),
        ("da", "Oprydning om to timer ved søen", "2026-11-18 11:00"),
    ],
)
def test_a_start_counted_from_the_message(lang: str, text: str, expected: str) -> None:
    assert local(text, lang) == expected
    assert parse(text, lang).ends_at is None  # "in 2 hours" is not how long it lasts


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Food bank sort at 3pm, need 5", "2026-11-18 15:00"),
        ("en", "Bake sale setup at 11am in the hall", "2026-11-18 11:00"),
        ("de", "Aufräumen um 16 Uhr im Hof", "2026-11-18 16:00"),
        ("fr", "Rangement à 17h à la salle", "2026-11-18 17:00"),
    ],
)
def test_a_time_with_no_day_is_today_with_a_note(lang: str, text: str, expected: str) -> None:
    assert local(text, lang) == expected
    assert "today" in codes(text, lang)


@pytest.mark.parametrize(("lang", "text"), [("en", "Food bank sort at 8am, need 5"),
                                            ("de", "Aufräumen um 7 Uhr im Hof")])
def test_a_time_with_no_day_already_past_is_a_question(lang: str, text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(text, lang)
    assert caught.value.code == "time_passed"


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Potluck dinner Friday at 7 at the community centre", "2026-11-20 19:00"),
        ("en", "Pub quiz Thursday at 8 at the Crown", "2026-11-19 20:00"),
        ("en", "Karaoke Friday at 9. Bring your voice", "2026-11-20 21:00"),
        ("de", "Spieleabend Freitag um 7 im Jugendzentrum", "2026-11-20 19:00"),
        ("fr", "Dîner partagé vendredi à 8 à la salle des fêtes", "2026-11-20 20:00"),
        ("it", "Cena condivisa venerdì alle 8 in oratorio", "2026-11-20 20:00"),
    ],
)
def test_an_evening_activity_reads_a_bare_hour_as_evening(lang: str, text: str,
                                                          expected: str) -> None:
    assert local(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Parkrun Saturday at 9 at the lake", "2026-11-21 09:00"),
        ("en", "Pub quiz Thursday at 8am sharp for the setup crew", "2026-11-19 08:00"),
        ("de", "Abendessen vorbereiten Freitag um 7:30 Uhr", "2026-11-20 07:30"),
    ],
)
def test_a_morning_activity_or_a_written_morning_stays(lang: str, text: str,
                                                       expected: str) -> None:
    assert local(text, lang) == expected


def test_the_evening_reading_is_said() -> None:
    assert "evening" in codes("Pub quiz Thursday at 8 at the Crown", "en")


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Online planning call Thursday 3pm EST", "2026-11-19 20:00"),
        ("en", "Webinar Friday 2:30pm CET", "2026-11-20 13:30"),
        ("en", "Kickoff Saturday 10am PST", "2026-11-21 18:00"),
        ("en", "Coordinators call Thursday 20:00 UTC+1", "2026-11-19 19:00"),
        ("en", "Call Friday 18:00 +01:00 for the leads", "2026-11-20 17:00"),
        ("en", "Call Friday 18:00 (UTC+2) for the leads", "2026-11-20 16:00"),
        ("de", "Online-Treffen Donnerstag 15 Uhr EST", "2026-11-19 21:00"),
        ("fr", "Visio jeudi 14h UTC avec les équipes", "2026-11-19 15:00"),
    ],
)
def test_a_written_zone_is_converted_with_a_note(lang: str, text: str, expected: str) -> None:
    p = parse(text, lang)
    assert p.starts_at.strftime("%Y-%m-%d %H:%M") == expected
    assert "zone" in codes(text, lang)
    assert p.place is None or "UTC" not in p.place


def test_lower_case_words_are_not_zones() -> None:
    # French "et", Portuguese "pt": only capitals name a zone
    p = parse("Nettoyage samedi 10h et 14h au parc", "fr")
    assert "zone" not in [a.code for a in p.ambiguities]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Beach clean 10am Sat", "2026-11-21 10:00"),
        ("en", "Litter pick 2pm Sun at the park gates", "2026-11-22 14:00"),
        ("en", "Canal tidy 9.30am Sun, meet at the lock", "2026-11-22 09:30"),
        ("de", "Müllsammeln 10 Uhr Sa am Rhein", "2026-11-21 10:00"),
        ("fr", "Nettoyage 10h sam. au parc", "2026-11-21 10:00"),
        ("nl", "Opruimen 10 uur za bij de haven", "2026-11-21 10:00"),
    ],
)
def test_a_time_before_its_short_weekday(lang: str, text: str, expected: str) -> None:
    assert local(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "place"),
    [
        ("en", "Hill walk Saturday 10am, meet at Arthur's Seat car park", "Arthur's Seat car park"),
        ("en", "Picnic Saturday 1pm at St Mary's Gardens", "St Mary's Gardens"),
        ("es", "Carrera solidaria sábado 10h en Casa de Campo", "Casa de Campo"),
        ("en", "Bike ride Saturday 9am from Waverley station", "Waverley station"),
        ("en", "Run Saturday 9am from the old bridge", "the old bridge"),
        ("en", "Coffee morning Friday 10am St Margaret's church hall", "St Margaret's church hall"),
        ("en", "Jumble sale Saturday 10am, St Margaret's church hall", "St Margaret's church hall"),
    ],
)
def test_named_places(lang: str, text: str, place: str) -> None:
    got = parse(text, lang).place
    assert got is not None and got.endswith(place)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Repair Café Samstag 14 Uhr, einmal im Monat"),
        ("de", "Lauftreff Samstag 9 Uhr, mehrmals in der Woche"),
        ("it", "Pulizia sabato alle 10, molti volontari benvenuti"),
        ("pt", "Mutirão sábado às 9h, acontece todo mês"),
        ("fr", "Balade samedi 10h, à partir de 10 ans"),
        ("es", "Reunión en línea jueves 18:00"),
        ("nl", "Wandeling zaterdag 10 uur, elke maand"),
    ],
)
def test_time_spans_and_amounts_are_not_places(lang: str, text: str) -> None:
    assert parse(text, lang).place is None


@pytest.mark.parametrize(
    ("lang", "text", "place"),
    [
        ("en", "Beach clean Sunday 10am, meet at the slipway, signage will be in place",
         "the slipway"),
        ("en", "Litter pick Saturday 10am at the old mill, the car park is free", "the old mill"),
        ("de", "Müllsammeln Samstag 10 Uhr am Bahnhof, der Eingang ist links", "am Bahnhof"),
        ("nl", "Opruimen zaterdag 10 uur bij de haven, de koffie is gratis", "bij de haven"),
    ],
)
def test_a_new_clause_with_its_own_verb_ends_the_place(lang: str, text: str,
                                                       place: str) -> None:
    assert parse(text, lang).place == place


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Earth Day cleanup 22/11 at 3pm. On Earth Day, bring gloves"),
        ("en", "Repair Cafe Saturday 2pm. Come to Repair Cafe with broken things"),
    ],
)
def test_the_titles_own_name_is_not_the_place(lang: str, text: str) -> None:
    p = parse(text, lang)
    assert p.place is None or p.place.lower() != p.title.lower()


@pytest.mark.parametrize(
    ("lang", "text", "place"),
    [
        ("it", "Pulizia della spiaggia domenica alle 10 in spiaggia", "in spiaggia"),
        ("en", "Park tidy Saturday 10am in the park", "the park"),
    ],
)
def test_a_place_the_title_also_names_is_kept(lang: str, text: str, place: str) -> None:
    got = parse(text, lang).place
    assert got is not None and got.endswith(place.split()[-1])


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Conservation work party Saturday at 10 at the nature reserve", "2026-11-21 10:00"),
        ("de", "Müllsammeln in Essen Samstag um 9 am Hauptbahnhof", "2026-11-21 09:00"),
        ("nl", "Repair Café zaterdag om 10 in de bieb", "2026-11-21 10:00"),
        ("en", "Dance class Saturday at 10 in the hall", "2026-11-21 10:00"),
    ],
)
def test_daytime_words_that_look_like_evenings_do_not_move_the_hour(lang: str, text: str,
                                                                    expected: str) -> None:
    assert local(text, lang) == expected


@pytest.mark.parametrize(("lang", "text"), [("en", "Litter pick Saturday 10am GMT at the pier"),
                                            ("de", "Müllsammeln Samstag 10 Uhr MEZ am Steg")])
def test_the_communitys_own_zone_written_needs_no_note(lang: str, text: str) -> None:
    p = parse(text, lang)
    assert p.starts_at.strftime("%H:%M") == "10:00"
    assert "zone" not in [a.code for a in p.ambiguities]
    assert p.place is not None and "GMT" not in p.place and "MEZ" not in p.place


@pytest.mark.parametrize(
    ("lang", "text", "title", "place", "needed"),
    [
        # the flash mob in one breath: a lower-case place and a count right after the time
        ("en", "flash mob at waverley steps sat 3pm 1000 ppl!!", "Flash mob", "waverley steps",
         1000),
        ("en", "Flash mob at Waverley Steps sat 15:00 1000 ppl", "Flash mob", "Waverley Steps",
         1000),
        ("en", "picnic at inverleith park sun 1pm", "Picnic", "inverleith park", None),
        ("en", "litter pick at leith links sat 10am need 10", "Litter pick", "leith links", 10),
        ("de", "Müll sammeln am Kanal Samstag 10 Uhr 12 Leute", "Müll sammeln", "am Kanal", 12),
        # a goal is a target, with or without its colon; the cue is not the place
        ("en", "Tree planting Sat 10am at Cramond, goal 40 people", "Tree planting", "Cramond",
         40),
        ("en", "Hamper packing Fri 6.30pm at the warehouse. Need 15 pairs of hands",
         "Hamper packing", "the warehouse", 15),
        ("fr", "Nettoyage des berges samedi à 14h, rdv pont de la Guillotière. Objectif 25 "
         "bénévoles", "Nettoyage des berges", "pont de la Guillotière", 25),
        ("nl", "Boomplantdag zaterdag 10 uur in het Amsterdamse Bos, doel: 30 vrijwilligers",
         "Boomplantdag", "het Amsterdamse Bos", 30),
    ],
)
def test_quick_chat_places_and_counts(
    lang: str, text: str, title: str, place: str, needed: int | None
) -> None:
    p = parse(text, lang)
    assert (p.title, p.place, p.needed) == (title, place, needed)


@pytest.mark.parametrize(
    ("lang", "text", "place"),
    [
        ("en", "Quiz at work sat 3pm", None),  # "work" is no kind of place
        ("en", "Tree planting Sat 10am at Cramond, our goal is 500 trees", "Cramond"),  # trees
    ],
)
def test_what_is_no_place_or_no_headcount_stays_so(lang: str, text: str, place: str | None
                                                   ) -> None:
    p = parse(text, lang)
    assert p.place == place
    assert p.needed is None


@pytest.mark.parametrize(
    ("lang", "text", "title"),
    [
        # a question that asks who comes is not the title; what it asks about is
        ("en", "Who's up for a litter pick? Sunday 10am, Leith Links, need 8", "Litter pick"),
        ("en", "Anyone free tmrw 2pm? Litter pick on Leith Walk. Need 6", "Litter pick"),
        ("de", "Wer hat Lust? Samstag 11 Uhr Müll sammeln an der Isar, Treffpunkt "
         "Reichenbachbrücke", "Müll sammeln an der Isar"),
        ("es", "¿Quién se apunta? Domingo a las 11 limpieza del río en el puente de Triana",
         "Limpieza del río"),
        ("it", "Chi viene? Domenica alle 10 puliamo la spiaggia di Ostia, ritrovo al pontile",
         "Puliamo la spiaggia di Ostia"),
        ("pt", "Quem topa? Domingo às 9h limpeza na praia do Cassino, encontro no posto 1",
         "Limpeza na praia do Cassino"),
        ("nl", "Wie helpt? Zondag 11 uur zwerfvuil rapen in het Westerpark", "Zwerfvuil rapen"),
        ("da", "Hvem er med? Søndag kl. 11 samler vi skrald ved Søerne", "Samler vi skrald"),
        # "who can / who has time …" asks who comes too; what follows "in order to" is the title
        ("en", "Who's free Sunday 10am to pick litter on the beach", "Pick litter"),
        ("en", "Who can help Sunday 10am, litter pick at the park", "Litter pick"),
        ("fr", "Qui est dispo dimanche 10h pour ramasser les déchets", "Ramasser les déchets"),
        ("fr", "Qui peut dimanche à 10h ? Nettoyage du square", "Nettoyage du square"),
        ("es", "¿Quién puede el domingo a las 10 para limpiar la playa?", "Limpiar la playa"),
        ("it", "Chi c'è domenica alle 10 per pulire il parco?", "Pulire il parco"),
        ("pt", "Quem pode domingo às 10 para limpar a praia?", "Limpar a praia"),
        ("da", "Hvem har tid søndag kl 10 for at samle affald?", "Samle affald"),
        ("de", "Wer hat Zeit? Sonntag 10 Uhr Müll sammeln am Kanal", "Müll sammeln"),
        # a first word that is not "in order to" and a verb stays
        ("es", "Para los niños: recogida de juguetes el sábado 10h", "Para los niños"),
        ("it", "Per tutti: pulizia del parco sabato alle 10", "Per tutti"),
        ("en", "Toy drive Saturday 10am", "Toy drive"),
    ],
)
def test_a_question_or_an_in_order_to_is_not_the_title(lang: str, text: str, title: str) -> None:
    assert parse(text, lang).title == title


@pytest.mark.parametrize(
    ("text", "title", "place"),
    [
        # after "to", a verb and its object say what it is for, not where
        ("Sunday 10am to clean the beach", "Clean the beach", None),
        ("Saturday 10am to tidy our park", "Tidy our park", None),
        # places after "to" stay places
        ("come to portobello beach sat 10am", "Gathering", "portobello beach"),
        ("Walk to the pier Saturday 10am", "Walk", "the pier"),
        ("Bike ride Saturday 9am to Leith Links", "Bike ride", "Leith Links"),
    ],
)
def test_to_and_a_verb_is_not_a_place(text: str, title: str, place: str | None) -> None:
    p = parse(text, "en")
    assert (p.title, p.place) == (title, place)


@pytest.mark.parametrize(
    ("lang", "text", "needed"),
    [
        ("en", "Litter pick Sunday 10am at the canal, 10 people would be great", 10),
        ("de", "Müll sammeln Samstag 11 Uhr an der Isar. 10 Leute wären super", 10),
        ("fr", "Nettoyage dimanche 10h au canal, 10 personnes serait top", 10),
        ("en", "Litter pick Sunday 10am at the canal, 10 bags would be great", None),  # no people
    ],
)
def test_a_hoped_for_number_of_people_is_the_target(lang: str, text: str, needed: int | None
                                                    ) -> None:
    assert parse(text, lang).needed == needed


@pytest.mark.parametrize(
    ("text", "title", "place"),
    [
        # opening with the date: everyday words after it are what happens, a name is where
        ("Sunday 3 Jan 2027, 11am, New Year swim & beach clean, Portobello, need 25 people",
         "New Year swim & beach clean", "Portobello"),
        ("Sat 12 Dec 2pm, Leith community centre, bake sale", "Bake sale",
         "Leith community centre"),
        ("Sat 2pm, St John's church. Bring gloves", "Bring gloves", "St John's church"),
    ],
)
def test_after_an_opening_date_the_phrase_of_everyday_words_is_the_title(
    text: str, title: str, place: str
) -> None:
    p = parse(text, "en")
    assert (p.title, p.place) == (title, place)


def test_min_before_a_number_is_the_target_and_a_closing_bracket_is_no_part_of_the_place(
) -> None:
    p = parse("Beach clean Sat 10am-12 at Portobello promenade (by the Espy). Max 30 people, "
              "min 10", "en")
    assert (p.needed, p.capacity) == (10, 30)
    assert p.place is not None and not p.place.endswith(")")
    assert parse("Beach clean Sat 10am at the pier (by the cafe)", "en").place == "by the cafe"


@pytest.mark.parametrize(
    ("lang", "text", "title", "place", "needed"),
    [
        # a pin says where and the people emoji how many, in every language
        ("en", "Litter pick 📍Meadows ⏰Sun 11am 👥 15", "Litter pick", "Meadows", 15),
        ("fr", "📢 Grande collecte de jouets\n📅 samedi 19 décembre\n🕙 de 10h à 16h\n"
         "📍 Maison de quartier, 5 rue des Lilas\n👉 il nous faut 12 bénévoles",
         "Grande collecte de jouets", "Maison de quartier", 12),
        ("da", "Juletræsindsamling 📍 Fælledparken 📅 lørdag kl. 10 👥 8", "Juletræsindsamling",
         "Fælledparken", 8),
    ],
)
def test_a_pin_and_a_people_emoji(lang: str, text: str, title: str, place: str,
                                  needed: int) -> None:
    p = parse(text, lang)
    assert (p.title, p.place, p.needed) == (title, place, needed)
