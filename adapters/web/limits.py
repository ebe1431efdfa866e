"""Per-address request limits: a token bucket for each client address, kept in memory.

A refused request costs a dictionary lookup and never reaches the database, so a flood of
requests is answered quickly and the bots sharing the process keep their pace.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, per_second: float, burst: int, *, max_addresses: int = 10_000) -> None:
        self.per_second = per_second
        self.burst = burst
        self.max_addresses = max_addresses
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def allow(self, address: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        bucket = self._buckets.pop(address, None)
        if bucket is None:
            bucket = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.per_second)
        bucket.updated = now
        self._buckets[address] = bucket  # most recently seen last
        while len(self._buckets) > self.max_addresses:
            self._buckets.popitem(last=False)  # forget the longest quiet
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True
