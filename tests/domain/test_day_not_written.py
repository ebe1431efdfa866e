"""A mention with no command word starts a gathering only when the person wrote a day: a clock
time the parser reads as today ("see you at 5pm!") or a start counted from the message ("in 30
minutes") does not make chatter an announcement. With /gather both are read (issue 14)."""

import pytest

from core.app import Gather
from core.contract.identities import RoomRef
from core.handlers.announcements import reads_as_announcement
from tests.conftest import START, make_settings
from tests.domain.chat import Chat, text_of

SETTINGS = make_settings(gather={"time_zone": "Europe/London", "languages": ["en", "de"]})
ROOM = RoomRef("mastodon", "public", False)


@pytest.mark.parametrize(
    "text",
    [
        "thanks for organising, see you at 11pm!",
        "great, I'll be there at 10:30pm",
        "bis gleich, wir sind um 23 Uhr da",
        "running late, there in 30 minutes",
        "ich bin in einer Stunde da",
    ],
)
def test_a_day_the_parser_supplied_is_not_an_announcement(text: str) -> None:
    assert not reads_as_announcement(SETTINGS, ROOM, text, START)


@pytest.mark.parametrize(
    "text",
    ["Beach clean Saturday 10am at the pier", "Strandputz am Samstag um 10 Uhr am Steg"],
)
def test_a_written_day_still_is(text: str) -> None:
    assert reads_as_announcement(SETTINGS, ROOM, text, START)


def test_gather_reads_a_start_counted_from_the_message(gather: Gather) -> None:
    reply = text_of(Chat(gather).say("alice", "/gather Flash mob in 30 minutes at the fountain"))
    assert "the fountain" in reply and "today" in reply, reply
