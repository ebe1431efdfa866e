"""The pure parts: rendering, callback data, translation of recorded updates, error mapping."""

from __future__ import annotations

import datetime as dtm
import html
import logging

import httpx
import pytest
from telegram import Bot, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from adapters.telegram import keyboards, redact, settings, translate
from adapters.telegram.render import LIMIT, defang, render, utf16_len, visible_length
from adapters.telegram.sends import TelegramSends, subjects_for
from core.contract.commands import Command
from core.contract.messages import BUTTON_ACTIONS, Button, Message, Span, text_message
from core.delivery.outbox import ChatMoved, Failed, RetryLater, Sent, Uncertain, Unreachable
from core.storage.statuses import PledgeSource

BOT = Bot("123456789:AAHfakeTokenForGatherTests_0123456789")


def visible(source: str) -> str:
    return html.unescape(redact_tags(source))


def redact_tags(source: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", source)


def test_every_span_is_escaped() -> None:
    message = Message(
        (
            (Span("<b>&</a>", "user"), Span("x<y", "strong"), Span("a&b", "code")),
            (Span("go", "link", 'https://e.x/?a=1&b="2"'), Span("js", "link", "javascript:x")),
        )
    )
    out = render(message)
    assert "<b>&lt;b&gt;&amp;&lt;/a&gt;</b>" not in out
    assert out.startswith("&lt;b&gt;&amp;&lt;/a&gt;<b>x&lt;y</b><code>a&amp;b</code>")
    assert '<a href="https://e.x/?a=1&amp;b=&quot;2&quot;">go</a>' in out
    assert "javascript" not in out  # only http(s) links become links


def test_user_text_cannot_mention_anyone() -> None:
    assert defang("@everyone hi\x00\x07") == "@\u2060everyone hi  "
    assert "👩\u200d👩\u200d👧" in defang("👩\u200d👩\u200d👧")  # ZWJ sequences survive


@pytest.mark.parametrize("extra", [-1, 0, 1, 904])
def test_length_limit_in_utf16_at_the_boundary(extra: int) -> None:
    title = "x" * (LIMIT - 30 + extra)  # the other lines and newlines take 30 units
    message = text_message(("Title: ", Span(title, "user")), "Saturday 10:00", "5 going")
    out = visible(render(message))
    assert utf16_len(out) <= LIMIT
    assert visible_length(message) <= LIMIT
    assert "Saturday 10:00" in out and "5 going" in out  # the short lines are kept
    if extra <= 0:
        assert title in out  # fits: untouched


def test_cut_never_splits_a_surrogate_pair() -> None:
    for offset in range(3):
        title = "a" * offset + "🎉" * 3000  # each emoji is 2 UTF-16 units
        out = visible(render(text_message(Span(title, "user"))))
        assert utf16_len(out) <= LIMIT
        out.encode("utf-16-le").decode("utf-16-le")  # no lone surrogate
        assert out.endswith("…")


def test_many_paragraphs_are_cut_at_a_boundary() -> None:
    lines = [f"line {i} " + "y" * 90 for i in range(100)]
    out = visible(render(text_message(*lines)))
    assert utf16_len(out) <= LIMIT and out.endswith("\n…")
    assert all(line in lines or line == "…" for line in out.split("\n"))


def test_callback_data_parsing_is_strict() -> None:
    assert keyboards.parse("j:K7QF") == keyboards.Press("join", "K7QF")
    assert keyboards.parse("g:K7QFK7QF") == keyboards.Press("guest", "K7QFK7QF")
    assert keyboards.parse("j:K7QF:Fahrer") == keyboards.Press("join", "K7QF", "Fahrer")
    assert keyboards.parse("s:K7QF:yes").command == "/still K7QF yes"  # type: ignore[union-attr]
    bad_data = (None, "", "j:k7qf", "j:K7Q", "j:K7QF ", "j:K7QF\n", "x:K7QF", "j:O0I1")
    bad_arguments = ("j:K7QF:", "j:K7QF:a b", "j:K7QF:a:b", "j:K7QF:" + "x" * 33)
    for bad in bad_data + bad_arguments:
        assert keyboards.parse(bad) is None, bad


def test_every_button_becomes_callback_data_that_reads_back() -> None:
    for action in BUTTON_ACTIONS:
        for argument in ("", "no", "secouriste", "first-aider"):
            button = Button(action, "K7QFK7QF", "label", argument)
            press = keyboards.parse(keyboards.callback_data(button))
            assert press is not None and press.command == button.command


def _update(payload: dict) -> Update:
    update = Update.de_json(payload, BOT)
    assert update is not None
    return update


GROUP = {"id": -4000001, "type": "group", "title": "Beach"}
ALICE = {"id": 100001, "is_bot": False, "first_name": "Alice", "username": "alice"}
ANON = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}


def _message(text: str, chat: dict = GROUP, sender: dict = ALICE, **extra: object) -> dict:
    return {
        "update_id": 7,
        "message": {
            "message_id": 3,
            "date": 0,
            "chat": chat,
            "from": sender,
            "text": text,
            **extra,
        },
    }


def test_translate_commands_from_recorded_updates() -> None:
    command = translate.translate(
        _update(_message("/gather@GatherTestBot Tea, Sat 10am")), "GatherTestBot"
    )
    assert isinstance(command, Command)
    assert command.text == "/gather@GatherTestBot Tea, Sat 10am"
    assert command.event_key == "update:7" and command.room.chat_id == "-4000001"
    assert (command.actor.native_id, command.actor.handle) == ("100001", "alice")
    assert not command.room.is_private and not command.actor_is_admin
    assert translate.translate(_update(_message("/gather@OtherBot x")), "GatherTestBot") is None
    assert translate.translate(_update(_message("just chatting")), "GatherTestBot") is None
    assert translate.translate(_update(_message("/unknownword")), "GatherTestBot") is None
    private = {"id": 100001, "type": "private", "first_name": "Alice"}
    start = translate.translate(
        _update(_message("/start join-K7QF", chat=private)), "GatherTestBot"
    )
    assert isinstance(start, Command) and start.room.is_private and start.text == "/start join-K7QF"


