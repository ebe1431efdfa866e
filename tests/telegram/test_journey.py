"""A whole gathering on Telegram, as people in a group see it: the real PTB against the fake."""

from __future__ import annotations

from typing import Any

from core.storage.db import Database
from sandbox.fakes.telegram_server import FakeChat, FakeTelegram
from tests.telegram.harness import announcement, button, code_of, make_gather, running

GATHER = "/gather Beach clean at Portobello beach, Saturday 10am, need 3 people"


async def test_from_gather_to_its_on_to_cancel(tg: FakeTelegram, database: Database) -> None:
    alice = tg.create_user("Alice", username="alice")  # organiser
    bob = tg.create_user("Bob", username="bob")  # has started the bot
    carol = tg.create_user("Carol")  # has not
    mallory = tg.create_user("Mallory")  # neither organiser nor admin
    group = tg.create_group("Portobello", members=[alice, bob, carol, mallory])
    gather = make_gather(tg, database, group)
    async with running(tg, gather):
        await tg.wait_for(lambda: tg.commands, 5)
        words = [c["command"] for c in next(iter(tg.commands.values()))]
        assert {"gather", "join", "leave", "cancel", "edit", "help"} <= set(words)

        tg.user_starts_bot(bob)
        await tg.wait_for(lambda: tg.last_bot_message(tg.private_chat(bob)), 5)
        tg.user_sends(group, alice, GATHER.replace("/gather", "/gather@GatherTestBot"))
        post = await tg.wait_for(lambda: announcement(tg, group), 10)
        code = code_of(post)
        assert "Beach clean" in post.text and "1 going of 3 needed" in post.text
        assert [b["text"] for b in post.buttons] == ["I'm in", "Can't make it", "+1 guest"]
        # The reply to /gather and the announcement (sent by the outbox) race: wait for both.
        await tg.wait_for(
            lambda: any(code in m.text for m in tg.bot_messages(group) if m is not post), 5
        )

        # Bob (reachable) taps: a plain answer. Carol (never started the bot): the deep link.
        bob_tap = tg.user_taps(group, bob, post.message_id, button(post, "j:"))
        carol_tap = tg.user_taps(group, carol, post.message_id, button(post, "j:"))
        bob_q, carol_q = bob_tap["callback_query"]["id"], carol_tap["callback_query"]["id"]
        await tg.wait_for(lambda: tg.callback_answer(bob_q) and tg.callback_answer(carol_q), 5)
        assert "You're in" in (tg.callback_answer(bob_q).text or "")
        assert tg.callback_answer(bob_q).url is None
        assert tg.callback_answer(carol_q).url == tg.deep_link(f"join-{code}")
        assert len(tg.callback_answer(carol_q).text or "") <= 200

        # The announcement converges on the count: 3 of 3, it's on.
        await tg.wait_for(lambda: "3 going of 3 needed" in post.text, 10)
        assert "It's on" in post.text and post.buttons
        # "It's on" reached Bob by DM; Carol could not be messaged yet.
        bob_dm = tg.private_chat(bob)
        await tg.wait_for(
            lambda: any("it's on" in m.text.lower() for m in tg.bot_messages(bob_dm)), 10
        )
        assert tg.bot_messages(tg.private_chat(carol)) == []

        # Carol follows the deep link: /start join-CODE confirms, and DMs work from now on.
        tg.user_starts_bot(carol, f"join-{code}")
        carol_dm = tg.private_chat(carol)
        confirmed = await tg.wait_for(
            lambda: [m for m in tg.bot_messages(carol_dm) if "Confirmed" in m.text], 5
        )
        assert "Beach clean" in confirmed[0].text

        # Mallory may not cancel; an anonymous admin may.
        mallory_says = tg.user_sends(group, mallory, f"/cancel {code}")
        refusal = await tg.wait_for(lambda: _reply_to(tg, group, mallory_says), 5)
        assert "organiser" in refusal.lower() or "admin" in refusal.lower(), refusal
        assert post.buttons and "CANCELLED" not in post.text
        tg.anonymous_admin_sends(group, f"/cancel@GatherTestBot {code} rain")
        await tg.wait_for(lambda: "CANCELLED" in post.text, 10)
        assert post.reply_markup is None  # no buttons on a cancelled gathering
        # Everyone who could be told by DM was told, Carol included now.
        await tg.wait_for(
            lambda: any("cancel" in m.text.lower() for m in tg.bot_messages(carol_dm)), 10
        )
        await tg.wait_for(
            lambda: any("cancel" in m.text.lower() for m in tg.bot_messages(bob_dm)), 10
        )
    assert tg.rate_limited_count == 0
    assert tg.status_counts[500] == 0 and not tg.internal_errors


def _reply_to(tg: FakeTelegram, group: FakeChat, update: dict[str, Any]) -> str:
    """The text of the bot's reply to the message in `update`, or ''."""
    message_id = update["message"]["message_id"]
    for message in tg.bot_messages(group):
        replied = message.params.get("reply_parameters") or {}
        if isinstance(replied, dict) and int(replied.get("message_id", 0)) == message_id:
            return message.text
    return ""
