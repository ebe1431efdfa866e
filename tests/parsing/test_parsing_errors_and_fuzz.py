"""ParseError cases and robustness: nothing crashes, nothing hangs."""

import contextlib
import time
from datetime import date, datetime
from datetime import time as dt_time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.parsing import (
    PROBLEM_CODES,
    MonthDay,
    ParsedGathering,
    ParseError,
    ParseProblem,
    parse_gathering,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 18, 9, 0, tzinfo=LONDON)


def parse(text: str, tz: str = "Europe/London") -> ParsedGathering:
    return parse_gathering(text, now=NOW, tz=tz)


@pytest.mark.parametrize(
    ("text", "code", "values"),
    [
        ("", "empty", {}),
        ("   ", "empty", {}),
        ("/gather", "empty", {}),
        ("/gather@GatherBot   #wewillgather", "empty", {}),
        ("Beach clean, bring gloves!", "no_date", {}),
        ("Beach clean Saturday 13 April 2019 10am", "in_the_past", {"day": date(2019, 4, 13)}),
        ("Beach clean on February 30th at 10am", "no_such_day", {"day": MonthDay(30, 2)}),
        ("Beach clean Saturday at 25:00", "no_such_time", {"phrase": "25:00"}),
        ("Beach clean today at 7am", "time_passed", {"time": dt_time(7), "day": NOW.date()}),
        ("x" * 2001, "too_long", {"length": 2001, "limit": 2000}),
        (12, "not_text", {}),
    ],
)
def test_no_usable_start_raises_a_coded_parse_error(
    text: object, code: str, values: dict[str, object]
) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)  # type: ignore[arg-type]
    assert info.value.problem == ParseProblem(code, values)  # type: ignore[arg-type]


def test_a_parse_error_holds_no_sentence_only_a_code_and_values() -> None:
    with pytest.raises(ParseError) as info:
        parse("Beach clean Saturday at 25:00")
    assert info.value.code == "no_such_time"
    assert not hasattr(info.value, "message")


def test_an_unknown_code_or_wrong_values_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        ParseProblem("no_such_thing")
    with pytest.raises(ValueError, match="takes"):
        ParseProblem("range", {"low": 1})


def test_ten_megabytes_are_refused_quickly() -> None:
    big = "Saturday 10am " * 750_000
    start = time.perf_counter()
    with pytest.raises(ParseError):
        parse(big)
    assert time.perf_counter() - start < 0.1


def test_control_characters_emoji_and_rtl_text_do_not_break_parsing() -> None:
    text = "\x00\x07🧹🌊 Beach clean\u202e at Portobello beach\u200f, Saturday 10am שלום 🎉\x1b"
    p = parse(text)
    assert p.starts_at == datetime(2026, 11, 21, 10, 0, tzinfo=LONDON)
    assert p.place is not None and p.place in text


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_gathering("Beach clean Saturday 10am", now=datetime(2026, 11, 18, 9, 0),
                        tz="Europe/London")


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_gathering("Beach clean Saturday 10am", now=NOW, tz="Mars/Olympus_Mons")


@pytest.mark.parametrize(
    "text",
    [
        "1" * 2000,
        "10:" * 666,
        "10-" * 666,
        "at " * 666,
        "the " * 500,
        "Saturday " * 222,
        "#a" * 1000,
        "@a" * 1000,
        "a1." * 666,
        "12/12/" * 333,
        " " * 1999 + "x",
        "meet at " + "The " * 400,
        "need " + "1 to " * 400,
    ],
)
def test_pathological_inputs_finish_quickly(text: str) -> None:
    start = time.perf_counter()
    with contextlib.suppress(ParseError):
        parse(text)
    assert time.perf_counter() - start < 0.5


PIECES = st.one_of(
    st.text(max_size=8),
    st.sampled_from(list("0123456789:./-@# \n")),
    st.sampled_from(["Saturday", "sat", "10am", "tomorrow", "morgen", "Uhr", " at ", "h",
                     "need", "people", "Treffpunkt", "12/12", "noon", "bis", "à", "kl.",
                     "\x00", "\u202e", "🎉", "/gather", "#tag", "@bot", "25:00", "Feb 30"]),
)
TEXT = st.lists(PIECES, max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT, lang=st.sampled_from([None, ["en"], ["de"], ["fr", "es"], ["da"]]))
def test_fuzz_never_crashes(text: str, lang: list[str] | None) -> None:
    try:
        p = parse_gathering(text, now=NOW, tz="Europe/London", languages=lang)
    except ParseError as exc:
        assert exc.code in PROBLEM_CODES
        return
    assert p.title
    assert p.starts_at.tzinfo == LONDON
    assert p.starts_at >= NOW or not p.has_time
    assert p.starts_at.date() >= NOW.date()
    assert p.place is None or p.place in text
    assert p.needed is None or p.needed > 0
    assert p.ends_at is None or p.ends_at >= p.starts_at
