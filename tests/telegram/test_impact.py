"""What a gathering achieved, on Telegram: the "how did it go?" DM reaches the organiser at
the end, their plain answer in the private chat is read as the report, and /impact in the
group shows the totals. The real PTB against the fake; the core's clock is injected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.app import Gather
from core.clock import FixedClock
from core.storage.db import Database
from sandbox.fakes.telegram_server import FakeTelegram
from tests.conftest import make_settings
from tests.telegram.harness import announcement, code_of, running, section

GATHER = "/gather@GatherTestBot Beach clean at the pier, Saturday 28 November 2026 10am, need 3"
ENDS = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # no end written: 2 hours after 10:00 GMT


async def test_the_question_arrives_the_answer_is_read_and_impact_answers(
    tg: FakeTelegram, database: Database
) -> None:
    alice = tg.create_user("Alice", username="alice")
    bob = tg.create_user("Bob", username="bob")
    group = tg.create_group("Portobello", members=[alice, bob])
    clock = FixedClock(ENDS - timedelta(days=3))
    settings = make_settings(
        communities=[{"name": "c", "rooms": [f"telegram:{group.id}"]}], telegram=section(tg)
    )
    gather = Gather(settings, database, clock)
    gather.prepare()
    async with running(tg, gather):
        tg.user_starts_bot(alice)
        dm = tg.private_chat(alice)
        await tg.wait_for(lambda: tg.bot_messages(dm), 5)
        tg.user_sends(group, alice, GATHER)
        post = await tg.wait_for(lambda: announcement(tg, group), 10)
        code = code_of(post)
        tg.user_sends(group, bob, f"/join {code}")
        await tg.wait_for(lambda: "2 going of 3 needed" in post.text, 10)

        clock.set(ENDS)  # the worker looks again within a second
        asked = await tg.wait_for(
            lambda: [m for m in tg.bot_messages(dm) if "How did" in m.text], 10
        )
        assert f"/report {code}" in asked[0].text and "Just answer this message" in asked[0].text

        tg.user_sends(dm, alice, "14 came, 32 bags and a shopping trolley")
        noted = await tg.wait_for(lambda: [m for m in tg.bot_messages(dm) if "Noted" in m.text], 10)
        assert "14 people came" in noted[0].text and "1 shopping trolley" in noted[0].text

        tg.user_sends(group, bob, "/impact@GatherTestBot")
        shown = await tg.wait_for(
            lambda: [m for m in tg.bot_messages(group) if "volunteer hours" in m.text], 10
        )
        assert "1 gathering held" in shown[0].text and "28 volunteer hours" in shown[0].text
        assert "32 bags" in shown[0].text and "Alice" not in shown[0].text
    assert len([m for m in tg.bot_messages(dm) if "How did" in m.text]) == 1
