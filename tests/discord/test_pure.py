"""Pure parts of the adapter: rendering, translation of recorded payloads, settings."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.discord.render import LIMIT, escape, render
from adapters.discord.settings import SECTION, load, problems
from adapters.discord.translate import (
    Facts,
    button_text,
    command,
    custom_id,
    facts_from_payload,
    slash_text,
)
from core.contract.messages import BUTTON_ACTIONS, Button, Message, Span, text_message, user

# An INTERACTION_CREATE for a button press, as recorded from the fake (trimmed of noise).
PRESS = {
    "id": "1311111111111111111",
    "application_id": "1300000000000000000",
    "type": 3,
    "data": {"custom_id": "gather:join:K7QF", "component_type": 2},
    "channel_id": "1322222222222222222",
    "channel": {"id": "1322222222222222222", "name": "events", "type": 0},
    "guild_id": "1333333333333333333",
    "member": {
        "user": {"id": "1344444444444444444", "username": "mo", "global_name": "Mo"},
        "nick": None,
        "permissions": str(1 << 33),
    },
    "token": "itoken-1",
}
DM_COMMAND = {
    "id": "1355555555555555555",
    "type": 2,
    "data": {"name": "list", "type": 1, "options": []},
    "channel_id": "1366666666666666666",
    "channel": {"id": "1366666666666666666", "type": 1},
    "user": {"id": "1344444444444444444", "username": "mo"},
    "token": "itoken-2",
}


def test_a_recorded_button_press_becomes_a_join_by_an_event_manager() -> None:
    facts = facts_from_payload(PRESS)
    text = button_text(PRESS["data"]["custom_id"])
    assert text == "/join K7QF"
    cmd = command(facts, text)
    assert cmd.actor.network == "discord" and cmd.actor.native_id == "1344444444444444444"
    assert cmd.actor.display_name == "Mo" and cmd.actor.handle == "mo"
    assert cmd.room.chat_id == "1322222222222222222" and not cmd.room.is_private
    assert cmd.event_key == "interaction:1311111111111111111"
    assert cmd.actor_is_admin


def test_a_dm_command_is_private_and_never_admin() -> None:
    facts = facts_from_payload(DM_COMMAND)
    cmd = command(Facts(**{**facts.__dict__, "permissions": 1 << 3}), "/list")
    assert cmd.room.is_private and not cmd.actor_is_admin


@pytest.mark.parametrize(
    ("permissions", "admin"), [(0, False), (1 << 33, True), (1 << 3, True), (1 << 13, False)]
)
def test_only_manage_events_or_administrator_make_an_admin(permissions: int, admin: bool) -> None:
    facts = Facts(1, 2, "u", "U", 3, 4, "c", permissions)
    assert command(facts, "/cancel K7QF").actor_is_admin is admin


@pytest.mark.parametrize(
    ("name", "options", "text"),
    [
        ("gather", {"text": "Picnic, Sunday 2pm"}, "/gather Picnic, Sunday 2pm"),
        ("join", {"code": "k7qf", "guests": 2}, "/join K7QF +2"),
        ("join", {}, "/join"),
        ("join", {"code": "K7QF", "role": "first  aider", "guests": 1}, "/join K7QF first aider +1"),
        ("join", {"role": "driver"}, "/join driver"),
        ("leave", {"code": "K7QF"}, "/leave K7QF"),
        ("edit", {"code": "K7QF", "change": "when Sunday 11am"}, "/edit K7QF when Sunday 11am"),
        ("cancel", {"code": "K7QF", "reason": "rain"}, "/cancel K7QF rain"),
        ("settings", {"change": "reminders off"}, "/settings reminders off"),
        ("tell", {"code": "k7qf", "message": "Meet at  the gate"}, "/tell K7QF Meet at the gate"),
        ("list", {"page": 2}, "/list all 2"),
        ("list", {}, "/list"),
        ("join", {"code": "K7QF; /forget"}, None),
        ("join", {"code": "K7QF", "guests": 99}, None),
    ],
)
def test_slash_commands_read_like_the_other_networks(
    name: str, options: dict[str, object], text: str | None
) -> None:
    assert slash_text(name, options) == text


def test_every_button_custom_id_is_short_static_and_understood() -> None:
    for action in BUTTON_ACTIONS:
        for code in ("K7QF", "ABCDEFGH", "Z" * 12):
            for argument in ("", "yes", "bénévoles", "first-aider", "x" * 32):
                button = Button(action, code, "label", argument)
                cid = custom_id(button)
                assert len(cid) <= 100 and button_text(cid) == button.command


@pytest.mark.parametrize(
    "cid",
    [
        "gather:join:",
        "gather:nuke:K7QF",
        "gather:join:K7QF:",
        "gather:join:K7QF:a b",
        "gather:join:K7QF:a:b",
        "gather:join:K7QF:" + "x" * 33,
        "join:K7QF",
        "",
        "gather:join:k7qf",
    ],
)
def test_tampered_custom_ids_are_refused(cid: str) -> None:
    assert button_text(cid) is None


@pytest.mark.parametrize(
    "hostile",
    [
        "@everyone",
        "@here",
        "<@&123456789012345678>",
        "<@123456789012345678>",
        "@\u202eeveryone",
        "**bold** __u__ ~~s~~ ||spoiler|| `code`",
        "# heading",
        "> quote",
        "[link](https://x.y)",
        "<t:1700000000:R>",
        "<:emoji:123456789012345678>",
    ],
)
def test_user_text_pings_nobody_and_keeps_no_markup(hostile: str) -> None:
    shown = escape(hostile)
    assert "@everyone" not in shown and "@here" not in shown
    assert re.search(r"(?<!\\)<[@#:t]", shown) is None  # every such "<" is escaped
    assert "**" not in shown.replace("\\*", "")
    assert not shown.startswith(("#", ">", "["))


def _sized(n: int) -> Message:
    return Message(((Span("x" * n),),))


@pytest.mark.parametrize("n", [LIMIT - 1, LIMIT, LIMIT + 1, 5000])
def test_content_is_never_over_2000(n: int) -> None:
    text = render(_sized(n))
    assert len(text) <= LIMIT
    assert (text == "x" * n) is (n <= LIMIT)


def test_a_long_list_is_cut_at_a_paragraph_with_an_ellipsis() -> None:
    message = text_message(*(f"Gathering number {i} on Saturday" for i in range(200)))
    text = render(message)
    assert len(text) <= LIMIT and text.endswith("\n…")
    assert all(line.startswith("Gathering number") for line in text.splitlines()[:-1])


def test_a_long_title_is_shortened_and_the_code_line_kept() -> None:
    message = text_message(
        ("📣 ", user("😀" * 2500)), "🗓 Saturday", ("Code: ", Span("K7QF", "code"))
    )
    text = render(message)
    assert len(text.encode("utf-16-le")) // 2 <= LIMIT
    assert text.endswith("Code: `K7QF`") and "…" in text


@given(st.text(max_size=3000))
def test_any_text_renders_within_the_limit_without_split_surrogates(raw: str) -> None:
    text = render(Message(((user(raw),), (Span("Code: "), Span("K7QF", "code")))))
    assert len(text.encode("utf-16-le", "surrogatepass")) // 2 <= LIMIT
    text.encode("utf-8")  # no lone surrogate


def test_settings_problems_name_every_bad_key() -> None:
    found = problems(
        {
            "api_base_url": "ftp://x",
            "gateway_url": "https://g",
            "sync_commands": "yes",
            "colour": "blue",
            "token_env": "not a name",
            "guild_ready_timeout": -1,
        },
        {},
    )
    assert len(found) == 6
    assert problems({}, {}) == []
    assert load({}).api_base_url == "https://discord.com/api/v10"


def test_secrets_come_from_the_named_environment_variable() -> None:
    assert SECTION.startable({}, {"DISCORD_BOT_TOKEN": "t"})
    assert not SECTION.startable({}, {})
    assert SECTION.startable({"token_env": "MY_TOKEN"}, {"MY_TOKEN": "t"})
