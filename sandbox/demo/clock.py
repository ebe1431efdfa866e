"""A clock for simulations: it runs at real speed from a chosen instant, and jumps when told.

Unlike `core.clock.FixedClock` it keeps moving, so a send put off with RetryLater (a network
not connected yet, a 429) falls due a few seconds later, as it would in production; unlike the
system clock, the script can jump it to the hour a reminder is due.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


class ScriptedClock:
    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ScriptedClock needs an aware datetime")
        self._base = start.astimezone(UTC)
        self._since = time.monotonic()

    def now(self) -> datetime:
        return self._base + timedelta(seconds=time.monotonic() - self._since)

    def set(self, instant: datetime) -> None:
        """Jump to `instant` (and run on from there)."""
        self._base = instant.astimezone(UTC)
        self._since = time.monotonic()

    def advance(self, delta: timedelta) -> None:
        self.set(self.now() + delta)
