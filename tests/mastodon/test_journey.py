"""A person's journey on Mastodon: start by mention, join by boosting, drop out by un-boosting."""

from __future__ import annotations

from core.storage.db import Database
from sandbox.fakes.mastodon_server import FakeMastodon
from tests.mastodon.harness import (
    announced,
    code_of,
    make_gather,
    replies_to,
    running,
    shows,
    start_gathering,
)


async def test_a_mention_announces_publicly_and_answers_the_organiser(database: Database) -> None:
    async with FakeMastodon() as m:
        gather = make_gather(database, m)
        alice = m.create_account("alice")
        async with running(gather, m):
            asked = m.post_as(
                alice,
                "@gather gather Beach clean at Portobello beach, "
                "12 June 2031 at 10am, need 20 people",
            )
            post = await announced(m)
            [answer] = await m.wait_for(lambda: replies_to(m, asked), 10)
    assert post.visibility == "public"
    lines = post.text.splitlines()
    assert lines[0] == "📣 Beach clean"
    assert "🗓 Thursday 12 June 2031, 10:00 BST" in lines
    assert "📍 Portobello beach" in lines
    assert "👥 1 going of 20 needed" in lines
    assert "Boost this post to join; un-boost to drop out" in post.text
    assert len(code_of(post)) >= 4
    # The organiser hears back in the thread, with the link; nobody else is mentioned.
    assert answer.text.startswith("@alice ")
    assert f"Started Beach clean ({code_of(post)})" in answer.text
    assert post.id in answer.text.splitlines()[-1]
    assert answer.mentions == [alice]
    assert answer.visibility in ("unlisted", "direct")


async def test_boost_joins_unboost_leaves_and_reboost_joins_again(database: Database) -> None:
    async with FakeMastodon() as m:
        gather = make_gather(database, m)
        alice, bob = m.create_account("alice"), m.create_account("bob")
        async with running(gather, m):
            post = await start_gathering(m, alice)
            code = code_of(post)
            await shows(m, post, "1 going")
            m.boost(bob, post.id)
            await shows(m, post, "2 going")
            m.unboost(bob, post.id)  # Mastodon says nothing: reconciliation must notice
            await shows(m, post, "1 going")
            assert sorted(gather.pledgers_via(code, "mastodon")) == [alice.id]  # organiser stays
            m.boost(bob, post.id)
            await shows(m, post, "2 going")
        assert sorted(gather.pledgers_via(code, "mastodon")) == sorted([alice.id, bob.id])
    # Boosters get no reply each (500 boosts would be 500 posts): the count is the answer.
    assert not [s for s in m.posts_by() if bob in s.mentions]


async def test_a_remote_accounts_boost_counts(database: Database) -> None:
    async with FakeMastodon() as m:
        gather = make_gather(database, m)
        alice = m.create_account("alice")
        zoe = m.create_account("zoe", "remote.example")
        async with running(gather, m):
            post = await start_gathering(m, alice)
            m.boost(zoe, post.id)
            await shows(m, post, "2 going")
    assert zoe.id in gather.pledgers_via(code_of(post), "mastodon")


async def test_a_reply_saying_join_plus_two_counts_three(database: Database) -> None:
    async with FakeMastodon() as m:
        gather = make_gather(database, m)
        alice, carol = m.create_account("alice"), m.create_account("carol")
        async with running(gather, m):
            post = await start_gathering(m, alice)
            asked = m.post_as(carol, "@gather join +2", visibility="public", in_reply_to=post)
            await shows(m, post, "4 going")
            [answer] = await m.wait_for(lambda: replies_to(m, asked), 10)
            # The reconciler never removes someone who joined by their word, not by a boost.
            looks = f"^/api/v1/statuses/{post.id}$"
            seen = len(m.requests_to("GET", looks))
            await m.wait_for(lambda: len(m.requests_to("GET", looks)) > seen + 2, 10)
        assert "4 going" in m.status(post.id).text
    assert answer.text.startswith("@carol ") and "You're in with 2 guests" in answer.text


async def test_hi_gets_a_short_help_once(database: Database) -> None:
    async with FakeMastodon(heartbeat_interval=0.1) as m:
        gather = make_gather(database, m)
        dave = m.create_account("dave")
        async with running(gather, m):
            hello = m.post_as(dave, "hi @gather")
            [answer] = await m.wait_for(lambda: replies_to(m, hello), 10)
            m.drop_streams()  # a reconnect and catch-up see the mention again: no second reply
            await m.wait_for(lambda: m.stream_connections >= 2 and m.open_streams == 1, 10)
            await m.wait_for(lambda: len(m.requests_to("GET", r"/notifications$")) >= 3, 10)
    assert "Mention me with what, when and where" in answer.text
    assert replies_to(m, hello) == [answer]
    assert len(answer.text) <= 500 and answer.mentions == [dave]
