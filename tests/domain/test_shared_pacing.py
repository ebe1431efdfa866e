"""Several processes sending for one bot share its rate limits through PostgreSQL: together
they stay inside every limit, a retry-after pauses them all, and waiting sends do not flood
the database with refused reservations."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Hashable, Iterator

import pytest

from core.delivery.pacing import Limit
from core.delivery.shared_pacing import STALE, SharedPacer
from core.storage.db import Database, make_engine

RATE = 20.0
GLOBAL = Limit("global", RATE, 1)
PER_CHAT = Limit("chat", 1.0, 1)


@pytest.fixture
def processes(database_url: str) -> Iterator[list[Database]]:
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes share one budget on PostgreSQL only")
    databases = [Database(make_engine(database_url)) for _ in range(3)]
    yield databases
    for database in databases:
        database.dispose()


async def send(pacer: SharedPacer, subjects: list[tuple[Limit, Hashable]]) -> float:
    """Wait for the turn as the outbox worker does; the instant the send went."""
    while (wait := pacer.reserve(time.monotonic(), subjects)) > 0:
        await asyncio.sleep(wait)
    return time.monotonic()


def most_in_any_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t < start + window) for i, start in enumerate(times))


async def test_three_processes_together_stay_inside_the_bots_limit(
    processes: list[Database],
) -> None:
    pacers = [SharedPacer(database, "telegram:bot") for database in processes]
    sends = [
        send(pacers[n % 3], [(GLOBAL, "all"), (PER_CHAT, ("chat", str(n)))]) for n in range(60)
    ]
    times = await asyncio.gather(*sends)
    # A booked turn may be taken up to STALE late (a busy event loop), never more.
    assert most_in_any_window(times, 1.0) <= RATE * (1 + STALE) + 1
    assert max(times) - min(times) >= (60 - 1) / RATE * 0.95
    # Booking ahead: about one reservation per send, not one per waiter per slot.
    assert sum(p.transactions for p in pacers) <= 2 * 60


async def test_one_chats_sends_are_paced_across_processes(processes: list[Database]) -> None:
    pacers = [SharedPacer(database, "telegram:bot") for database in processes]
    subjects: list[tuple[Limit, Hashable]] = [(GLOBAL, "all"), (PER_CHAT, ("chat", "1"))]
    times = await asyncio.gather(*(send(pacers[n % 3], subjects) for n in range(4)))
    gaps = [b - a for a, b in zip(sorted(times), sorted(times)[1:], strict=False)]
    assert min(gaps) >= 1.0 / PER_CHAT.rate - STALE


async def test_a_retry_after_in_one_process_pauses_the_others(
    processes: list[Database],
) -> None:
    first, second = (SharedPacer(database, "telegram:bot") for database in processes[:2])
    subjects: list[tuple[Limit, Hashable]] = [(GLOBAL, "all")]
    assert first.reserve(time.monotonic(), subjects) == 0.0
    first.pause("all", time.monotonic() + 3.0)  # the platform said: retry after 3 s
    assert second.reserve(time.monotonic(), subjects) > 2.0
    other_bot = SharedPacer(processes[2], "telegram:another bot")
    assert other_bot.reserve(time.monotonic(), subjects) == 0.0
