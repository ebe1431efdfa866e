"""The live count: every open page of a gathering hears of a change within a second.

One poller per process reads (headcount, version, status) of every gathering someone is
watching, in one statement, twice a second; it works the same whether the join was handled
by this process or by another `gather run` sharing the database. Only a change costs more:
the new count is read once and handed to every page watching that gathering.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor
from typing import Any

from core import Gather, count_text, network_name, page_plural, page_words

log = logging.getLogger(__name__)

Snapshot = tuple[int, int, str]


class LiveCounts:
    def __init__(
        self,
        gather: Gather,
        executor: Executor,
        *,
        poll_seconds: float = 0.5,
        max_watchers: int = 5_000,
    ) -> None:
        self.gather = gather
        self.executor = executor
        self.poll_seconds = poll_seconds
        self.max_watchers = max_watchers
        self._watchers: dict[str, set[asyncio.Queue[str]]] = {}
        self._seen: dict[str, Snapshot] = {}
        # Pages opened since the last poll: they get the count as it is then, because a join
        # between rendering the page and opening the stream would otherwise never reach them.
        self._fresh: dict[str, set[asyncio.Queue[str]]] = {}
        self.polls = 0

    @property
    def watchers(self) -> int:
        return sum(len(queues) for queues in self._watchers.values())

    @contextlib.asynccontextmanager
    async def watch(self, code: str) -> AsyncIterator[asyncio.Queue[str] | None]:
        """A queue of count updates for `code` (JSON), or None when too many pages are open."""
        if self.watchers >= self.max_watchers:
            yield None
            return
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=1)
        self._watchers.setdefault(code, set()).add(queue)
        self._fresh.setdefault(code, set()).add(queue)
        try:
            yield queue
        finally:
            self._fresh.get(code, set()).discard(queue)
            queues = self._watchers.get(code, set())
            queues.discard(queue)
            if not queues:
                self._watchers.pop(code, None)
                self._seen.pop(code, None)
                self._fresh.pop(code, None)

    async def run(self) -> None:
        while True:
            try:
                await self.poll_once()
            except Exception:  # a database hiccup must not end the live pages
                log.exception("live count poll failed")
            await asyncio.sleep(self.poll_seconds)

    async def poll_once(self) -> None:
        codes = list(self._watchers)
        if not codes:
            return
        self.polls += 1
        now = await self._off_loop(self.gather.pages.live_counts, codes)
        for code, snapshot in now.items():
            before = self._seen.get(code)
            self._seen[code] = snapshot
            fresh = self._fresh.pop(code, set())
            changed = before is not None and before != snapshot
            if not changed and not fresh:
                continue
            payload = await self._off_loop(self.payload, code, snapshot)
            for queue in list(self._watchers.get(code, ())) if changed else fresh:
                _replace(queue, payload)

    def payload(self, code: str, snapshot: Snapshot) -> str:
        """What a page needs to redraw its count: words from the core, numbers for the bar."""
        found = self.gather.pages.count(code)
        data: dict[str, Any] = {"version": snapshot[1], "status": snapshot[2]}
        if found is not None:
            view_language, count = found
            data |= {
                "going": count.going,
                "target": count.target,
                "count": count_text(count, view_language),
                "networks": [[network_name(network), n] for network, n in count.per_network],
                "places": (
                    page_plural(view_language, "web.places_left", count.places_left)
                    if count.places_left
                    else (page_words(view_language, "web.full") if count.capacity else "")
                ),
                "on": page_words(view_language, "announcement.on") if count.reached else "",
            }
        return json.dumps(data, ensure_ascii=False)

    async def _off_loop(self, work: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, work, *args)


def _replace(queue: asyncio.Queue[str], payload: str) -> None:
    """Only the newest count matters: a slow page skips the ones it missed."""
    with contextlib.suppress(asyncio.QueueEmpty):
        queue.get_nowait()
    queue.put_nowait(payload)
