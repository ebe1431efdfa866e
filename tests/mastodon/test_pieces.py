"""The pure parts: settings, HTML to text, rendering within the limit, notifications to
commands (on recorded Mastodon payloads), and the request budget."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from adapters.mastodon.budget import Budget, Priority
from adapters.mastodon.render import (
    countable_length,
    cut,
    neutralise,
    render_announcement,
    render_text,
)
from adapters.mastodon.settings import SECTION, problems
from adapters.mastodon.text import html_to_text, without_leading_mentions
from adapters.mastodon.translate import translate
from core.contract.identities import RoomRef
from core.contract.messages import MessageBuilder, code, user
from core.handlers.announcements import reads_as_announcement
from core.storage.statuses import PledgeSource
from sandbox.fakes.mastodon_entities import load_fixture
from tests.conftest import START, make_settings


def recorded_mention() -> dict[str, Any]:
    body = load_fixture("test_notifications")[1]["response"]["body"][0]
    assert body["type"] == "mention"
    return copy.deepcopy(body)


def test_settings_problems_name_every_bad_key() -> None:
    assert problems({"api_base_url": "https://mastodon.social"}, {}) == []
    found = problems(
        {
            "api_base_url": "mastodon.social",
            "visibility": "direct",
            "colour": "red",
            "reconcile_seconds": "often",
            "stream": "yes",
        },
        {},
    )
    assert len(found) == 5
    assert any("api_base_url" in f for f in found) and any("colour" in f for f in found)
    assert problems({}, {}) == [
        '[mastodon] api_base_url is required, e.g. "https://mastodon.social"'
    ]
    assert SECTION.startable({"token_env": "TOK"}, {"TOK": "x"})
    assert not SECTION.startable({}, {"TOK": "x"})
    assert SECTION.startable({}, {"MASTODON_ACCESS_TOKEN": "x"})


def test_html_becomes_plain_text() -> None:
    html = (
        '<p>Hi <span class="h-card"><a href="https://x/@gather" class="u-url mention">'
        "@<span>gather</span></a></span> picnic &amp; games<br />at 5</p>"
        "<p><script>alert(1)</script>bring &lt;b&gt;snacks&lt;/b&gt;</p>"
    )
    assert html_to_text(html) == "Hi @gather picnic & games\nat 5\n\nbring <b>snacks</b>"
    assert without_leading_mentions("@gather @bob@x.example join +1") == "join +1"


def test_mentions_are_neutralised() -> None:
    assert (
        neutralise("hi @victim@mastodon.social and @bob") == "hi ＠victim@mastodon.social and ＠bob"
    )
    assert neutralise("mail me@example.org") == "mail me@example.org"  # not a mention


def announcement(title: str, code_label: str = "Code: ") -> Any:
    b = MessageBuilder()
    b.line("📣 ", user(title))
    b.line("🗓 ", "Thursday 12 June 2031, 10:00 BST")
    b.line("📍 ", user("Portobello @victim@evil.example"))
    b.line("👥 ", "3 going of 20 needed")
    b.line(code_label, code("K7QF"))
    b.button("join", "K7QF", "I'm in")
    return b.build()


def test_announcement_at_around_the_limit() -> None:
    full = render_announcement(announcement("Beach clean"), 10_000)
    size = countable_length(full)
    assert "＠victim" in full and "@victim" not in full
    assert render_announcement(announcement("Beach clean"), size) == full
    assert render_announcement(announcement("Beach clean"), size + 1) == full
    shorter = render_announcement(announcement("Beach clean"), size - 1)
    assert countable_length(shorter) <= size - 1 and shorter != full
    for kept in ("🗓 Thursday 12 June 2031", "Code: K7QF", "Boost this post to join"):
        assert kept in shorter


@given(
    st.text(min_size=0, max_size=400),
    st.integers(min_value=100, max_value=600),
    st.sampled_from(["Code: ", "Kode: ", "Código: ", "Codice: ", "Code : "]),
)
def test_any_title_fits_and_keeps_the_essentials(title: str, limit: int, label: str) -> None:
    """In every language: the code line is kept by its code, whatever its label says."""
    text = render_announcement(announcement(title, label), limit)
    assert countable_length(text) <= limit
    assert f"{label}K7QF" in text and "🗓 Thursday" in text
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def test_cut_never_splits_an_emoji_sequence() -> None:
    family = "👩\u200d👩\u200d👧\u200d👦"
    text = "ab " + family * 5
    for length in range(2, len(text)):
        result = cut(text, length)
        assert countable_length(result) <= length
        assert not result.removesuffix("…").endswith("\u200d")


ENGLISH_AND_GERMAN = make_settings(
    gather={"time_zone": "Europe/London", "languages": ["en", "de"], "reminders": ["1d"]}
)


def announces(room: RoomRef, text: str) -> bool:
    """The core's own decision, for a community that reads English and German."""
    return reads_as_announcement(ENGLISH_AND_GERMAN, room, text, START)


