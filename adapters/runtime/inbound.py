"""What every receiving network shares: a heartbeat row, and dead letters.

An adapter makes one `Inbound`, runs `run()` beside its receiver, says `connected()` /
`disconnected()` as its connection comes and goes, and hands an inbound event whose handling
raised to `keep()` (or runs the handling under `guard()`). The event is then acknowledged to
the platform like any other, so its queue never stalls, and retried here with backoff through
the adapter's `replay`, which translates the raw event again and handles it; `replay` raises
when the handling fails again. A retry that is handled deletes the letter.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from core import DEAD_LETTER_FIRST_RETRY, HEARTBEAT_EVERY, Gather, Reply

log = logging.getLogger(__name__)

Replay = Callable[[dict[str, Any]], Awaitable[None]]


class HandlingFailed(Exception):
    """The core could not handle an event (it answered 'trouble'): keep it as a dead letter."""


def process_name() -> str:
    """This process, as its heartbeat rows name it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def raise_if_failed(reply: Reply) -> None:
    """After answering: a reply that says the handling failed makes the event a dead letter."""
    if reply.failed is not None:
        raise HandlingFailed(reply.failed)


def as_json(raw: Any) -> str:
    """The raw event as JSON (datetimes and other values as their text)."""
    return json.dumps(raw, default=str, ensure_ascii=False, sort_keys=True)


class Inbound:
    def __init__(
        self,
        gather: Gather,
        network: str,
        replay: Replay | None = None,
        *,
        beat_seconds: float = HEARTBEAT_EVERY.total_seconds(),
        first_retry: timedelta = DEAD_LETTER_FIRST_RETRY,
        retry_poll_seconds: float = 10.0,
    ) -> None:
        self.operations = gather.operations
        self.network = network
        self.replay = replay
        self.beat_seconds = beat_seconds
        self.first_retry = first_retry
        self.retry_poll_seconds = retry_poll_seconds
        self.process = process_name()
        self.is_connected = False
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Run `run()` in the background until `stop()`."""
        self._task = asyncio.create_task(self.run(), name=f"{self.network}-inbound")

    async def stop(self) -> None:
        """Stop beating and retrying; the last beat says this process no longer receives."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    # Heartbeat ----------------------------------------------------------------------------

    def connected(self) -> None:
        if not self.is_connected:
            self.is_connected = True
            self._changed.set()

    def disconnected(self) -> None:
        if self.is_connected:
            self.is_connected = False
            self._changed.set()

    def connection(self, connected: bool) -> None:
        """`connected()` or `disconnected()`, for a receiver that reports either."""
        if connected:
            self.connected()
        else:
            self.disconnected()

    async def run(self) -> None:
        """Beat (at once on a change, else every `beat_seconds`) and retry due dead letters,
        until cancelled; then say this process no longer receives."""
        loop = asyncio.get_running_loop()
        next_beat = next_retry = loop.time()
        try:
            while True:
                now = loop.time()
                if now >= next_beat or self._changed.is_set():
                    self._changed.clear()
                    await self._beat(self.is_connected)
                    next_beat = now + self.beat_seconds
                if self.replay is not None and now >= next_retry:
                    await self.retry_due()
                    next_retry = now + self.retry_poll_seconds
                wait = max(0.0, min(next_beat, next_retry) - loop.time())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), wait)
        finally:
            # Shielded: a stop must still record that nobody receives here any more.
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.shield(self._beat(False))

    async def _beat(self, connected: bool) -> None:
        try:
            await asyncio.to_thread(self.operations.beat, self.network, self.process, connected)
        except Exception:
            log.exception("%s: could not record the heartbeat", self.network)

    # Dead letters ---------------------------------------------------------------------------

    async def guard(self, event_key: str, raw: Any, work: Callable[[], Awaitable[None]]) -> None:
        """Run the handling of one event; if it raises, keep the event as a dead letter."""
        try:
            await work()
        except Exception as error:
            await self.keep(event_key, raw, error)

    async def keep(self, event_key: str, raw: Any, error: BaseException | None) -> None:
        """Store an event whose handling raised; it is retried later through `replay`."""
        reason = _reason(error)
        log.error(
            "%s: event %s failed (%s); kept as a dead letter", self.network, event_key, reason
        )
        try:
            await asyncio.to_thread(
                self.operations.keep_dead_letter,
                self.network,
                event_key,
                as_json(raw),
                reason,
                self.first_retry,
            )
        except Exception:
            # The database itself is away: the log is the only place left for the event.
            log.exception(
                "%s: could not keep event %s as a dead letter; it was: %s",
                self.network,
                event_key,
                as_json(raw),
            )

    async def retry_due(self) -> int:
        """Replay the letters due now; returns how many were handled."""
        if self.replay is None:
            return 0
        try:
            letters = await asyncio.to_thread(self.operations.due_dead_letters, self.network)
        except Exception:
            log.exception("%s: could not read the dead letters", self.network)
            return 0
        handled = 0
        for letter in letters:
            try:
                await self.replay(json.loads(letter.raw_event))
            except Exception as error:
                after = await asyncio.to_thread(
                    self.operations.dead_letter_failed_again,
                    letter.id,
                    _reason(error),
                    self.first_retry,
                )
                if after is not None and after.next_attempt_at is None:
                    log.error(
                        "%s: event %s failed %d times; kept for the operator (gather dead-letters)",
                        self.network,
                        letter.event_key,
                        after.attempts,
                    )
                continue
            await asyncio.to_thread(self.operations.settle_dead_letter, letter.id)
            log.info("%s: event %s handled on retry", self.network, letter.event_key)
            handled += 1
        return handled


def _reason(error: BaseException | None) -> str:
    if error is None:
        return "unknown error"
    return f"{type(error).__name__}: {error}"
