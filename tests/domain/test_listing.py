"""/list says how many more there are and how to see them; /list all pages them (issue 16 §5)."""

from __future__ import annotations

from datetime import timedelta

from core.app import Gather
from core.clock import FixedClock
from core.storage.db import Database
from tests.conftest import make_settings
from tests.domain.chat import Chat, code_in, text_of

DAYS = ("Monday 7", "Tuesday 8", "Wednesday 9", "Thursday 10", "Friday 11", "Saturday 12")


def _announce(chat: Chat, clock: FixedClock, count: int, title: str = "Litter pick") -> list[str]:
    """`count` gatherings in December, by several organisers, within the per-person and
    per-room hourly limits."""
    codes = []
    for i in range(count):
        if i and i % 15 == 0:
            clock.advance(timedelta(minutes=61))
        day = DAYS[i % len(DAYS)]
        reply = chat.say(
            f"organiser{i % 4}",
            f"/gather {title} number {i} at the park, {day} December 2026 {1 + i % 9}pm",
        )
        codes.append(code_in(reply))
    return codes


def test_list_says_how_many_more_and_list_all_shows_them(gather: Gather, clock: FixedClock) -> None:
    chat = Chat(gather)
    codes = _announce(chat, clock, 13)
    shown = text_of(chat.say("carol", "/list"))
    assert sum(code in shown for code in codes) == 10
    assert "… and 3 more: /list all lists them all." in shown
    assert "/c/" not in shown  # pages are off here
    everything = text_of(chat.say("carol", "/list all"))
    assert all(code in everything for code in codes)
    assert "more" not in everything and "page" not in everything


def test_a_short_list_says_nothing_of_more(gather: Gather, clock: FixedClock) -> None:
    chat = Chat(gather)
    _announce(chat, clock, 3)
    assert "more" not in text_of(chat.say("carol", "/list"))


def test_list_all_comes_in_pages_that_fit_a_chat_message(gather: Gather, clock: FixedClock) -> None:
    chat = Chat(gather)
    long_title = "Community garden planting and compost workshop for the whole street " * 2
    codes = _announce(chat, clock, 45, title=long_title.strip())
    first = chat.say("carol", "/list all")
    text = text_of(first)
    assert "Coming up (page 1 of " in text and "/list all 2 shows the next page." in text
    seen: list[str] = []
    page = 1
    while True:
        reply = chat.say("carol", f"/list all {page}")
        assert reply.ok
        text = text_of(reply)
        assert len(text) < 2000  # Discord's limit, the smallest a room reply meets
        seen += [code for code in codes if code in text]
        if f"/list all {page + 1}" not in text:
            break
        page += 1
    assert page > 1 and sorted(seen) == sorted(codes)  # every one, each on one page
    beyond = chat.say("carol", f"/list all {page + 1}")
    assert not beyond.ok and f"There's no page {page + 1}." in text_of(beyond)


def test_where_pages_are_on_list_points_at_the_community_page(
    database: Database, clock: FixedClock
) -> None:
    settings = make_settings(web={"enabled": True, "public_url": "https://gather.example"})
    gather = Gather(settings, database, clock)
    gather.prepare()
    chat = Chat(gather)
    _announce(chat, clock, 11)
    reply = chat.say("carol", "/list")
    assert "see them all on the community page: https://gather.example/c/portobello" in text_of(
        reply
    )
    links = [s.target for p in reply.message.paragraphs for s in p if s.style == "link"]
    assert "https://gather.example/c/portobello" in links


def test_plain_list_of_long_entries_fits_a_message_and_still_says_how_many_more(
    gather: Gather, clock: FixedClock
) -> None:
    chat = Chat(gather)
    codes = _announce(chat, clock, 12)
    for i, code in enumerate(codes):  # titles and places as long as they may be
        organiser = f"organiser{i % 4}"
        assert chat.say(organiser, f"/edit {code} title " + "Garden planting workshop " * 10).ok
        assert chat.say(organiser, f"/edit {code} where " + "The old walled garden " * 15).ok
    text = text_of(chat.say("carol", "/list"))
    assert len(text) < 2000  # Discord's limit: nothing, least of all the last lines, cut off
    shown = sum(code in text for code in codes)
    assert 0 < shown < 10
    assert f"… and {len(codes) - shown} more: /list all lists them all." in text