def codes(status_id: str) -> str | None:
    return {"111": "K7QF"}.get(status_id)


def test_a_recorded_mention_becomes_a_command_in_the_public_room() -> None:
    mention = recorded_mention()
    mention["status"]["content"] = (
        '<p><span class="h-card"><a href="x" class="u-url mention">@<span>gather</span></a>'
        "</span> gather Picnic at the park, 12 June 2031 2pm</p>"
    )
    result = translate(mention, bot_id="1", bot_username="gather", code_for=codes, announces=announces)
    assert result is not None and result.command is not None
    assert result.command.text == "/gather Picnic at the park, 12 June 2031 2pm"
    assert result.command.room.chat_id == "public" and not result.command.room.is_private
    assert result.command.event_key == f"notification:{mention['id']}"
    assert result.command.actor.native_id == mention["account"]["id"]
    assert result.command.actor.handle == "admin"
    assert result.reply_to == mention["status"]["id"] and result.reply_acct == "admin"


def test_a_direct_reply_saying_join_gets_the_code_of_the_post_it_answers() -> None:
    mention = recorded_mention()
    mention["status"].update(
        visibility="direct", in_reply_to_id="111", content="<p>@gather join +2</p>"
    )
    result = translate(mention, bot_id="1", bot_username="gather", code_for=codes, announces=announces)
    assert result is not None and result.command is not None
    assert result.command.text == "/join K7QF +2"
    assert result.command.room.is_private and result.reply_visibility == "direct"
    assert result.command.via == PledgeSource.REPLY


def test_hi_is_help_and_bots_and_favourites_are_ignored() -> None:
    mention = recorded_mention()
    mention["status"]["content"] = "<p>hi @gather</p>"
    result = translate(mention, bot_id="1", bot_username="gather", code_for=codes, announces=announces)
    assert result is not None and result.help and result.command is None
    mention["account"]["bot"] = True
    assert translate(mention, bot_id="1", bot_username="gather", code_for=codes, announces=announces) is None
    favourite = recorded_mention() | {"type": "favourite"}
    assert translate(favourite, bot_id="1", bot_username="gather", code_for=codes, announces=announces) is None


def test_a_recorded_reblog_of_an_announcement_is_a_join() -> None:
    reblog = recorded_mention() | {"type": "reblog", "id": "77"}
    reblog["status"]["id"] = "111"
    result = translate(reblog, bot_id="1", bot_username="gather", code_for=codes, announces=announces)
    assert result is not None and result.command is not None
    assert result.command.text == "/join K7QF" and result.command.event_key == "notification:77"
    assert result.boosted_status == "111" and result.reply_to is None
    assert result.command.via == PledgeSource.BOOST
    reblog["status"]["id"] = "222"  # not an announcement
    assert translate(reblog, bot_id="1", bot_username="gather", code_for=codes, announces=announces) is None


def test_the_budget_keeps_reserves_for_people() -> None:
    now = [0.0]
    budget = Budget(100, 300, clock=lambda: now[0], wall=lambda: 1000.0 + now[0])
    while budget.try_take(Priority.LOW) == 0:
        pass
    assert budget.used == 60  # reconciliation stops at 60%
    assert budget.try_take(Priority.NORMAL) == 0 and budget.try_take(Priority.HIGH) == 0
    while budget.try_take(Priority.HIGH) == 0:
        pass
    assert budget.used == 100 and budget.try_take(Priority.HIGH) > 0
    now[0] = 301.0
    assert budget.try_take(Priority.LOW) == 0


