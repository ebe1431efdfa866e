"""Mastodon faults (FAULTS.md 20 and 22), Mastodon.py against the fake Mastodon server, the core
on a clock the test moves: a federated boost hours late, and reminders sent as direct
posts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from core.app import Gather
from core.clock import FixedClock
from core.storage.db import Database
from sandbox.fakes.mastodon_server import FakeMastodon
from tests.conftest import make_settings
from tests.mastodon.harness import (
    TOKEN_ENV,
    code_of,
    running,
    shows,
    start_gathering,
)

START = datetime(2031, 6, 12, 9, 0, tzinfo=UTC)  # the harness's WHEN: 10am BST


def gather_on(database: Database, m: FakeMastodon, clock: FixedClock) -> Gather:
    settings = make_settings(
        communities=[{"name": "c", "rooms": ["mastodon:public"]}],
        mastodon={"api_base_url": m.api_base_url, "token_env": TOKEN_ENV},
    )
    gather = Gather(settings, database, clock)
    gather.prepare()
    return gather


async def test_a_boost_late_by_hours_counts_before_the_start_and_not_after(
    database: Database,
) -> None:
    """20: a remote boost whose notification comes 5 hours late still counts while the
    gathering has not started; one that lands after the start is ignored."""
    clock = FixedClock(START - timedelta(days=2))
    async with FakeMastodon() as m:
        gather = gather_on(database, m, clock)
        alice = m.create_account("alice")
        zoe = m.create_account("zoe", "remote.example")
        yan = m.create_account("yan", "remote.example")
        async with running(gather, m, reconcile_seconds=60, full_reconcile_seconds=60):
            post = await start_gathering(m, alice)
            code = code_of(post)
            five_hours_ago = datetime.now(UTC) - timedelta(hours=5)
            m.boost(zoe, post.id, notify=False, created_at=five_hours_ago)
            clock.advance(timedelta(hours=5))  # federation catches up five hours later
            m.deliver_late_notification()
            await shows(m, post, "2 going")
            clock.set(START + timedelta(minutes=30))  # the gathering has begun
            m.boost(yan, post.id, notify=False, created_at=datetime.now(UTC))
            m.deliver_late_notification()
            seen = len(m.requests_to("GET", r"/notifications$"))
            await m.wait_for(lambda: len(m.requests_to("GET", r"/notifications$")) > seen, 10)
            await asyncio.sleep(0.5)
        pledgers = gather.pledgers_via(code, "mastodon")
    assert zoe.id in pledgers and yan.id not in pledgers
    assert "2 going" in m.status(post.id).text


async def test_a_reminder_by_direct_post_is_sent_once_with_no_retry(database: Database) -> None:
    """22: the server accepts a direct post even when the recipient's notification policy
    filters it; the bot cannot see that, so it sends each reminder once and never loops
    (docs/mastodon.md asks people to follow the bot)."""
    clock = FixedClock(START - timedelta(days=2))
    async with FakeMastodon() as m:
        gather = gather_on(database, m, clock)
        alice, bob = m.create_account("alice"), m.create_account("bob")
        async with running(gather, m):
            post = await start_gathering(m, alice)
            m.boost(bob, post.id)
            await shows(m, post, "2 going")
            clock.set(START - timedelta(days=1))  # the day-before reminder is due

            def reminders() -> list[object]:
                return [s for s in m.dms() if bob in s.mentions and "tomorrow" in s.text]

            await m.wait_for(reminders, 10)
            await asyncio.sleep(1.0)  # any retry would come within this
            clock.advance(timedelta(minutes=30))
            await asyncio.sleep(1.0)
            assert len(reminders()) == 1
