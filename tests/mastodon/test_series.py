"""A series on Mastodon (issue 17): its dates announced one by one, /join SERIES for all."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

from core.clock import FixedClock
from core.storage.db import Database
from sandbox.fakes.mastodon_server import FakeMastodon
from tests.mastodon.harness import announcements, make_gather, replies_to, running

START = datetime(2026, 11, 21, 9, tzinfo=UTC)  # a Saturday: the first yoga is Sunday 7am
FIRST_STARTED = datetime(2026, 11, 22, 7, 1, tzinfo=UTC)

async def test_a_series_announces_its_dates_and_join_series_counts_in_each(
    database: Database,
) -> None:
    async with FakeMastodon() as m:
        clock = FixedClock(START)
        gather = make_gather(database, m, clock)
        alice, bob = m.create_account("alice"), m.create_account("bob")

        def posts() -> list[str]:
            return [m.status(s.id).text for s in announcements(m) if "🔁" in s.text]

        async with running(gather, m):
            asked = m.post_as(alice, "@gather gather Yoga every day 7am at the lido")
            [first] = await m.wait_for(posts, 10)
            await m.wait_for(lambda: replies_to(m, asked), 10)
            match = re.search(r"/join ([2-9A-Z]{5})", first)
            assert match, first
            said = m.post_as(bob, f"@gather join {match.group(1)}")
            [answer] = await m.wait_for(lambda: replies_to(m, said), 10)
            assert "from now on" in answer.text
            await m.wait_for(lambda: "2 going" in posts()[0], 10)
            # What the outbox workers ask the core now and then: the dates due for announcing.
            # One date at a time: the next is made once this one has started, not a week's worth.
            assert await asyncio.to_thread(gather.make_due_occurrences) == 0
            clock.set(FIRST_STARTED)
            assert await asyncio.to_thread(gather.make_due_occurrences) == 1
            [second] = await m.wait_for(
                lambda: [text for text in posts() if "23 November" in text], 15
            )
            assert "2 going" in second, second
