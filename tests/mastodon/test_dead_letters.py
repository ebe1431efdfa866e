"""Mastodon: a boost whose handling raises is kept as a dead letter with the notification as
Mastodon sent it, and the intake moves on: later notifications count."""

from __future__ import annotations

import json

from core.storage.db import Database
from sandbox.fakes.mastodon_server import FakeMastodon
from tests.mastodon.harness import code_of, make_gather, running, shows, start_gathering
from tests.operations.refusing import allow_writes, refuse_writes


async def test_a_failed_boost_is_kept_and_the_intake_moves_on(database: Database) -> None:
    async with FakeMastodon() as m:
        gather = make_gather(database, m)
        alice, bob, cleo = (m.create_account(name) for name in ("alice", "bob", "cleo"))
        async with running(gather, m):
            post = await start_gathering(m, alice)
            await shows(m, post, "1 going")
            refuse_writes(database, "pledges")
            m.boost(bob, post.id)
            letters = await m.wait_for(lambda: gather.operations.dead_letters("mastodon"), 10)
            raw = json.loads(letters[0].raw_event)
            assert raw["type"] == "reblog" and raw["account"]["acct"] == "bob"
            assert letters[0].event_key == f"notification:{raw['id']}"
            allow_writes(database, "pledges")
            m.boost(cleo, post.id)  # the next one is handled: nothing waits behind the letter
            # Bob's boost still stands, so reconciliation counts him too: once.
            await shows(m, post, "3 going")
        pledgers = gather.pledgers_via(code_of(post), "mastodon")
        assert sorted(pledgers) == sorted([alice.id, bob.id, cleo.id])
        (letter,) = gather.operations.dead_letters("mastodon")
        assert letter.attempts == 1 and letter.next_attempt_at is not None  # retried later
