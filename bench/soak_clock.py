"""The soak's clock, shared by its processes: it runs at real speed from an instant kept in a
file, and jumps when the soak's driver moves that instant (the bots read it, never write it).

`time.monotonic()` is one clock for every process on a Linux machine, so "the instant at
monotonic M" is the same instant in each of them. A bot process re-reads the file at most
every `REREAD_SECONDS`, so a jump reaches it within that.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REREAD_SECONDS = 0.05


class SharedClock:
    def __init__(self, path: Path, start: datetime | None = None) -> None:
        self.path = path
        self._base = datetime.now(UTC)
        self._since = time.monotonic()
        self._read_at = -1.0
        if start is not None:
            self.set(start)

    def now(self) -> datetime:
        moment = time.monotonic()
        if moment - self._read_at > REREAD_SECONDS:
            self._read_at = moment
            base, since = self.path.read_text(encoding="utf-8").split()
            self._base, self._since = datetime.fromisoformat(base), float(since)
        return self._base + timedelta(seconds=moment - self._since)

    def set(self, instant: datetime) -> None:
        """Jump to `instant` (and run on from there), for every process reading the file."""
        self._base, self._since = instant.astimezone(UTC), time.monotonic()
        partial = self.path.with_suffix(".partial")
        partial.write_text(f"{self._base.isoformat()} {self._since!r}", encoding="utf-8")
        os.replace(partial, self.path)  # readers see the old line or the new one, never half
        self._read_at = self._since

    def advance(self, delta: timedelta) -> None:
        self.set(self.now() + delta)
