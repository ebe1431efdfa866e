"""Dates: explicit, numeric, relative, weekdays, order and the never-in-the-past rule."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.parsing import (
    Ambiguity,
    MonthDay,
    ParsedGathering,
    ParseError,
    ParseProblem,
    parse_gathering,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 18, 9, 0, tzinfo=LONDON)  # Wednesday 18 November 2026


def parse(text: str, tz: str = "Europe/London", now: datetime = NOW,
          **kw: object) -> ParsedGathering:
    return parse_gathering(text, now=now, tz=tz, **kw)  # type: ignore[arg-type]


def day(p: ParsedGathering) -> str:
    return p.starts_at.date().isoformat()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Beach clean today 5pm", "2026-11-18"),
        ("Beach clean tonight at 8", "2026-11-18"),
        ("Beach clean tomorrow 10am", "2026-11-19"),
        ("Beach clean tmrw 10am", "2026-11-19"),
        ("Beach clean tomorrow evening", "2026-11-19"),
        ("Beach clean the day after tomorrow", "2026-11-20"),
        ("Beach clean this Saturday", "2026-11-21"),
        ("Beach clean on Saturday", "2026-11-21"),
        ("Beach clean sat 10am", "2026-11-21"),
        ("Beach clean this weekend", "2026-11-21"),
        ("Beach clean on the 5th", "2026-12-05"),
        ("Beach clean first Saturday of December", "2026-12-05"),
        ("Beach clean last Sunday of November", "2026-11-29"),
        ("Beach clean a week on Saturday", "2026-11-28"),
        ("Beach clean Saturday week", "2026-11-28"),
        ("Beach clean in two weeks", "2026-12-02"),
        ("Beach clean Wednesday 3pm", "2026-11-18"),
    ],
)
def test_english_relative_dates(text: str, expected: str) -> None:
    assert day(parse(text)) == expected


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        ("Müllsammeln morgen um 10 Uhr", "Europe/Berlin", "2026-11-19"),
        ("Müllsammeln übermorgen", "Europe/Berlin", "2026-11-20"),
        ("Müllsammeln am kommenden Samstag", "Europe/Berlin", "2026-11-21"),
        ("Müllsammeln am Sonnabend", "Europe/Berlin", "2026-11-21"),
        ("Müllsammeln am ersten Samstag im Dezember", "Europe/Berlin", "2026-12-05"),
        ("Nettoyage demain à 10h", "Europe/Paris", "2026-11-19"),
        ("Nettoyage ce samedi", "Europe/Paris", "2026-11-21"),
        ("Nettoyage le premier samedi de décembre", "Europe/Paris", "2026-12-05"),
        ("Limpieza mañana a las 10", "Europe/Madrid", "2026-11-19"),
        ("Limpieza este sábado", "Europe/Madrid", "2026-11-21"),
        ("Limpieza el primer sábado de diciembre", "Europe/Madrid", "2026-12-05"),
        ("Pulizia domani alle 10", "Europe/Rome", "2026-11-19"),
        ("Pulizia questo sabato", "Europe/Rome", "2026-11-21"),
        ("Pulizia stasera alle 21", "Europe/Rome", "2026-11-18"),
        ("Limpeza amanhã às 10h", "America/Sao_Paulo", "2026-11-19"),
        ("Limpeza neste sábado", "America/Sao_Paulo", "2026-11-21"),
        ("Opruimen morgen om 10 uur", "Europe/Amsterdam", "2026-11-19"),
        ("Opruimen aanstaande zaterdag", "Europe/Amsterdam", "2026-11-21"),
        ("Opruimen volgende week zaterdag", "Europe/Amsterdam", "2026-11-28"),
        ("Strandrensning i morgen kl. 10", "Europe/Copenhagen", "2026-11-19"),
        ("Strandrensning på lørdag", "Europe/Copenhagen", "2026-11-21"),
        ("Strandrensning i aften kl. 19", "Europe/Copenhagen", "2026-11-18"),
    ],
)
def test_relative_dates_in_each_language(text: str, tz: str, expected: str) -> None:
    assert day(parse(text, tz=tz)) == expected


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        ("Litter pick Saturday 28 November", "Europe/London", "2026-11-28"),
        ("Litter pick Saturday, November 28th", "Europe/London", "2026-11-28"),
        ("Litter pick on the 28th of November", "Europe/London", "2026-11-28"),
        ("Litter pick Sat 28th", "Europe/London", "2026-11-28"),
        ("Litter pick 2026-12-03", "Europe/London", "2026-12-03"),
        ("Litter pick 28/11", "Europe/London", "2026-11-28"),
        ("Müllsammeln am 28.11.", "Europe/Berlin", "2026-11-28"),
        ("Müllsammeln am 28.11.2026", "Europe/Berlin", "2026-11-28"),
        ("Müllsammeln am Samstag, den 28. November", "Europe/Berlin", "2026-11-28"),
        ("Nettoyage samedi 28 novembre", "Europe/Paris", "2026-11-28"),
        ("Nettoyage le 01/12/2026", "Europe/Paris", "2026-12-01"),
        ("Limpieza el sábado 28 de noviembre", "Europe/Madrid", "2026-11-28"),
        ("Pulizia sabato 28 novembre", "Europe/Rome", "2026-11-28"),
        ("Mutirão sábado, 28 de novembro", "America/Sao_Paulo", "2026-11-28"),
        ("Mutirão neste sábado (28/11)", "America/Sao_Paulo", "2026-11-28"),
        ("Opruimen zaterdag 28 november", "Europe/Amsterdam", "2026-11-28"),
        ("Strandrensning lørdag den 28. november", "Europe/Copenhagen", "2026-11-28"),
    ],
)
def test_explicit_dates_in_each_language(text: str, tz: str, expected: str) -> None:
    assert day(parse(text, tz=tz)) == expected


def test_dates_without_a_year_go_to_the_next_occurrence() -> None:
    p = parse("Beach clean 10 February 10am")
    assert day(p) == "2027-02-10"


def test_a_date_already_past_this_year_rolls_over_with_a_hint() -> None:
    p = parse("Beach clean 10 November 10am")
    assert day(p) == "2027-11-10"
    assert Ambiguity("date", ParseProblem("next_year", {"day": date(2027, 11, 10)})) in p.ambiguities


def test_events_on_the_day_of_posting_stay_today_when_the_time_is_ahead() -> None:
    p = parse("Beach clean 18 November 5pm")
    assert p.starts_at.isoformat() == "2026-11-18T17:00:00+00:00"


def test_a_time_already_past_today_is_an_error() -> None:
    with pytest.raises(ParseError):
        parse("Beach clean today 8am")


def test_a_bare_weekday_that_is_today_with_a_past_time_moves_a_week_with_a_hint() -> None:
    p = parse("Beach clean Wednesday 8am")
    assert day(p) == "2026-11-25"
    assert Ambiguity("date", ParseProblem("next_week", {"day": date(2026, 11, 25)})) in p.ambiguities


def test_explicit_past_date_is_an_error() -> None:
    with pytest.raises(ParseError) as info:
        parse("Beach clean Saturday 13 April 2019 at 10am")
    assert info.value.problem == ParseProblem("in_the_past", {"day": date(2019, 4, 13)})


def test_day_first_is_the_default_outside_america() -> None:
    assert day(parse("Beach clean 03/12 10am")) == "2026-12-03"


def test_month_first_in_american_zones() -> None:
    assert day(parse("Beach clean 12/03 10am", tz="America/Chicago")) == "2026-12-03"


def test_month_first_when_the_second_part_is_over_twelve() -> None:
    assert day(parse("Beach clean 12/22 10am")) == "2026-12-22"


def test_date_order_parameter_wins() -> None:
    assert day(parse("Beach clean 03/12 10am", date_order="MDY")) == "2027-03-12"


def test_an_undecidable_numeric_date_is_an_error() -> None:
    with pytest.raises(ParseError) as info:
        parse("Beach clean 03/04 10am", tz="UTC")
    assert info.value.problem == ParseProblem(
        "day_or_month", {"phrase": "03/04", "first": MonthDay(3, 4), "second": MonthDay(4, 3)}
    )


def test_a_weekday_settles_an_ambiguous_numeric_date() -> None:
    # 4 March 2027 is a Thursday, 3 April 2027 a Saturday
    assert day(parse("Beach clean Sat 03/04 10am", tz="UTC")) == "2027-04-03"


def test_impossible_dates_are_errors() -> None:
    with pytest.raises(ParseError):
        parse("Beach clean Feb 30 at 10am")
    with pytest.raises(ParseError):
        parse("Beach clean 31 November")


def test_the_nearest_of_several_dates_is_the_start_in_text_order() -> None:
    p = parse("The next meeting is on Monday 30 November, followed by another on Monday 7 "
              "December. Help make the fete on Saturday 12 December great.")
    assert day(p) == "2026-11-30"
    assert any(a.field == "date" for a in p.ambiguities)


def test_an_explicit_date_wins_over_a_recurring_weekday() -> None:
    p = parse("Rehearsals on Mondays and Thursdays at 7pm; the flash mob is on December 12th!")
    assert day(p) == "2026-12-12"


def test_recurring_weekdays_give_the_first_occurrence() -> None:
    p = parse("Shifts run on Tuesdays and Thursdays from 6:30-10:30 a.m.")
    assert p.starts_at.isoformat() == "2026-11-24T06:30:00+00:00"


def test_every_last_friday_of_the_month_is_a_series_from_the_next_one() -> None:
    # Once refused for having no one date; since series (issue 17) it repeats monthly.
    p = parse("EVERY LAST FRIDAY OF THE MONTH: meet at 6pm at the library")
    assert p.recurrence is not None and p.recurrence.rrule() == "FREQ=MONTHLY;BYDAY=-1FR"
    assert p.starts_at.weekday() == 4 and (p.starts_at + timedelta(days=7)).month != \
        p.starts_at.month


def test_a_date_range_gives_an_end_date() -> None:
    p = parse("Bürgerfest am Wochenende, 28. und 29. November", tz="Europe/Berlin")
    assert day(p) == "2026-11-28"
    assert p.ends_at is not None and p.ends_at.date().isoformat() == "2026-11-29"


def test_this_weekend_on_a_sunday_is_today() -> None:
    sunday = datetime(2026, 11, 22, 8, 0, tzinfo=LONDON)
    assert day(parse("Beach clean this weekend 10am", now=sunday)) == "2026-11-22"


def test_a_weekday_that_contradicts_the_date_keeps_the_date_and_warns() -> None:
    p = parse("Beach clean Saturday 26 November 10am")  # 26 Nov 2026 is a Thursday
    assert day(p) == "2026-11-26"
    assert Ambiguity(
        "date", ParseProblem("wrong_weekday", {"day": date(2026, 11, 26), "written": 5})
    ) in p.ambiguities


def test_a_day_number_in_brackets_after_a_weekday_is_that_date() -> None:
    assert day(parse("Planning meeting next Thursday (26th), 7pm")) == "2026-11-26"
    assert day(parse("Mutirão no próximo sábado (5), das 8h às 12h",
                     tz="America/Sao_Paulo")) == "2026-12-05"


def test_a_number_after_an_abbreviated_weekday_is_a_time_unless_it_looks_like_a_day() -> None:
    p = parse("Big clean up sat!! 10 till 1, meet outside the shop")
    assert p.starts_at.isoformat() == "2026-11-21T10:00:00+00:00"
    assert p.ends_at is not None and p.ends_at.hour == 13


def test_a_note_quotes_the_phrase_as_written_not_lower_cased() -> None:
    p = parse("Beach clean Next Saturday 10am")
    read = ParseProblem("read_week", {"phrase": "Next Saturday", "day": date(2026, 11, 21)})
    assert Ambiguity("date", read) in p.ambiguities

