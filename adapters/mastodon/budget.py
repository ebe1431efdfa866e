"""One request budget for the bot account, shared by every call the adapter makes.

Mastodon allows 300 requests per 5 minutes per account. The budget is a sliding window of the
requests made, with reserves: reconciliation (LOW) stops well before the limit, intake
(NORMAL) a little later, and sends to people (HIGH: the outbox, replies) may use it all. The
server's own view (X-RateLimit-Remaining / -Reset, and any 429) also holds everyone back.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from enum import IntEnum


class Priority(IntEnum):
    LOW = 0  # reconciliation polls
    NORMAL = 1  # notification catch-up, stream start
    HIGH = 2  # the outbox and replies: what people are waiting for


# The share of the window each priority may fill.
SHARE = {Priority.LOW: 0.6, Priority.NORMAL: 0.85, Priority.HIGH: 1.0}


class Budget:
    def __init__(
        self,
        limit: float,
        window: float,
        *,
        margin: int = 0,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.limit = max(1, int(limit) - margin)
        self.window = window
        self.clock = clock
        self.wall = wall
        self._made: deque[float] = deque()
        self._paused_until = 0.0
        self.spent = 0  # every request ever booked, for reports
        self._server: tuple[int, float, int] | None = None  # remaining, reset, limit
        self._since_observed = 0

    def _trim(self, now: float) -> None:
        while self._made and self._made[0] <= now - self.window:
            self._made.popleft()

    def wait_needed(self, priority: Priority, now: float | None = None) -> float:
        """Seconds until a request of `priority` may go (0: now)."""
        now = self.clock() if now is None else now
        self._trim(now)
        wait = max(0.0, self._paused_until - now)
        allowed = max(1, int(self.limit * SHARE[priority]))
        if len(self._made) >= allowed:
            # The oldest request that must leave the window before there is room again.
            wait = max(wait, self._made[len(self._made) - allowed] + self.window - now)
        if self._server is not None:
            remaining, reset, limit = self._server
            if now >= reset:
                self._server = None
            elif remaining - self._since_observed <= limit * (1 - SHARE[priority]):
                wait = max(wait, reset - now)
        return wait

    def try_take(self, priority: Priority) -> float:
        """Book a request if one may go now (returns 0), else say how long to wait."""
        now = self.clock()
        wait = self.wait_needed(priority, now)
        if wait <= 0:
            self._made.append(now)
            self.spent += 1
            self._since_observed += 1
        return wait

    async def take(self, priority: Priority, *, max_wait: float | None = None) -> bool:
        """Wait for a slot and book it; False if that would take longer than `max_wait`."""
        while True:
            wait = self.try_take(priority)
            if wait <= 0:
                return True
            if max_wait is not None and wait > max_wait:
                return False
            await asyncio.sleep(min(wait, 5.0))

    def pause_until_wall(self, reset_epoch: float | None, fallback: float = 60.0) -> float:
        """A 429: nobody sends before the server's reset (epoch seconds). Returns the pause."""
        now_wall = self.wall()
        seconds = fallback
        if reset_epoch is not None and reset_epoch > now_wall:
            seconds = min(reset_epoch - now_wall, self.window) + 0.5
        self._paused_until = max(self._paused_until, self.clock() + seconds)
        return seconds

    def observe(self, remaining: int | None, reset_epoch: float | None, limit: int | None) -> None:
        """The server's view after a reply (X-RateLimit-*): `remaining` requests of `limit` are
        left until `reset_epoch`. It counts every client of the account, and its window may be
        other than ours, so it is a second constraint until its reset."""
        if remaining is None or reset_epoch is None:
            return
        reset = self.clock() + max(0.0, reset_epoch - self.wall())
        self._server = (remaining, reset, limit or self.limit)
        self._since_observed = 0

    @property
    def used(self) -> int:
        self._trim(self.clock())
        return len(self._made)
