"""One-tap corrections on Telegram: the reply to /gather read by the fallback reader carries an
inline button per other reading; the organiser taps one, the gathering moves and the
announcement in the group is edited to the new day and time."""

from __future__ import annotations

from datetime import datetime

from core.app import Gather
from core.clock import SystemClock
from core.storage.db import Database
from sandbox.fakes.telegram_server import FakeChat, FakeMessage, FakeTelegram
from tests.conftest import make_settings
from tests.telegram.harness import running, section

# "o 7" alone: dateparser reads it as July; the Saturdays and the evening are offered.
POLISH = "/gather Sprzątanie plaży w sobotę o 7 przy molo"


def shown(token: str) -> str:
    """'20261212T0700' as an announcement shows it: '12 December 2026, 07:00'."""
    moment = datetime.strptime(token, "%Y%m%dT%H%M")
    return f"{moment.day} {moment:%B %Y, %H:%M}"


def with_buttons(tg: FakeTelegram, chat: FakeChat, prefix: str) -> FakeMessage | None:
    for message in tg.bot_messages(chat):
        if any(str(b["callback_data"]).startswith(prefix) for b in message.buttons):
            return message
    return None


async def test_the_organiser_taps_a_reading_and_the_announcement_moves(
    tg: FakeTelegram, database: Database
) -> None:
    alice = tg.create_user("Alice", username="alice")
    bob = tg.create_user("Bob", username="bob")
    group = tg.create_group("Plaża", members=[alice, bob])
    settings = make_settings(
        communities=[
            {"name": "c", "rooms": [f"telegram:{group.id}"], "languages": ["pl", "en"]}
        ],
        telegram=section(tg),
    )
    gather = Gather(settings, database, SystemClock())
    gather.prepare()
    async with running(tg, gather):
        tg.user_sends(group, alice, POLISH)
        reply = await tg.wait_for(lambda: with_buttons(tg, group, "f:"), 10)
        post = await tg.wait_for(lambda: with_buttons(tg, group, "j:"), 10)
        fixes = [str(b["callback_data"]) for b in reply.buttons]
        assert fixes and all(data.startswith("f:") for data in fixes)
        assert all(b["text"].startswith("🗓 ") for b in reply.buttons)
        _, code, token = fixes[0].split(":")
        assert shown(token) not in post.text

        # Bob may not; Alice may, once.
        bob_tap = tg.user_taps(group, bob, reply.message_id, fixes[0])["callback_query"]["id"]
        await tg.wait_for(lambda: tg.callback_answer(bob_tap), 5)
        assert "organiser" in (tg.callback_answer(bob_tap).text or "")
        tap = tg.user_taps(group, alice, reply.message_id, fixes[0])["callback_query"]["id"]
        await tg.wait_for(lambda: tg.callback_answer(tap), 5)
        assert shown(token) in (tg.callback_answer(tap).text or "")
        await tg.wait_for(lambda: shown(token) in post.text, 10)
        assert code in post.text
        again = tg.user_taps(group, alice, reply.message_id, fixes[0])["callback_query"]["id"]
        await tg.wait_for(lambda: tg.callback_answer(again), 5)
        assert "already" in (tg.callback_answer(again).text or "")
    assert tg.status_counts[500] == 0 and not tg.internal_errors
