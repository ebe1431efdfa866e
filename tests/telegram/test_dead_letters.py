"""A press whose handling raises is acknowledged, kept as a dead letter, retried, counted once."""

from __future__ import annotations

from datetime import timedelta

from core.operations.dead_letters import MAX_ATTEMPTS
from core.storage.db import Database
from sandbox.fakes.telegram_server import FakeTelegram
from tests.operations.refusing import allow_writes, refuse_writes
from tests.telegram.harness import announcement, button, code_of, make_gather, running

GATHER = "/gather Beach clean at Portobello beach, Saturday 10am, need 3 people"


async def test_a_failed_press_is_kept_retried_and_counted_once(
    tg: FakeTelegram, database: Database
) -> None:
    alice, bob = tg.create_user("Alice", username="alice"), tg.create_user("Bob")
    group = tg.create_group("Portobello", members=[alice, bob])
    gather = make_gather(tg, database, group)
    async with running(tg, gather) as bot:
        bot.inbound.first_retry = timedelta(0)  # due at once: the test drives the retries
        tg.user_sends(group, alice, GATHER)
        post = await tg.wait_for(lambda: announcement(tg, group), 10)
        await tg.wait_for(lambda: "1 going of 3" in post.text, 10)

        refuse_writes(database, "pledges")
        tap = tg.user_taps(group, bob, post.message_id, button(post, "j:"))
        query = tap["callback_query"]["id"]
        answer = await tg.wait_for(lambda: tg.callback_answer(query), 5)
        assert "went wrong" in (answer.text or "").lower() or answer.show_alert
        letters = await tg.wait_for(lambda: gather.operations.dead_letters("telegram"), 5)
        assert [letter.event_key for letter in letters] == [f"update:{tap['update_id']}"]
        assert "IntegrityError" in letters[0].error or "disk is full" in letters[0].error
        # Acknowledged to Telegram all the same: the queue moves on.
        await tg.wait_for(lambda: not tg.pending_updates, 5)

        assert await bot.inbound.retry_due() == 0  # still refused: tried again, kept
        allow_writes(database, "pledges")
        assert await bot.inbound.retry_due() == 1
        assert gather.operations.dead_letters() == []
        await tg.wait_for(lambda: "2 going of 3" in post.text, 10)
        assert await bot.inbound.retry_due() == 0  # nothing left, nothing twice
        assert code_of(post) and "2 going of 3" in post.text


async def test_a_letter_that_keeps_failing_is_kept_for_the_operator(
    tg: FakeTelegram, database: Database
) -> None:
    alice, bob = tg.create_user("Alice", username="alice"), tg.create_user("Bob")
    group = tg.create_group("Portobello", members=[alice, bob])
    gather = make_gather(tg, database, group)
    async with running(tg, gather) as bot:
        bot.inbound.first_retry = timedelta(0)
        tg.user_sends(group, alice, GATHER)
        post = await tg.wait_for(lambda: announcement(tg, group), 10)
        refuse_writes(database, "pledges")
        tg.user_taps(group, bob, post.message_id, button(post, "j:"))
        await tg.wait_for(lambda: gather.operations.dead_letters("telegram"), 5)
        for _ in range(MAX_ATTEMPTS + 2):
            await bot.inbound.retry_due()
        (letter,) = gather.operations.dead_letters("telegram")
        assert letter.attempts == MAX_ATTEMPTS and letter.next_attempt_at is None

        # The operator heals the database and asks for one more try.
        allow_writes(database, "pledges")
        assert gather.operations.retry_dead_letters(letter.id) == 1
        assert await bot.inbound.retry_due() == 1
        await tg.wait_for(lambda: "2 going of 3" in post.text, 10)
        assert gather.operations.dead_letters() == []
