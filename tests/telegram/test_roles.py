"""Roles on Telegram: one button per role on the announcement; pressing one joins that role,
pressing another moves you, and the post counts each role against its target."""

from __future__ import annotations

from adapters.telegram import keyboards
from core.contract.messages import Button
from core.parsing import slug
from core.storage.db import Database
from sandbox.fakes.telegram_server import FakeTelegram
from tests.telegram.harness import announcement, code_of, make_gather, running

GATHER = ("/gather Beach clean at Portobello beach, Saturday 10am, "
          "need 2 pickers, 1 driver and a first-aider")


async def test_a_role_button_joins_that_role_and_another_moves_you(
    tg: FakeTelegram, database: Database
) -> None:
    alice = tg.create_user("Alice", username="alice")
    bob = tg.create_user("Bob", username="bob")
    group = tg.create_group("Portobello", members=[alice, bob])
    gather = make_gather(tg, database, group)
    async with running(tg, gather):
        tg.user_starts_bot(bob)
        await tg.wait_for(lambda: tg.last_bot_message(tg.private_chat(bob)), 5)
        tg.user_sends(group, alice, GATHER)
        post = await tg.wait_for(lambda: announcement(tg, group), 10)
        code = code_of(post)
        assert "Pickers 1/2 · Driver 0/1 · First-aider 0/1" in post.text
        assert [b["text"] for b in post.buttons] == [
            "I'm in: Pickers", "I'm in: Driver", "I'm in: First-aider",
            "Can't make it", "+1 guest"]
        assert [b["callback_data"] for b in post.buttons][:3] == [
            f"j:{code}:pickers", f"j:{code}:driver", f"j:{code}:first-aider"]

        tap = tg.user_taps(group, bob, post.message_id, f"j:{code}:driver")
        query = tap["callback_query"]["id"]
        await tg.wait_for(lambda: tg.callback_answer(query), 5)
        assert "You're in" in (tg.callback_answer(query).text or "")
        await tg.wait_for(lambda: "Driver 1/1" in post.text, 10)

        moved = tg.user_taps(group, bob, post.message_id, f"j:{code}:first-aider")
        await tg.wait_for(lambda: tg.callback_answer(moved["callback_query"]["id"]), 5)
        await tg.wait_for(lambda: "Driver 0/1 · First-aider 1/1" in post.text, 10)
        assert "Still needed: Pickers: 1 and 1 Driver." in post.text


def test_a_long_role_in_any_language_fits_telegrams_button_data() -> None:
    for name in ("førstehjælpere og samaritter", "é" * 60, "Sanitäterinnen-und-Ersthelfer"):
        data = keyboards.callback_data(Button("join", "K7QFK7QF", "label", slug(name)))
        assert keyboards.parse(data) is not None
