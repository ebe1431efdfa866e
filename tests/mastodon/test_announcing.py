"""On Mastodon against the fake server: what starts a gathering (issue 14 point 7). A reply to
an announcement without a command word never starts one and is not answered; chatter that
names a day gets the help, not a gathering; the same announcement twice is one gathering."""

from __future__ import annotations

from core.storage.db import Database
from sandbox.fakes.mastodon_server import FakeMastodon
from tests.mastodon.harness import (
    WHEN,
    announced,
    announcements,
    code_of,
    make_gather,
    replies_to,
    running,
)

ANNOUNCEMENT = f"Beach clean at Portobello beach, {WHEN}, need 20 people"


async def test_thanks_in_reply_to_an_announcement_or_alone_starts_nothing(
    database: Database,
) -> None:
    async with FakeMastodon() as m:
        alice, bob = m.create_account("alice"), m.create_account("bob")
        gather = make_gather(database, m)
        async with running(gather, m):
            m.post_as(alice, f"@gather {ANNOUNCEMENT}")
            post = await announced(m)
            # The reply must come after the bot has recorded its post (on the network it is
            # visible a moment earlier); a reply to a post it does not know yet is a mention.
            await m.wait_for(
                lambda: gather.gathering_code_for_post("mastodon", str(post.id)) is not None, 10
            )
            thanks = m.post_as(
                bob, "@gather thanks for organising, see you Saturday!", in_reply_to=post
            )
            chatter = m.post_as(bob, "@gather thanks for organising, see you Saturday!")
            [helped] = await m.wait_for(lambda: replies_to(m, chatter), 10)
            hello = m.post_as(bob, "hi @gather")  # answered after the two before it
            await m.wait_for(lambda: replies_to(m, hello), 10)
            assert len(announcements(m)) == 1
            assert replies_to(m, thanks) == []
    assert "Mention me with what, when and where" in helped.text


async def test_the_same_announcement_twice_is_one_gathering_with_one_code(
    database: Database,
) -> None:
    async with FakeMastodon() as m:
        alice = m.create_account("alice")
        async with running(make_gather(database, m), m):
            first = m.post_as(alice, f"@gather gather {ANNOUNCEMENT}")
            post = await announced(m)
            await m.wait_for(lambda: replies_to(m, first), 10)
            again = m.post_as(alice, f"@gather gather {ANNOUNCEMENT}")
            [answer] = await m.wait_for(lambda: replies_to(m, again), 10)
            assert len(announcements(m)) == 1
    assert code_of(post) in answer.text and "You announced this a moment ago" in answer.text
