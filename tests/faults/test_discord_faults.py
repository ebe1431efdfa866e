"""Discord faults the adapter meets (FAULTS.md 5 and 8), with discord.py against the fake
Discord server: a session that cannot be resumed, and a handler stuck on a database lock."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import Iterator

import psycopg
import pytest

from core.storage.db import Database
from sandbox.fakes.discord_server import StoredMessage
from tests.discord.harness import World, code_of, running, until

TEXT = "Picnic at the Meadows, Sunday 2pm, need 30 people"


async def start(world: World) -> tuple[str, StoredMessage]:
    reply = await world.slash(world.organiser, "gather", {"text": TEXT})
    code = code_of(reply)
    return code, await world.announcement(code)


async def test_an_invalid_session_reidentifies_and_starts_nothing_twice(
    world: World, database: Database
) -> None:
    """5: Invalid Session (d=false): discord.py identifies again and on_ready runs again; the
    commands are not synced again, there is one outbox worker, and a press counts once."""
    gather = world.gather(database)
    async with running(gather, world) as network:
        await world.dc.invalidate_session(resumable=False)
        await world.dc.wait_for(lambda: world.dc.identify_count == 2, timeout=15)
        await until(lambda: network.ready_count == 2, 10)
        code, post = await start(world)  # announced by the one worker: one post
        answer = await world.press(world.member, post, "join", code)
        assert "You're in" in answer.content
        await world.announcement(code, lambda m: "👥 2 going" in m.content)
        await asyncio.sleep(0.5)  # time for a second worker, if there were one, to post again
    assert world.dc.resume_count == 0
    assert len(world.dc.requests_to("PUT", r"/commands$")) == 1
    assert len([m for m in world.announcements() if f"Code: `{code}`" in m.content]) == 1
    assert len(world.dc.requests_to("POST", rf"/channels/{world.channel.id}/messages$")) == 1


@contextlib.contextmanager
def write_lock(url: str, release: threading.Event) -> Iterator[None]:
    """Another connection holds the pledges' write lock until `release` is set."""
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"), check_same_thread=False)
        connection.isolation_level = None
        connection.execute("BEGIN IMMEDIATE")  # the database's one writer, until rollback
        try:
            yield
        finally:
            release.wait(10)
            connection.execute("ROLLBACK")
            connection.close()
    else:
        dsn = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn) as server:
            server.execute("LOCK TABLE pledges IN ACCESS EXCLUSIVE MODE")
            try:
                yield
            finally:
                release.wait(10)
                server.rollback()


async def test_a_press_stuck_on_a_lock_past_3_seconds_is_deferred_then_answered(
    world: World, database: Database, database_url: str
) -> None:
    """8: the interaction is acknowledged (deferred) at once; the answer follows once the lock
    is gone, 3.5 s later; the press counts once and no 10062 is met."""
    gather = world.gather(database)
    async with running(gather, world):
        code, post = await start(world)
        release = threading.Event()
        held = threading.Event()

        def hold() -> None:
            with write_lock(database_url, release):
                held.set()
                release.wait(10)

        holder = asyncio.create_task(asyncio.to_thread(hold))
        await asyncio.to_thread(held.wait, 5)
        handle = await world.dc.press_button(
            world.channel, world.member, post.id, f"gather:join:{code}"
        )
        acknowledged = await handle.response(2)  # within Discord's 3 s, despite the lock
        assert acknowledged["type"] == 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
        await asyncio.sleep(3.5)
        assert handle.followups == []  # still waiting on the lock
        release.set()
        await holder
        answer = await handle.followup(0, 10)
        assert "You're in" in answer.content
        await world.announcement(code, lambda m: "👥 2 going" in m.content, 10)
    assert len(handle.callbacks) == 1


async def test_an_answer_later_than_the_interactions_life_is_logged_and_the_bot_goes_on(
    world: World, database: Database, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """8, the other half: past the interaction token's life (15 minutes; 1 s here) the follow-up
    is refused; that is logged, the press still counts, and the next press is answered."""
    gather = world.gather(database)
    world.dc.interaction_endpoints.token_lifetime = 1.0
    async with running(gather, world):
        code, post = await start(world)
        release, held = threading.Event(), threading.Event()

        def hold() -> None:
            with write_lock(database_url, release):
                held.set()
                release.wait(10)

        holder = asyncio.create_task(asyncio.to_thread(hold))
        await asyncio.to_thread(held.wait, 5)
        late = await world.dc.press_button(
            world.channel, world.member, post.id, f"gather:join:{code}"
        )
        await late.response(2)
        await asyncio.sleep(1.5)  # the token has expired meanwhile
        release.set()
        await holder
        await world.announcement(code, lambda m: "👥 2 going" in m.content, 10)
        await until(lambda: "could not answer" in caplog.text, 5)
        answer = await world.press(world.manager, post, "join", code)
        assert "You're in" in answer.content
    assert late.followups == []
