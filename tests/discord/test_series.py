"""A series on Discord (issue 17): its dates announced one by one, /join SERIES for all."""

from __future__ import annotations

import asyncio
import re

from core.storage.db import Database
from tests.discord.harness import World, running


async def test_a_series_announces_its_dates_and_join_series_counts_in_each(
    world: World, database: Database
) -> None:
    gather = world.gather(database)

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
        made = await asyncio.to_thread(gather.make_due_occurrences)
        assert made >= 5  # those starting within 6 days
        later = await world.dc.wait_for(lambda: (lambda p: p if len(p) == 1 + made else None)(posts()), 15)
        assert all("2 going" in text for text in later[1:]), later
