""" "Still coming?" on Telegram: buttons on the reminder DM, and on the group post for someone
the bot cannot DM, answered with a pop-up; the real PTB against the fake Bot API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.clock import FixedClock
from core.storage.db import Database
from sandbox.fakes.telegram_server import FakeChat, FakeMessage, FakeTelegram
from tests.telegram.harness import announcement, code_of, make_gather, running

START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
GATHER = "/gather Beach clean at Portobello beach, Saturday 28 November 2026 10am, max 3"


def asking(tg: FakeTelegram, chat: FakeChat | int) -> FakeMessage | None:
    return next((m for m in tg.bot_messages(chat) if m.buttons and "Still coming?" in m.text), None)


def answer(message: FakeMessage, said: str) -> str:
    return next(
        str(b["callback_data"]) for b in message.buttons if b["callback_data"].endswith(said)
    )


async def test_the_buttons_on_the_dm_and_in_the_group_confirm_and_free_places(
    tg: FakeTelegram, database: Database
) -> None:
    alice, bob = tg.create_user("Alice", username="alice"), tg.create_user("Bob", username="bob")
    carol = tg.create_user("Carol")  # never started the bot: no DMs
    group = tg.create_group("Portobello", members=[alice, bob, carol])
    clock = FixedClock(START - timedelta(days=3))
    gather = make_gather(tg, database, group, clock=clock)
    async with running(tg, gather):
        tg.user_starts_bot(alice)
        tg.user_starts_bot(bob)
        tg.user_sends(group, alice, GATHER)
        post = await tg.wait_for(lambda: announcement(tg, group), 10)
        code = code_of(post)
        tg.user_sends(group, bob, f"/join {code}")
        tg.user_sends(group, carol, f"/join {code}")
        await tg.wait_for(lambda: "3 going" in post.text, 10)

        clock.set(START - timedelta(days=1))  # the day-before reminders fall due
        bob_dm = tg.private_chat(bob)
        question = await tg.wait_for(lambda: asking(tg, bob_dm), 10)
        assert [b["text"] for b in question.buttons] == ["Yes, see you there", "Can't make it now"]
    # The bot restarts between the question and the answer: the button still works.
    async with running(tg, gather):
        tap = tg.user_taps(bob_dm, bob, question.message_id, answer(question, ":yes"))
        said = await tg.wait_for(lambda: tg.callback_answer(tap["callback_query"]["id"]), 5)
        assert "you're confirmed for Beach clean" in (said.text or "")
        again = tg.user_taps(bob_dm, bob, question.message_id, answer(question, ":yes"))
        said = await tg.wait_for(lambda: tg.callback_answer(again["callback_query"]["id"]), 5)
        assert "already confirmed" in (said.text or "")
        await tg.wait_for(lambda: "1 confirmed" in post.text, 10)

        # Carol's DM is refused: she is asked in the group, with the buttons, a minute later.
        clock.advance(timedelta(minutes=2))
        in_group = await tg.wait_for(lambda: asking(tg, group), 10)
        before = len(tg.bot_messages(group))
        tap = tg.user_taps(group, carol, in_group.message_id, answer(in_group, ":no"))
        said = await tg.wait_for(lambda: tg.callback_answer(tap["callback_query"]["id"]), 5)
        assert "free for someone else" in (said.text or "")  # a pop-up only she sees
        assert len(tg.bot_messages(group)) == before
        await tg.wait_for(lambda: "2 going" in post.text, 10)

        clock.advance(timedelta(minutes=5))  # the releases settle into one post
        opened = await tg.wait_for(
            lambda: next((m for m in tg.bot_messages(group) if "place has opened" in m.text), None),
            10,
        )
        assert "1 place has opened at Beach clean" in opened.text
        assert [b["callback_data"] for b in opened.buttons] == [f"j:{code}"]
