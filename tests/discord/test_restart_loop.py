"""A crash loop of `gather run` does not burn Discord's daily IDENTIFY budget: the start-up
backoff is stored in the database, and `GET /gateway/bot`'s session_start_limit is heeded."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from sqlalchemy import select

from adapters import networks
from adapters.discord.settings import DEFAULT_TOKEN_ENV
from adapters.runtime.startup import bot_key, start_turn
from core.clock import FixedClock
from core.storage.db import Database
from core.storage.running import StartBackoff
from sandbox.fakes.discord_server import FakeDiscord
from tests.discord.harness import TOKEN, World

ENVIRON = {DEFAULT_TOKEN_ENV: TOKEN}


def must_wait(database: Database, clock: FixedClock) -> bool:
    """Whether the stored backoff holds the next start back (then a short look will do)."""
    with database.session() as session:
        row = session.scalars(select(StartBackoff)).one_or_none()
        return row is not None and clock.now() < row.next_start_at


class Crash(Exception):
    """The process dies (a bug, a bad deploy): its start did not last."""


async def restart(world: World, database: Database, clock: FixedClock) -> None:
    """One `gather run` process: it starts, and crashes soon after (logged in or not). As
    `networks.serve` does, the start waits for its stored turn; then it dies with an error,
    which is what sets a crash loop apart from a stop the operator asked for."""
    gather = world.gather(database, clock)
    declared = networks.adapter("discord")
    values = declared.section.values(world.settings_section(sync_commands=False))
    waiting = must_wait(database, clock)
    look = 0.3 if waiting else 5.0

    async def process() -> None:
        async with start_turn(gather, "discord", bot_key(TOKEN)):
            task = asyncio.create_task(declared.start(gather, values, ENVIRON))
            identified = world.dc.identify_count
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(look):
                    while world.dc.identify_count == identified and not task.done():
                        await asyncio.sleep(0.02)
            if world.dc.identify_count > identified:
                await asyncio.sleep(0.3)  # let discord.py dispatch READY before the crash
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            raise Crash

    running = asyncio.create_task(process())
    done, _ = await asyncio.wait({running}, timeout=look if waiting else look + 2.0)
    if not done:
        running.cancel()  # killed while it waited for its turn
    with contextlib.suppress(Crash, asyncio.CancelledError):
        await running


async def test_fifty_restarts_in_an_hour_identify_a_handful_of_times(
    world: World, dc: FakeDiscord, database: Database, clock: FixedClock
) -> None:
    for _ in range(50):
        await restart(world, database, clock)
        clock.advance(timedelta(seconds=72))
    assert 2 <= dc.identify_count <= 8


async def test_no_identify_when_the_days_session_starts_are_nearly_spent(
    world: World, dc: FakeDiscord, database: Database, clock: FixedClock
) -> None:
    dc.session_start_total = 5  # GET /gateway/bot: remaining 5, at or below the reserve
    await restart(world, database, clock)
    assert dc.identify_count == 0
    clock.advance(timedelta(hours=1))  # well past the backoff, but not Discord's reset_after
    await restart(world, database, clock)
    assert dc.identify_count == 0
    dc.session_start_total = 1000
    clock.advance(timedelta(days=1))
    await restart(world, database, clock)
    assert dc.identify_count == 1
