"""Send pacing that keeps a bot inside a platform's rate limits, on an injected clock.

Each limit is a virtual schedule (GCRA): a key may send `burst` messages at once and then one
every `1/rate` seconds. `reserve` books a send on every limit it is subject to (say, the whole
bot, and its chat) only when all of them allow it now; otherwise it books nothing and says how
long to wait before asking again. Booking ahead would let one chat's wait hold a place in the
shared limits, so a paced group edit would delay every DM behind it. A 429's retry-after is
taken as a hard pause for the key it names.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Limit:
    name: str
    rate: float  # messages per second, sustained
    burst: int = 1


class Pacing(Protocol):
    """What a sender asks of a pacer: this process's `Pacer`, or the `SharedPacer` that
    several processes sending for one bot share (core/delivery/shared_pacing.py)."""

    def reserve(self, now: float, subjects: list[tuple[Limit, Hashable]]) -> float: ...

    def pause(self, key: Hashable, until: float) -> None: ...

    def forget_idle(self, now: float) -> None: ...


class Pacer:
    def __init__(self) -> None:
        # (limit name, key) -> the earliest time the next message may go ("theoretical arrival").
        self._next_free: dict[tuple[str, Hashable], float] = {}
        self._paused_until: dict[Hashable, float] = {}

    def reserve(self, now: float, subjects: list[tuple[Limit, Hashable]]) -> float:
        """0.0: the send is booked under every (limit, key) and may go now. More: nothing is
        booked; ask again after that many seconds."""
        start = now
        for limit, key in subjects:
            tolerance = (limit.burst - 1) / limit.rate
            start = max(
                start,
                self._paused_until.get(key, now),
                self._next_free.get((limit.name, key), now) - tolerance,
            )
        if start > now:
            return start - now
        for limit, key in subjects:
            arrival = self._next_free.get((limit.name, key), now)
            self._next_free[limit.name, key] = max(arrival, now) + 1 / limit.rate
        return 0.0

    def pause(self, key: Hashable, until: float) -> None:
        """Nothing under `key` goes before `until` (a retry-after from the platform)."""
        self._paused_until[key] = max(until, self._paused_until.get(key, 0.0))

    def forget_idle(self, now: float) -> None:
        """Drop schedules that lie in the past, so memory stays flat with many chats."""
        self._next_free = {k: t for k, t in self._next_free.items() if t > now}
        self._paused_until = {k: t for k, t in self._paused_until.items() if t > now}
