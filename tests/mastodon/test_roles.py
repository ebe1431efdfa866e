"""Roles on Mastodon (no buttons): a reply "@gather join driver" joins that role, a boost
joins the general (first) one, and the post counts each role against its target."""

from __future__ import annotations

from core.storage.db import Database
from sandbox.fakes.mastodon_server import FakeMastodon
from tests.mastodon.harness import (
    WHEN,
    code_of,
    make_gather,
    replies_to,
    running,
    shows,
    start_gathering,
)


async def test_a_reply_names_the_role_and_a_boost_takes_the_general_one(
    database: Database,
) -> None:
    async with FakeMastodon() as m:
        gather = make_gather(database, m)
        alice, carol, zoe = (m.create_account(n) for n in ("alice", "carol", "zoe"))
        async with running(gather, m):
            post = await start_gathering(
                m, alice, f"Beach clean at Portobello beach, {WHEN}, need 3 pickers and 2 drivers")
            await shows(m, post, "Pickers 1/3 · Drivers 0/2")
            assert "For a role, reply “join drivers”" in m.status(post.id).text
            asked = m.post_as(carol, "@gather join driver", visibility="public", in_reply_to=post)
            await shows(m, post, "Pickers 1/3 · Drivers 1/2")
            [answer] = await m.wait_for(lambda: replies_to(m, asked), 10)
            m.boost(zoe, post.id)
            await shows(m, post, "Pickers 2/3 · Drivers 1/2")
        assert "Still needed: Pickers: 1 and Drivers: 1." in m.status(post.id).text
        assert zoe.id in gather.pledgers_via(code_of(post), "mastodon")
    assert answer.text.startswith("@carol ") and "Your role: Drivers" in answer.text
