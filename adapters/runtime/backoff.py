"""The one retry policy of the adapters: exponential waits, capped, with jitter.

Jitter matters when many things failed together (a network outage, a restart of several
processes): without it they all come back in the same second and fail together again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

JITTER = 0.2  # each wait is drawn from ±20% around the exponential value


@dataclass
class Backoff:
    """Waits between attempts: `first`, then doubling, never above `cap` (seconds).

    `next()` is the wait before the next attempt after one more failure; `reset()` after a
    success starts again from `first`.
    """

    first: float = 1.0
    cap: float = 300.0
    factor: float = 2.0
    jitter: float = JITTER
    failures: int = 0
    chance: random.Random = field(default_factory=random.Random, repr=False)

    def next(self) -> float:
        exponent = min(self.failures, 64)  # 2**64 is beyond any cap; keeps the float finite
        self.failures += 1
        base = min(self.cap, self.first * self.factor**exponent)
        spread = self.chance.uniform(1.0 - self.jitter, 1.0 + self.jitter)
        return min(self.cap, base * spread)

    def reset(self) -> None:
        self.failures = 0
