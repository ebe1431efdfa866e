"""Repeating gatherings read from one announcement, in all eight languages (issue 17).

Each row: the text, its language, and what must be read: the title (the repeat phrase is not
part of it), the rule as RRULE, and the first occurrence in the community's local time. The
message is sent on Sunday 6 December 2026 at noon UTC. Several phrasings per language, so a
rule tuned to one sentence shows up as a failure in another.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.parsing import ParsedGathering, Recurrence, parse_gathering

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)
ZONES = {'en': 'Europe/London', 'de': 'Europe/Berlin', 'fr': 'Europe/Paris', 'es': 'Europe/Madrid', 'it': 'Europe/Rome', 'pt': 'Europe/Lisbon', 'nl': 'Europe/Amsterdam', 'da': 'Europe/Copenhagen'}

SERIES = [
    ('Litter pick every first Saturday of the month 10am at the Meadows, need 10 people', 'en',
     'Litter pick', 'FREQ=MONTHLY;BYDAY=1SA', '2027-01-02 10:00'),
    ('Choir practice every other Tuesday 7pm at the church hall', 'en',
     'Choir practice', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', '2026-12-08 19:00'),
    ('Park run every Saturday 9am', 'en',
     'Park run', 'FREQ=WEEKLY;BYDAY=SA', '2026-12-12 09:00'),
    ('Repair cafe every month on the 15th 6pm at the library', 'en',
     'Repair cafe', 'FREQ=MONTHLY;BYMONTHDAY=15', '2026-12-15 18:00'),
    ('Pub quiz on the last Friday of the month at 8pm', 'en',
     'Pub quiz', 'FREQ=MONTHLY;BYDAY=-1FR', '2026-12-25 20:00'),
    ('Morning swim every day 7am at the lido', 'en',
     'Morning swim', 'FREQ=DAILY', '2026-12-07 07:00'),
    ('Lunch walk every weekday 12:30', 'en',
     'Lunch walk', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '2026-12-07 12:30'),
    ('Garden session every 2 weeks from Wednesday 5pm', 'en',
     'Garden session', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE', '2026-12-09 17:00'),
    ('Reading group every Monday and Thursday 6pm', 'en',
     'Reading group', 'FREQ=WEEKLY;BYDAY=MO,TH', '2026-12-07 18:00'),
    ('Lauftreff jeden Samstag um 9 Uhr am Stadtpark', 'de',
     'Lauftreff', 'FREQ=WEEKLY;BYDAY=SA', '2026-12-12 09:00'),
    ('Chorprobe jeden zweiten Dienstag 19 Uhr im Gemeindehaus', 'de',
     'Chorprobe', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', '2026-12-08 19:00'),
    ('Müllsammeln jeden ersten Samstag im Monat 10 Uhr', 'de',
     'Müllsammeln', 'FREQ=MONTHLY;BYDAY=1SA', '2027-01-02 10:00'),
    ('Flohmarkt am 15. jeden Monats um 9 Uhr', 'de',
     'Flohmarkt', 'FREQ=MONTHLY;BYMONTHDAY=15', '2026-12-15 09:00'),
    ('Gartentreff alle zwei Wochen Mittwoch 17 Uhr', 'de',
     'Gartentreff', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE', '2026-12-09 17:00'),
    ('Café réparation tous les samedis à 14h', 'fr',
     'Café réparation', 'FREQ=WEEKLY;BYDAY=SA', '2026-12-12 14:00'),
    ('Chorale un mardi sur deux à 19h à la salle des fêtes', 'fr',
     'Chorale', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', '2026-12-08 19:00'),
    ('Nettoyage du quartier chaque premier samedi du mois à 10h', 'fr',
     'Nettoyage du quartier', 'FREQ=MONTHLY;BYDAY=1SA', '2027-01-02 10:00'),
    ('Marché le 15 de chaque mois à 9h', 'fr',
     'Marché', 'FREQ=MONTHLY;BYMONTHDAY=15', '2026-12-15 09:00'),
    ('Jardinage tous les jours à 8h', 'fr',
     'Jardinage', 'FREQ=DAILY', '2026-12-07 08:00'),
    ('Limpieza de playa cada primer sábado del mes a las 10', 'es',
     'Limpieza de playa', 'FREQ=MONTHLY;BYDAY=1SA', '2027-01-02 10:00'),
    ('Coro todos los martes a las 19:00', 'es',
     'Coro', 'FREQ=WEEKLY;BYDAY=TU', '2026-12-08 19:00'),
    ('Huerto cada 2 semanas el miércoles a las 17h', 'es',
     'Huerto', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE', '2026-12-09 17:00'),
    ('Mercadillo el último viernes del mes a las 18h', 'es',
     'Mercadillo', 'FREQ=MONTHLY;BYDAY=-1FR', '2026-12-25 18:00'),
    ('Coro ogni martedì alle 20', 'it',
     'Coro', 'FREQ=WEEKLY;BYDAY=TU', '2026-12-08 20:00'),
    ('Pulizia del parco ogni primo sabato del mese alle 10', 'it',
     'Pulizia del parco', 'FREQ=MONTHLY;BYDAY=1SA', '2027-01-02 10:00'),
    ('Mercatino il 15 di ogni mese alle 9', 'it',
     'Mercatino', 'FREQ=MONTHLY;BYMONTHDAY=15', '2026-12-15 09:00'),
    ('Camminata tutti i giorni alle 7', 'it',
     'Camminata', 'FREQ=DAILY', '2026-12-07 07:00'),
    ('Corrida todas as sextas às 19h', 'pt',
     'Corrida', 'FREQ=WEEKLY;BYDAY=FR', '2026-12-11 19:00'),
    ('Limpeza da praia todo primeiro sábado do mês às 10h', 'pt',
     'Limpeza da praia', 'FREQ=MONTHLY;BYDAY=1SA', '2027-01-02 10:00'),
    ('Horta comunitária toda segunda às 18h', 'pt',
     'Horta comunitária', 'FREQ=WEEKLY;BYDAY=MO', '2026-12-07 18:00'),
    ('Feira todo dia 15 às 9h', 'pt',
     'Feira', 'FREQ=MONTHLY;BYMONTHDAY=15', '2026-12-15 09:00'),
    ('Koor elke zaterdag om 10 uur', 'nl',
     'Koor', 'FREQ=WEEKLY;BYDAY=SA', '2026-12-12 10:00'),
    ('Zwerfafval rapen elke eerste zaterdag van de maand om 10 uur', 'nl',
     'Zwerfafval rapen', 'FREQ=MONTHLY;BYDAY=1SA', '2027-01-02 10:00'),
    ('Moestuin om de twee weken op woensdag om 17 uur', 'nl',
     'Moestuin', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE', '2026-12-09 17:00'),
    ('Wandelen elke dag om 8 uur', 'nl',
     'Wandelen', 'FREQ=DAILY', '2026-12-07 08:00'),
    ('Strikkeklub hver lørdag kl 10', 'da',
     'Strikkeklub', 'FREQ=WEEKLY;BYDAY=SA', '2026-12-12 10:00'),
    ('Kor hver anden tirsdag kl. 19', 'da',
     'Kor', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', '2026-12-08 19:00'),
    ('Affaldsindsamling første lørdag i måneden kl. 10', 'da',
     'Affaldsindsamling', 'FREQ=MONTHLY;BYDAY=1SA', '2027-01-02 10:00'),
    ('Gåtur hver dag kl. 7', 'da',
     'Gåtur', 'FREQ=DAILY', '2026-12-07 07:00'),
    # Several ordinals; a weekday written beside "every month": that weekday of the month.
    ('Repair cafe every 2nd and 4th Thursday of the month 7pm at the library', 'en',
     'Repair cafe', 'FREQ=MONTHLY;BYDAY=2TH,4TH', '2026-12-10 19:00'),
    ('Repair Café iedere 2e en 4e donderdag van de maand om 19 uur', 'nl',
     'Repair Café', 'FREQ=MONTHLY;BYDAY=2TH,4TH', '2026-12-10 19:00'),
    ('Mutirão sábado às 9h, acontece todo mês', 'pt',
     'Mutirão', 'FREQ=MONTHLY;BYDAY=2SA', '2026-12-12 09:00'),
    ('Pulizia sabato alle 9, tutti i mesi', 'it',
     'Pulizia', 'FREQ=MONTHLY;BYDAY=2SA', '2026-12-12 09:00'),
    ('Stammtisch Freitag 19 Uhr, jeden Monat', 'de',
     'Stammtisch', 'FREQ=MONTHLY;BYDAY=2FR', '2026-12-11 19:00'),
]


@pytest.mark.parametrize(("text", "language", "title", "rule", "first"), SERIES)
def test_a_repeating_announcement_reads_as_a_series(
    text: str, language: str, title: str, rule: str, first: str
) -> None:
    zone = ZONES[language]
    parsed = parse_gathering(text, now=NOW, tz=zone, languages=[language])
    assert parsed.recurrence is not None
    assert (parsed.title, parsed.recurrence.rrule()) == (title, rule)
    assert f"{parsed.starts_at.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M}" == first
    # The first occurrence is one of the rule's own days.
    assert parsed.recurrence.matches(parsed.starts_at.astimezone(ZoneInfo(zone)).date(),
                                     parsed.starts_at.astimezone(ZoneInfo(zone)).date())


@pytest.mark.parametrize(
    "text",
    [
        "Beach clean Saturday 10am at Portobello, need 20 people",
        "Last Saturday we picked 30 bags; next one is on 12 December at 10am",
        "Treffen am Samstag um 10 Uhr",
        "Nettoyage samedi 12 décembre à 10h",
        "Every one of you is welcome: beach clean Saturday 10am",
        "Run every 2 hours? no: one run, Saturday 9am",
    ],
)
def test_a_one_off_announcement_has_no_rule(text: str) -> None:
    assert parse_gathering(text, now=NOW, tz="Europe/London").recurrence is None


@pytest.mark.parametrize(
    ("text", "rule", "first"),
    [
        ("Choir every Tuesday starting 12 January 2027, 7pm", "FREQ=WEEKLY;BYDAY=TU",
         "2027-01-12 19:00"),
        ("Yoga every day from 4 January 2027 7am at the lido", "FREQ=DAILY", "2027-01-04 07:00"),
        ("Market every month on the 15th starting 15 March 2027 9am",
         "FREQ=MONTHLY;BYMONTHDAY=15", "2027-03-15 09:00"),
    ],
)
def test_a_date_written_beside_the_rule_is_its_start(text: str, rule: str, first: str) -> None:
    parsed = parse_gathering(text, now=NOW, tz="Europe/London")
    assert parsed.recurrence is not None and parsed.recurrence.rrule() == rule
    assert f"{parsed.starts_at.astimezone(ZoneInfo('Europe/London')):%Y-%m-%d %H:%M}" == first


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # Said on 6 December: the series began in November and goes on from now, not from
        # November next year.
        ("Litter pick every Saturday 10am starting 1 November", "2026-12-12 10:00"),
        ("Repair cafe every last Sunday of the month 2pm since 25 October", "2026-12-27 14:00"),
        # In step with the day it began: 17 November, 1 December, then 15 December.
        ("Choir every other Tuesday 7pm starting 17 November", "2026-12-15 19:00"),
        ("Choir every other Tuesday 7pm starting 17 November 2026", "2026-12-15 19:00"),
        # A date long past this year is next year's, as for any date.
        ("Choir every Tuesday starting 12 January, 7pm", "2027-01-12 19:00"),
    ],
)
def test_a_series_that_began_lately_starts_now_not_next_year(text: str, first: str) -> None:
    parsed = parse_gathering(text, now=NOW, tz="Europe/London")
    assert parsed.recurrence is not None and london(parsed) == first


def london(parsed: ParsedGathering) -> str:
    return f"{parsed.starts_at.astimezone(ZoneInfo('Europe/London')):%Y-%m-%d %H:%M}"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Carols every 24th December 6pm at the church", "2026-12-24"),
        ("Leap party every 29th February 8pm at the hall", "2028-02-29"),
        ("Weihnachtsfeier jeden 24. Dezember 18 Uhr im Gemeindehaus", "2026-12-24"),
        ("Fête du travail tous les 1er mai à 10h au parc", "2027-05-01"),
        ("Fiesta cada 24 de diciembre a las 18h en la plaza", "2026-12-24"),
        ("Festa ogni 25 dicembre alle 10 in piazza", "2026-12-25"),
        ("Festa todo 25 de dezembro às 10h na praça", "2026-12-25"),
        ("Kerstfeest elke 24 december om 18 uur in de kerk", "2026-12-24"),
        ("Julefest hver 24. december kl. 18 i kirken", "2026-12-24"),
    ],
)
def test_a_day_of_a_named_month_every_year_is_that_day_once_never_monthly(
    text: str, day: str
) -> None:
    parsed = parse_gathering(text, now=NOW, tz="Europe/London")
    assert parsed.recurrence is None  # not "every 24th" of each month
    assert london(parsed).startswith(day)
    assert "once_a_year" in [doubt.note.code for doubt in parsed.ambiguities]
    assert parsed.title.split()[-1] in ("Carols", "party", "Weihnachtsfeier", "travail", "Fiesta",
                                        "Festa", "Kerstfeest", "Julefest")  # no "every"


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Every Saturday we clean the beach, next one 10am Saturday", "2026-12-12 10:00"),
        ("Beach clean every Saturday 10am, first one on Saturday 19 December", "2026-12-19 10:00"),
        ("Strandputz jeden Samstag 10 Uhr, der erste am Samstag, 19. Dezember", "2026-12-19 10:00"),
    ],
)
def test_the_first_date_written_beside_a_rule_is_no_place_or_title(text: str, first: str) -> None:
    parsed = parse_gathering(text, now=NOW, tz="Europe/London")
    assert parsed.recurrence is not None and london(parsed) == first
    assert parsed.place is None  # was "Saturday", "Saturday 19 December"
    assert "Saturday" not in parsed.title and "Samstag" not in parsed.title


def test_each_day_of_a_range_of_days_is_no_series() -> None:
    parsed = parse_gathering("Beach festival 12-14 June 2027, 10am each day at the pier",
                             now=NOW, tz="Europe/London")
    assert parsed.recurrence is None
    assert parsed.starts_at == datetime(2027, 6, 12, 9, tzinfo=UTC)


def test_a_series_whose_time_today_has_passed_starts_on_its_next_day() -> None:
    parsed = parse_gathering("Yoga every day 9am", now=NOW, tz="Europe/London")
    assert parsed.starts_at == datetime(2026, 12, 7, 9, tzinfo=UTC)
    parsed = parse_gathering("Run every 2 weeks 8am", now=NOW, tz="Europe/London")
    assert parsed.starts_at == datetime(2026, 12, 20, 8, tzinfo=UTC)  # two weeks on


def test_the_second_and_fourth_thursday() -> None:
    rule = Recurrence("month", 1, (3,), (2, 4))
    assert days(rule, date(2026, 12, 1), 4) == ["2026-12-10", "2026-12-24", "2027-01-14",
                                               "2027-01-28"]


def days(rule: Recurrence, start: date, count: int) -> list[str]:
    found = rule.days_from(start, start)
    return [next(found).isoformat() for _ in range(count)]


def test_every_31st_passes_over_the_months_without_one() -> None:
    rule = Recurrence("month", month_day=31)
    assert rule.skips_months
    assert days(rule, date(2027, 1, 31), 4) == ["2027-01-31", "2027-03-31", "2027-05-31",
                                               "2027-07-31"]


def test_every_29th_has_february_only_in_leap_years() -> None:
    rule = Recurrence("month", month_day=29)
    assert days(rule, date(2027, 12, 29), 3) == ["2027-12-29", "2028-01-29", "2028-02-29"]
    assert days(rule, date(2026, 12, 29), 3) == ["2026-12-29", "2027-01-29", "2027-03-29"]


def test_every_other_week_counts_from_the_first_day() -> None:
    rule = Recurrence("week", 2, (1,))
    assert days(rule, date(2026, 12, 8), 3) == ["2026-12-08", "2026-12-22", "2027-01-05"]


def test_the_last_friday_of_each_month() -> None:
    rule = Recurrence("month", 1, (4,), (-1,))
    assert days(rule, date(2026, 12, 1), 3) == ["2026-12-25", "2027-01-29", "2027-02-26"]


@pytest.mark.parametrize(
    "rule",
    [Recurrence("day"), Recurrence("week", 2, (1, 3)), Recurrence("month", 1, (5,), (1,)),
     Recurrence("month", 3, month_day=31), Recurrence("month", 1, (4,), (-1,)),
     Recurrence("month", 1, (3,), (2, 4))],
)
def test_a_rule_reads_back_from_its_rrule(rule: Recurrence) -> None:
    assert Recurrence.from_rrule(rule.rrule()) == rule
