"""A series on Telegram (issue 17): its dates announced one by one, /join SERIES for all."""

from __future__ import annotations

import asyncio
import re

from core.storage.db import Database
from sandbox.fakes.telegram_server import FakeTelegram
from tests.telegram.harness import make_gather, running


async def test_a_series_announces_its_dates_and_join_series_counts_in_each(
    tg: FakeTelegram, database: Database
) -> None:
    alice = tg.create_user("Alice", username="alice")
    bob = tg.create_user("Bob", username="bob")
    group = tg.create_group("Portobello", members=[alice, bob])
    gather = make_gather(tg, database, group)

    def posts() -> list[str]:
        return [m.text for m in tg.bot_messages(group) if m.buttons and "🔁" in m.text]

    async with running(tg, gather):
        tg.user_sends(group, alice, "/gather Yoga every day 7am at the lido")
        [first] = await tg.wait_for(posts, 10)
        assert "Yoga" in first and "every day: /join" in first
        match = re.search(r"/join ([2-9A-Z]{5})", first)
        assert match, first
        tg.user_sends(group, bob, f"/join {match.group(1)}")
        await tg.wait_for(
            lambda: any("from now on" in m.text for m in tg.bot_messages(group)), 10
        )
        await tg.wait_for(lambda: "2 going" in posts()[0], 10)
        # What the outbox workers ask the core now and then: the dates due for announcing.
        made = await asyncio.to_thread(gather.make_due_occurrences)
        assert made >= 5  # those starting within 6 days
        later = await tg.wait_for(lambda: (lambda p: p if len(p) == 1 + made else None)(posts()), 15)
        assert all("2 going" in text for text in later[1:]), later
