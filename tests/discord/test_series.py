"""A series on Discord (issue 17): its dates announced one by one, /join SERIES for all."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

from core.clock import FixedClock
from core.storage.db import Database
from tests.discord.harness import World, running

START = datetime(2026, 11, 21, 9, tzinfo=UTC)  # a Saturday: the first yoga is Sunday 7am
FIRST_STARTED = datetime(2026, 11, 22, 7, 1, tzinfo=UTC)

async def test_a_series_announces_its_dates_and_join_series_counts_in_each(
    world: World, database: Database
) -> None:
    clock = FixedClock(START)
    gather = world.gather(database, clock)

    def posts() -> list[str]:
        return [m.content for m in world.announcements() if "🔁" in m.content]

    async with running(gather, world):
        reply = await world.slash(world.organiser, "gather",
                                  {"text": "Yoga every day 7am at the lido"})
        assert "Started a series" in reply.content
        [first] = await world.dc.wait_for(posts)
        match = re.search(r"/join ([2-9A-Z]{5})", first)
        assert match, first
        joined = await world.slash(world.member, "join", {"code": match.group(1)})
        assert joined.ephemeral and "from now on" in joined.content
        await world.dc.wait_for(lambda: "2 going" in posts()[0])
        # What the outbox workers ask the core now and then: the dates due for announcing.
        # One date at a time: the next is made once this one has started, not a week's worth.
        assert await asyncio.to_thread(gather.make_due_occurrences) == 0
        clock.set(FIRST_STARTED)
        assert await asyncio.to_thread(gather.make_due_occurrences) == 1
        [second] = await world.dc.wait_for(
            lambda: [text for text in posts() if "23 November" in text], 15
        )
        assert "2 going" in second, second
