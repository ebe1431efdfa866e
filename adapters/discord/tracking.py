"""The core as Discord's outbox worker sees it, counting the calls still running in threads.

On stop, the client must stay open until those calls are through (threads cannot be
cancelled, and a send they began needs its HTTP session to be recorded).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

from core import Gather


class TrackedGather:
    """The core as the outbox worker sees it, counting calls still running in threads."""

    def __init__(self, gather: Gather) -> None:
        self._gather = gather
        self._running = 0
        self._lock = threading.Lock()
        self.on_outbox = gather.on_outbox

    def _call(self, method: Callable[..., Any], *args: Any) -> Any:
        with self._lock:
            self._running += 1
        try:
            return method(*args)
        finally:
            with self._lock:
                self._running -= 1

    def claim(self, *args: Any) -> Any:
        return self._call(self._gather.claim, *args)

    def begin_send(self, *args: Any) -> Any:
        return self._call(self._gather.begin_send, *args)

    def complete(self, *args: Any) -> Any:
        return self._call(self._gather.complete, *args)

    def make_due_occurrences(self) -> int:
        made: int = self._call(self._gather.make_due_occurrences)
        return made

    async def idle(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self._running and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
