"""/tell on Telegram, for real against the fake server: a pledger hears it by DM, and one who
never started the bot (403) hears it by a mention in the group (issue 16 §4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.storage.db import Database
from sandbox.demo.clock import ScriptedClock
from sandbox.fakes.telegram_server import FakeChat, FakeTelegram
from tests.telegram.harness import announcement, button, code_of, make_gather, running

GATHER = "/gather Beach clean at Portobello beach, Saturday 10am, need 30 people"
SAID = "Meet at the north gate, bring gloves"


async def test_tell_reaches_a_pledger_by_dm_and_one_who_never_started_the_bot_in_the_group(
    tg: FakeTelegram, database: Database
) -> None:
    alice, bob = tg.create_user("Alice"), tg.create_user("Bob")
    carol = tg.create_user("Carol", username="carol")
    group = tg.create_group("G", members=[alice, bob, carol])
    clock = ScriptedClock(datetime.now(UTC))
    gather = make_gather(tg, database, group, clock=clock)
    async with running(tg, gather):
        tg.user_starts_bot(alice)
        tg.user_starts_bot(bob)
        tg.user_sends(group, alice, GATHER)
        post = await tg.wait_for(lambda: announcement(tg, group), 10)
        assert post is not None
        code = code_of(post)
        tg.user_taps(group, bob, post.message_id, button(post, "j:"))
        tg.user_taps(group, carol, post.message_id, button(post, "j:"))
        await tg.wait_for(lambda: "3 going" in post.text, 10)
        tg.user_sends(group, alice, f"/tell {code} {SAID}")

        def said_to(person_chat: FakeChat) -> bool:
            return any(SAID in m.text for m in tg.bot_messages(person_chat))

        await tg.wait_for(lambda: said_to(tg.private_chat(bob)), 10)

        def answers() -> list[str]:
            chats = (group, tg.private_chat(alice))
            return [m.text for c in chats for m in tg.bot_messages(c) if "Sent to" in m.text]

        said = await tg.wait_for(answers, 10)
        assert said == ["Sent to 2 people: 2 by direct message, 0 by a mention in the room."]
        # Carol's DM is refused; once the refusals have settled she is mentioned in the group.
        await tg.wait_for(lambda: gather.dm_status("telegram", str(carol.id)) == "unreachable", 10)
        clock.advance(timedelta(minutes=2))
        posted = await tg.wait_for(
            lambda: next(
                (m for m in tg.bot_messages(group) if SAID in m.text and "Carol" in m.text), None
            ),
            10,
        )
        assert "Bob" not in posted.text  # only the one who could not be DMed is named
