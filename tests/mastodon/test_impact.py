"""What a gathering achieved, on Mastodon: the "how did it go?" DM (a direct status) reaches
the organiser at the end, their plain direct reply is read as the report, and "@gather
impact" shows the totals. The real adapter against the fake; the core's clock is injected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.clock import FixedClock
from core.storage.db import Database
from sandbox.fakes.mastodon_server import FakeMastodon
from tests.mastodon.harness import code_of, make_gather, replies_to, running, start_gathering

WHEN = "Saturday 28 November 2026 at 10am"
ENDS = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # no end written: 2 hours after 10:00 GMT


async def test_the_question_arrives_the_reply_is_read_and_impact_answers(
    database: Database,
) -> None:
    async with FakeMastodon() as m:
        clock = FixedClock(ENDS - timedelta(days=3))
        gather = make_gather(database, m, clock, rooms=["mastodon:public"], languages=["de", "en"])
        alice, bob = m.create_account("alice"), m.create_account("bob")
        async with running(gather, m):
            post = await start_gathering(m, alice, f"Strandputz am Pier, {WHEN}, need 3")
            code = code_of(post)
            clock.set(ENDS)
            [asked] = await m.wait_for(
                lambda: [s for s in m.dms() if alice in s.mentions and "gelaufen" in s.text], 10
            )
            assert "Antworte einfach auf diese Nachricht" in asked.text and code in asked.text

            answer = m.post_as(alice, "@gather 12 Leute, 25 Säcke", "direct", asked)
            [noted] = await m.wait_for(lambda: replies_to(m, answer), 10)
            assert "Notiert" in noted.text and "12 Leute kamen" in noted.text, noted.text
            assert noted.visibility == "direct"

            said = m.post_as(bob, "@gather impact")
            [shown] = await m.wait_for(lambda: replies_to(m, said), 10)
            assert "1 Treffen abgehalten" in shown.text and "25 Säcke" in shown.text, shown.text
            assert "alice" not in shown.text.replace("@bob", "")
        assert len([s for s in m.dms() if "gelaufen" in s.text]) == 1
