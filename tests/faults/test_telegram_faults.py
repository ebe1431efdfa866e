"""Telegram faults (FAULTS.md 11 and 12), python-telegram-bot against the fake Telegram server:
a reply lost after the message went out, and a person who never opened a chat with the bot."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from core.storage.db import Database
from core.storage.models import Pledge
from core.storage.traffic import OutboxMessage
from sandbox.fakes.telegram_models import RecordedRequest
from sandbox.fakes.telegram_server import FakeTelegram
from tests.telegram.harness import announcement, button, code_of, make_gather, running

GATHER = "/gather Beach clean at Portobello beach, Saturday 10am, need 2 people"


def statuses(database: Database) -> list[str]:
    return database.transact(
        lambda s: [str(row.status) for row in s.scalars(select(OutboxMessage))]
    )


async def test_a_reply_lost_after_the_dm_went_out_is_uncertain_and_not_sent_again(
    tg: FakeTelegram, database: Database
) -> None:
    """11: an "It's on!" DM is stored by Telegram but the answer comes after the client's read
    timeout (5 s): the row is `uncertain` and the DM is not sent a second time (at most once,
    docs/operations.md)."""
    alice, bob = tg.create_user("Alice"), tg.create_user("Bob")
    group = tg.create_group("G", members=[alice, bob])
    gather = make_gather(tg, database, group)
    async with running(tg, gather):
        tg.user_starts_bot(alice)
        tg.user_starts_bot(bob)
        tg.user_sends(group, alice, GATHER)
        post = await tg.wait_for(lambda: announcement(tg, group), 10)
        assert post is not None
        await tg.wait_for(lambda: len(tg.calls("sendMessage")) == 4, 10)  # hellos, reply, post
        await tg.wait_for(lambda: tg.calls("sendMessage")[-1].status == 200, 10)
        tg.slow_down("sendMessage", seconds=8, times=1, after_processing=True)
        tg.user_taps(group, bob, post.message_id, button(post, "j:"))
        await tg.wait_for(lambda: "uncertain" in statuses(database), 15)
        await asyncio.sleep(1.0)  # time for a blind retry, if there were one
    for person in (alice, bob):
        dms = [m for m in tg.bot_messages(tg.private_chat(person)) if "on!" in m.text]
        assert len(dms) == 1, (person, [m.text for m in tg.bot_messages(tg.private_chat(person))])
    assert statuses(database).count("uncertain") == 1


async def test_a_person_who_never_started_the_bot_keeps_the_pledge_and_gets_the_link(
    tg: FakeTelegram, database: Database
) -> None:
    """12: `403 bot can't initiate conversation`: the pledge stays, the refused DM is not
    retried, and the press is answered with the /start deep link (privately: docs/faults.md)."""
    alice, bob = tg.create_user("Alice"), tg.create_user("Bob", username="bob")
    group = tg.create_group("G", members=[alice, bob])
    gather = make_gather(tg, database, group)
    async with running(tg, gather):
        tg.user_starts_bot(alice)
        tg.user_sends(group, alice, GATHER)
        post = await tg.wait_for(lambda: announcement(tg, group), 10)
        assert post is not None
        tapped = tg.user_taps(group, bob, post.message_id, button(post, "j:"))
        await tg.wait_for(lambda: "2 going" in post.text, 10)

        def to_bob() -> list[RecordedRequest]:
            return [r for r in tg.calls("sendMessage") if r.params.get("chat_id") == str(bob.id)]

        await tg.wait_for(to_bob, 10)
        await asyncio.sleep(1.5)  # time for retries, if there were any
    assert [r.status for r in to_bob()] == [403]  # the "It's on!" DM, tried once
    [answer] = [
        a for a in tg.callback_answers if a.callback_query_id == tapped["callback_query"]["id"]
    ]
    assert answer.url is not None and f"start=join-{code_of(post)}" in answer.url
    states = database.transact(lambda s: [str(p.state) for p in s.scalars(select(Pledge))])
    assert states.count("going") == 2
