"""Runs the real adapter (serve) against the fake Mastodon server, in the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any

from adapters.networks import serve
from core.app import Gather
from core.clock import Clock, SystemClock
from core.storage.db import Database
from sandbox.fakes.mastodon_entities import Status
from sandbox.fakes.mastodon_server import FakeMastodon
from tests.conftest import make_settings

TOKEN_ENV = "GATHER_TEST_MASTODON_TOKEN"
WHEN = "12 June 2031 at 10am"  # always in the future; a Thursday (BST)


def section(m: FakeMastodon, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "api_base_url": m.api_base_url,
        "token_env": TOKEN_ENV,
        "stream_watchdog_seconds": 1.0,
        "reconcile_seconds": 0.3,
        "full_reconcile_seconds": 60.0,
        "catch_up_seconds": 30.0,
        "edit_interval_seconds": 0.0,
        "retry_max_seconds": 1.0,
    }
    values.update(overrides)
    return values


def make_gather(
    database: Database,
    m: FakeMastodon,
    clock: Clock | None = None,
    *,
    rooms: Sequence[str] = ("mastodon:public", "console:#x"),
    languages: Sequence[str] | None = None,
) -> Gather:
    """A prepared Gather with one community in `rooms` (and `languages`, when given)."""
    community: dict[str, Any] = {"name": "c", "rooms": list(rooms)}
    if languages is not None:
        community["languages"] = list(languages)
    settings = make_settings(
        communities=[community],
        mastodon={"api_base_url": m.api_base_url, "token_env": TOKEN_ENV},
    )
    gather = Gather(settings, database, clock or SystemClock())
    gather.prepare()
    return gather


@contextlib.asynccontextmanager
async def running(
    gather: Gather, m: FakeMastodon, *, token: str | None = None, **overrides: Any
) -> AsyncIterator[asyncio.Task[None]]:
    """The adapter, serving until the block ends; it has caught up when the block starts."""
    opened = m.stream_connections
    task = asyncio.create_task(
        serve("mastodon", gather, section(m, **overrides), {TOKEN_ENV: token or m.access_token})
    )
    try:
        if token is None and overrides.get("stream", True):
            await m.wait_for(lambda: m.stream_connections > opened or task.done(), timeout=10)
            await m.wait_for(lambda: gather.cursor("mastodon:notifications") is not None, 10)
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def announcements(m: FakeMastodon) -> list[Status]:
    return [s for s in m.posts_by() if s.visibility == "public" and "Code:" in s.text]


async def announced(m: FakeMastodon, timeout: float = 10.0) -> Status:
    [post] = await m.wait_for(lambda: announcements(m), timeout)
    return post


def code_of(post: Status) -> str:
    line = next(line for line in post.text.splitlines() if line.startswith("Code:"))
    return line.removeprefix("Code:").strip()


async def shows(m: FakeMastodon, post: Status, text: str, timeout: float = 10.0) -> None:
    """Wait until the announcement, as people see it now, contains `text`."""
    try:
        await m.wait_for(lambda: text in m.status(post.id).text, timeout)
    except TimeoutError:
        raise AssertionError(
            f"{text!r} never shown; the post says:\n{m.status(post.id).text}"
        ) from None


async def start_gathering(m: FakeMastodon, organiser: Any, what: str = "") -> Status:
    """A gathering started by mention; returns once the organiser has the answer (so the
    announcement's id is recorded, and stopping the adapter loses nothing)."""
    words = what or f"Beach clean at Portobello beach, {WHEN}, need 20 people"
    asked = m.post_as(organiser, f"@gather gather {words}")
    post = await announced(m)
    await m.wait_for(lambda: replies_to(m, asked), 10)
    return post


def replies_to(m: FakeMastodon, status: Status) -> list[Status]:
    return [s for s in m.posts_by() if s.in_reply_to is status]