def test_the_servers_view_and_a_429_hold_everyone_back() -> None:
    now = [0.0]
    budget = Budget(300, 300, clock=lambda: now[0], wall=lambda: 1000.0 + now[0])
    budget.observe(remaining=5, reset_epoch=1010.0, limit=20)  # another client used the rest
    assert budget.wait_needed(Priority.LOW) == 10.0
    assert budget.try_take(Priority.HIGH) == 0
    now[0] = 10.5
    assert budget.wait_needed(Priority.LOW) == 0
    assert budget.pause_until_wall(1030.0) > 19
    assert budget.wait_needed(Priority.HIGH) > 19


def test_a_mention_without_a_command_word_is_a_gathering_when_the_core_finds_a_day() -> None:
    mention = recorded_mention()
    for said, gathering in [
        ("Strandputz am Samstag um 10 Uhr", True),
        ("Beach clean Saturday 10am", True),
        ("thanks, see you all!", False),
        ("danke dir, bis bald", False),
        ("thanks for organising, see you Saturday!", False),
        ("See you Saturday at the beach!", False),
        ("Is the beach clean still on Saturday?", False),
        ("Danke fürs Organisieren, bis Samstag!", False),
        ("Saturday!", False),
        ("Litter pick Sunday at the park", True),
        ("Strandputz Sonntag, wir brauchen 10 Leute", True),
    ]:
        mention["status"]["content"] = f"<p>@gather {said}</p>"
        result = translate(mention, bot_id="1", bot_username="gather", code_for=codes,
                           announces=announces)
        assert result is not None
        assert (result.command is not None and result.command.text == f"/gather {said}") is (
            gathering
        ), said


def test_a_reply_to_an_announcement_never_starts_one_and_gets_no_help() -> None:
    mention = recorded_mention()
    for said in ("thanks for organising, see you Saturday!", "Beach clean Saturday 10am"):
        mention["status"].update(in_reply_to_id="111", content=f"<p>@gather {said}</p>")
        assert translate(mention, bot_id="1", bot_username="gather", code_for=codes,
                         announces=announces) is None, said
    # with the command word it is a command as ever
    mention["status"]["content"] = "<p>@gather join</p>"
    result = translate(mention, bot_id="1", bot_username="gather", code_for=codes, announces=announces)
    assert result is not None and result.command is not None
    assert result.command.text == "/join K7QF"
    # a reply to a post that is not an announcement is judged like any mention
    mention["status"].update(in_reply_to_id="999", content="<p>@gather Beach clean Saturday 10am</p>")
    result = translate(mention, bot_id="1", bot_username="gather", code_for=codes, announces=announces)
    assert result is not None and result.command is not None
    assert result.command.text == "/gather Beach clean Saturday 10am"


def test_a_reply_with_correction_buttons_keeps_its_edit_line_and_no_join_line() -> None:
    b = MessageBuilder().line("Not right? Send ", code("/edit K7QF when 28.11.2026 07:00"))
    b.button("fix", "K7QF", "🗓 Sat 28 Nov, 07:00", "20261128T0700")
    said = render_text(b.build(), 500, to="olga")
    assert "/edit K7QF when 28.11.2026 07:00" in said
    assert "20261128T0700" not in said and "join K7QF" not in said
    b.button("join", "K7QF", "I'm in")
    assert "join K7QF" in render_text(b.build(), 500)  # the join line stays where it belongs


def test_a_tell_of_the_longest_kind_reaches_a_mastodon_person_whole() -> None:
    """Any title, any language, a 30-character account: the organiser's words are never cut."""
    from core.handlers.telling import MAX_TELL, told_message
    from core.storage.models import Gathering

    words = ("Meet at the north gate, bring gloves. " * 20)[:MAX_TELL].strip()
    for language in ("en", "de", "fr", "es", "it", "pt", "nl", "da"):
        gathering = Gathering(title="Beach clean " * 16, code="K7QF", language=language)
        message = told_message(gathering, [words])
        text = render_text(message, 500, to="a" * 30 + "@mastodon.example", language=language)
        assert text.endswith(words), language
