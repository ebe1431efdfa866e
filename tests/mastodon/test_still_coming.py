""" "Still coming?" on Mastodon, which has no buttons: a "no" (or "nein", "non"...) replied to
the reminder DM frees the place; the real adapter against the fake Mastodon."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.clock import FixedClock
from core.storage.db import Database
from sandbox.fakes.mastodon_server import FakeMastodon
from tests.mastodon.harness import announced, code_of, make_gather, replies_to, running, shows

START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
WORDS = "Beach clean at Portobello beach, Saturday 28 November 2026 10am, max 3"


async def test_a_no_replied_to_the_reminder_dm_frees_the_place(database: Database) -> None:
    async with FakeMastodon() as m:
        await _a_no_replied_to_the_reminder_dm_frees_the_place(m, database)


async def _a_no_replied_to_the_reminder_dm_frees_the_place(
    m: FakeMastodon, database: Database
) -> None:
    clock = FixedClock(START - timedelta(days=3))
    gather = make_gather(database, m, clock, rooms=["mastodon:public"], languages=["de", "en"])
    olga, bob = m.create_account("olga"), m.create_account("bob")
    async with running(gather, m):
        m.post_as(olga, f"@gather gather {WORDS.replace('Saturday', 'Samstag')}")
        post = await announced(m, 20)
        code = code_of(post)
        m.boost(bob, post.id)
        await shows(m, post, "2 dabei")

        clock.set(START - timedelta(days=1))
        question = await m.wait_for(
            lambda: next(
                (s for s in m.dms() if "@bob" in s.text and "Kommst du noch?" in s.text), None
            ),
            20,
        )
        assert "Antworte auf diese Nachricht mit ja oder nein" in question.text
        # A person replies once the bot has recorded its post (a moment earlier it is a
        # reply to a status the core does not know yet).
        await m.wait_for(lambda: gather.answer_to_check("mastodon", question.id, "no"), 10)
        answer = m.post_as(
            bob, "@gather Nein, leider nicht", visibility="direct", in_reply_to=question
        )
        [said] = await m.wait_for(lambda: replies_to(m, answer), 20)
        assert said.visibility == "direct" and "frei für jemand anderen" in said.text
        assert f"/join {code}" in said.text
        await shows(m, post, "1 dabei")


async def test_an_un_boost_frees_the_place_too(database: Database) -> None:
    async with FakeMastodon() as m:
        clock = FixedClock(START - timedelta(days=1))
        gather = make_gather(database, m, clock, rooms=["mastodon:public"])
        olga, bob = m.create_account("olga"), m.create_account("bob")
        async with running(gather, m):
            # max 2: full with bob in, so his un-boost opens a place someone was kept from
            m.post_as(olga, f"@gather gather {WORDS.replace('max 3', 'max 2')}")
            post = await announced(m, 20)
            m.boost(bob, post.id)
            await shows(m, post, "2 going")
            m.unboost(bob, post.id)
            await shows(m, post, "1 going")
            clock.advance(timedelta(minutes=5))
            [opened] = await m.wait_for(
                lambda: [s for s in m.posts_by() if "place has opened" in s.text], 20
            )
            assert (
                opened.visibility == "public"
                and "1 place has opened at Beach clean" in opened.text
            )
