"""Bad input through the core (FAULTS.md 32-35): empty, control-character and huge messages,
impossible or past dates and times, and local times that do not exist or exist twice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from core.app import Gather
from core.clock import FixedClock
from core.storage.db import Database
from core.storage.models import Gathering, Pledge
from core.storage.traffic import OutboxMessage
from tests.conftest import make_settings
from tests.domain.chat import Chat, code_in, text_of

EXAMPLE = "Try e.g.: /gather Beach clean at Portobello beach, Saturday 10am, need 20 people"


def gather_in(zone: str, database: Database) -> Gather:
    settings = make_settings(gather={"time_zone": zone, "languages": ["en"], "reminders": ["1d"]})
    gather = Gather(settings, database, FixedClock(datetime(2026, 10, 1, 9, tzinfo=UTC)))
    gather.prepare()
    return gather


def stored(database: Database) -> tuple[int, int, int]:
    def count(model: type) -> int:
        return database.transact(
            lambda s: int(s.scalar(select(func.count()).select_from(model)) or 0)
        )

    return count(Gathering), count(Pledge), count(OutboxMessage)


def starts_at(database: Database, code: str) -> datetime:
    when = database.transact(
        lambda s: s.scalar(select(Gathering.starts_at).where(Gathering.code == code))
    )
    assert when is not None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    ["/gather", "/gather    \t  ", "/gather \x00\x07\x1b", "/gather " + "x" * 10_000_000],
    ids=["empty", "whitespace", "control-characters", "ten-megabytes"],
)
def test_an_empty_or_huge_message_is_refused_and_stores_nothing(
    database: Database, text: str
) -> None:
    """32"""
    reply = Chat(gather_in("Europe/Berlin", database)).say("alice", text)
    assert not reply.ok and text_of(reply)
    assert stored(database) == (0, 0, 0)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("/gather party on 30 February", "There is no 30 February"),
        ("/gather party tomorrow at 25:00", "There is no such time as 25:00"),
        ("/gather party on 3 January 2026 at 5pm", "3 January 2026 is in the past"),
    ],
)
def test_an_impossible_or_past_date_is_refused_with_an_example(
    database: Database, text: str, why: str
) -> None:
    """33"""
    reply = Chat(gather_in("Europe/Berlin", database)).say("alice", text)
    assert not reply.ok
    assert why in text_of(reply) and EXAMPLE in text_of(reply)
    assert stored(database) == (0, 0, 0)


@pytest.mark.parametrize(
    ("zone", "said"),
    [("Europe/Berlin", "Saturday 3 April 2027"), ("America/New_York", "Thursday 4 March 2027")],
)
def test_a_numeric_date_is_read_in_the_communitys_order_and_said_in_words(
    database: Database, zone: str, said: str
) -> None:
    """33: "03/04" is read day-first in Europe and month-first in America, and the reply
    spells the date out so a wrong reading is seen at once (docs/faults.md)."""
    reply = Chat(gather_in(zone, database)).say("alice", "/gather party on 03/04 at 5pm")
    assert reply.ok and said in text_of(reply)


def test_a_time_in_the_spring_gap_moves_on_with_a_warning(database: Database) -> None:
    """34: 02:30 on 28 March 2027 does not exist in Berlin: it becomes 03:30 CEST, said so."""
    reply = Chat(gather_in("Europe/Berlin", database)).say(
        "alice", "/gather Night walk on 28 March 2027 at 2:30am"
    )
    assert reply.ok
    assert "03:30 CEST" in text_of(reply)
    assert "02:30 does not exist on 28 March (the clocks go forward)" in text_of(reply)
    assert starts_at(database, code_in(reply)) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


def test_a_time_that_happens_twice_takes_the_first_and_shows_the_offset(
    database: Database,
) -> None:
    """35: 02:30 on 25 October 2026 happens twice in Berlin: the first (summer, fold=0)."""
    reply = Chat(gather_in("Europe/Berlin", database)).say(
        "alice", "/gather Night walk on 25 October 2026 at 2:30am"
    )
    assert reply.ok
    assert "02:30 CEST" in text_of(reply)
    assert "02:30 happens twice on 25 October" in text_of(reply)
    assert starts_at(database, code_in(reply)) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
