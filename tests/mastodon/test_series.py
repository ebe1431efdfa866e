"""A series on Mastodon (issue 17): its dates announced one by one, /join SERIES for all."""

from __future__ import annotations

import asyncio
import re

from core.storage.db import Database
from sandbox.fakes.mastodon_server import FakeMastodon
from tests.mastodon.harness import announcements, make_gather, replies_to, running


async def test_a_series_announces_its_dates_and_join_series_counts_in_each(
    database: Database,
) -> None:
    async with FakeMastodon() as m:
        gather = make_gather(database, m)
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
            made = await asyncio.to_thread(gather.make_due_occurrences)
            assert made >= 5  # those starting within 6 days
            later = await m.wait_for(
                lambda: (lambda p: p if len(p) == 1 + made else None)(posts()), 15
            )
            assert all("2 going" in text for text in later[1:]), later