def test_translate_anonymous_admin_migration_and_blocking() -> None:
    anon = translate.translate(
        _update(_message("/cancel K7QF", sender=ANON, sender_chat=GROUP)), "GatherTestBot"
    )
    assert isinstance(anon, Command) and anon.actor_is_admin
    assert anon.actor.native_id == "-4000001"  # the group speaks, not a shared bot account
    moved = _message("", migrate_to_chat_id=-1001234)
    del moved["message"]["text"]
    assert translate.translate(_update(moved), "B") == translate.Moved("-4000001", "-1001234")
    blocked = {
        "update_id": 9,
        "my_chat_member": {
            "chat": {"id": 100001, "type": "private", "first_name": "Alice"},
            "from": ALICE,
            "date": 0,
            "old_chat_member": {
                "status": "member",
                "user": {"id": 1, "is_bot": True, "first_name": "B"},
            },
            "new_chat_member": {
                "status": "kicked",
                "until_date": 0,
                "user": {"id": 1, "is_bot": True, "first_name": "B"},
            },
        },
    }
    assert translate.translate(_update(blocked), "B") == translate.Reachability("100001", True)


def test_translate_button_presses() -> None:
    def press(data: str) -> translate.Press:
        result = translate.translate(
            _update(
                {
                    "update_id": 8,
                    "callback_query": {
                        "id": "55",
                        "from": ALICE,
                        "chat_instance": "1",
                        "data": data,
                        "message": {"message_id": 4, "date": 0, "chat": GROUP, "text": "x"},
                    },
                }
            ),
            "B",
        )
        assert isinstance(result, translate.Press)
        return result

    good = press("l:K7QF")
    assert good.command is not None and good.command.text == "/leave K7QF"
    assert good.command.event_key == "update:8" and good.query_id == "55"
    assert good.command.via == PledgeSource.BUTTON  # a pledge it makes says so
    assert press("l:K7QF; /cancel K7QF").command is None


def test_limits_apply_the_group_limit_to_groups_only() -> None:
    assert [limit.name for limit, _ in subjects_for("-100123", dm=False)] == [
        "global",
        "chat",
        "group",
    ]
    assert [limit.name for limit, _ in subjects_for("100123", dm=False)] == ["global", "chat"]
    assert [limit.name for limit, _ in subjects_for("100123", dm=True)] == ["global", "chat"]


@pytest.mark.parametrize(
    ("error", "dm", "expected"),
    [
        (
            RetryAfter(dtm.timedelta(seconds=7)),
            False,
            RetryLater(7.0, "telegram: too many requests"),
        ),
        (ChatMigrated(-100777), False, ChatMoved("-100777")),
        (Forbidden("Forbidden: bot was blocked by the user"), True, Unreachable),
        (Forbidden("Forbidden: bot can't initiate conversation with a user"), True, Unreachable),
        (Forbidden("Forbidden: bot was kicked from the group chat"), False, Failed),
        (BadRequest("Message is not modified: specified new message content"), False, Sent("5")),
        (
            BadRequest("Message to edit not found"),
            False,
            Failed("message to edit not found", message_gone=True),
        ),
        (BadRequest("Can't parse entities"), False, Failed),
        (TimedOut(), False, Uncertain),
        (NetworkError("httpx.ConnectError: All connection attempts failed"), False, RetryLater),
        (NetworkError("Bad Gateway"), False, RetryLater),
    ],
)
def test_errors_become_outcomes(error: Exception, dm: bool, expected: object) -> None:
    outcome = TelegramSends(BOT).outcome_of(error, dm=dm, edit_of="5")  # type: ignore[arg-type]
    if isinstance(expected, type):
        assert isinstance(outcome, expected), outcome
    else:
        assert outcome == expected


def test_a_connect_timeout_is_retried_not_uncertain() -> None:
    error = TimedOut()
    error.__cause__ = httpx.ConnectTimeout("connect")
    assert isinstance(TelegramSends(BOT).outcome_of(error, dm=True), RetryLater)
    assert TelegramSends(BOT).outcome_of(RetryAfter(3), dm=False) == RetryLater(  # type: ignore[arg-type]
        3.0, "telegram: too many requests"
    )


def test_settings_problems() -> None:
    assert settings.problems({}, {}) == []
    found = settings.problems(
        {
            "mode": "webhook",
            "webhook_url": "http://x",
            "colour": 1,
            "port": "80",
            "base_url": "ftp://x",
        },
        {"TELEGRAM_BOT_TOKEN": "nonsense"},
    )
    text = "\n".join(found)
    for expected in ("colour", "port", "base_url", "https", "secret_token_env", "does not look"):
        assert expected in text
    assert "nonsense" not in text


def test_redaction_covers_messages_arguments_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = "123456789:AAHsecretsecretsecretsecret_123"
    redactor = redact.install(token)
    try:
        logger = logging.getLogger("telegram.ext.Updater")
        with caplog.at_level(logging.DEBUG):
            logger.info("POST https://api.telegram.org/bot%s/getMe", token)
            try:
                raise RuntimeError(f"failed {token}")
            except RuntimeError:
                logger.exception("boom")
        assert token not in caplog.text and "AAHsecret" not in caplog.text
        assert redact.REDACTED in caplog.text
        assert logging.getLogger("httpx").level >= logging.WARNING
    finally:
        redact.uninstall(redactor)
