"""Knowing what is an announcement (issue 14 point 7): the same announcement twice is one
gathering, and a join without a code never lands on another gathering than the room's latest."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from core.app import Gather
from core.clock import FixedClock
from core.contract.identities import RoomRef
from tests.domain.chat import Chat, code_in, text_of

LABELLED = Path(__file__).parents[1] / "parsing" / "data" / "announcing" / "announcement-or-not.jsonl"
BEACH = "/gather Beach clean at Portobello beach, Saturday 28 November 2026 10am, need 5"


def test_the_same_announcement_twice_in_a_few_minutes_gives_the_first_code_back(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    first = code_in(chat.say("alice", BEACH))
    clock.advance(timedelta(minutes=3))
    again = chat.say("alice", BEACH.replace("Beach clean", "beach  clean"))
    assert again.gathering_code == first
    assert "You announced this a moment ago" in text_of(again)
    # someone else announcing the same words starts their own
    assert code_in(chat.say("bob", BEACH)) != first
    # and so does the organiser, much later
    clock.advance(timedelta(minutes=30))
    assert code_in(chat.say("alice", BEACH)) != first


def test_join_without_a_code_never_picks_an_older_gathering_when_the_latest_has_started(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    older = code_in(chat.say("alice", BEACH))
    clock.advance(timedelta(hours=1))
    latest = code_in(chat.say("alice", "/gather Coffee at the pier today 11am"))
    clock.advance(timedelta(hours=3))  # the coffee has started; the beach clean has not
    reply = chat.say("bob", "/join")
    assert not reply.ok and reply.gathering_code is None
    assert latest in text_of(reply) and f"/join {latest}" in text_of(reply)
    assert "I did nothing" in text_of(reply)
    assert f"• Beach clean ({older})" in text_of(reply)  # the one still open, to choose
    assert chat.say("bob", f"/join {older}").ok


def test_join_without_a_code_joins_the_newest_and_says_which(gather: Gather) -> None:
    chat = Chat(gather)
    code_in(chat.say("alice", BEACH))
    pasta = code_in(chat.say("carol", "/gather Pasta night at the hall, Friday 4 December 2026 7pm"))
    joined = chat.say("bob", "/join")
    assert joined.ok and joined.gathering_code == pasta
    assert "Pasta night" in text_of(joined) and pasta in text_of(joined)


def test_a_mention_reads_as_an_announcement_only_when_it_is_one(gather: Gather) -> None:
    """Labelled mentions in the eight languages (tests/parsing/data/announcing/announcement-or-not.jsonl),
    judged in a community that reads all eight: no false announcement, none missed."""
    room = RoomRef("mastodon", "public", is_private=False)
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    wrong = [row["id"] for row in rows
             if gather.reads_as_announcement(room, row["text"]) is not row["announcement"]]
    assert wrong == []
