"""A series on Telegram (issue 17): its dates announced one by one, /join SERIES for all."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

from core.clock import FixedClock
from core.storage.db import Database
from sandbox.fakes.telegram_server import FakeTelegram
from tests.telegram.harness import make_gather, running

START = datetime(2026, 11, 21, 9, tzinfo=UTC)  # a Saturday: the first yoga is Sunday 7am
FIRST_STARTED = datetime(2026, 11, 22, 7, 1, tzinfo=UTC)

async def test_a_series_announces_its_dates_and_join_series_counts_in_each(
    tg: FakeTelegram, database: Database
) -> None:
    alice = tg.create_user("Alice", username="alice")
    bob = tg.create_user("Bob", username="bob")
    group = tg.create_group("Portobello", members=[alice, bob])
    clock = FixedClock(START)
    gather = make_gather(tg, database, group, clock=clock)

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
        # One date at a time: the next is made once this one has started, not a week's worth.
        assert await asyncio.to_thread(gather.make_due_occurrences) == 0
        clock.set(FIRST_STARTED)
        assert await asyncio.to_thread(gather.make_due_occurrences) == 1
        [second] = await tg.wait_for(
            lambda: [text for text in posts() if "23 November" in text], 15
        )
        assert "2 going" in second, second
