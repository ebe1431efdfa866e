"""The user stream: Mastodon.py reads it in its own thread; this keeps it open.

A stream that dies, or stays silent past the watchdog, is restarted with backoff; while it is
down, the intake's REST catch-up carries the notifications.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from mastodon import StreamListener

from adapters.mastodon.budget import Priority
from adapters.mastodon.client import Api, describe, make_client
from adapters.mastodon.settings import MastodonSettings
from adapters.runtime.backoff import Backoff

log = logging.getLogger(__name__)


class _Listener(StreamListener):
    """Runs in Mastodon.py's stream thread: hands notifications to the event loop."""

    def __init__(self, deliver: Callable[[Any], None]) -> None:
        self.deliver = deliver
        self.last_seen = time.monotonic()

    def on_notification(self, notification: Any) -> None:
        self.last_seen = time.monotonic()
        self.deliver(notification)

    def handle_heartbeat(self) -> None:
        self.last_seen = time.monotonic()

    def on_any_event(self, name: str, data: Any = None, for_stream: Any = None) -> None:
        self.last_seen = time.monotonic()

    def on_abort(self, err: Exception) -> None:
        log.info("mastodon: stream interrupted (%s); reconnecting", type(err).__name__)

    def on_unknown_event(self, name: str, unknown_event: Any = None) -> None:
        return None


class Stream:
    def __init__(
        self, settings: MastodonSettings, api: Api, deliver: Callable[[Any], None]
    ) -> None:
        self.settings = settings
        self.api = api
        self._deliver = deliver  # called from the stream thread
        self._handle: Any = None
        self._client: Any = None
        self._listener: _Listener | None = None
        self._closers: set[asyncio.Future[None]] = set()
        self._retry_at = 0.0
        self._backoff = Backoff(first=1.0, cap=settings.retry_max_seconds)

    @property
    def connection(self) -> Any:
        """The stream's current connection (a new one means a reconnect), or None."""
        return self._handle.connection if self._handle is not None else None

    async def keep_open(self) -> None:
        """(Re)open the stream when it is wanted, down, and its backoff allows."""
        if self.settings.stream and time.monotonic() >= self._retry_at and not self._alive():
            await self._start()

    def _alive(self) -> bool:
        handle = self._handle
        if handle is None or not handle.is_alive():
            return False
        silent = time.monotonic() - (self._listener.last_seen if self._listener else 0)
        if silent > 3 * self.settings.stream_watchdog_seconds and not handle.reconnecting:
            # Mastodon.py's read timeout should have caught it; if not, start afresh.
            log.warning("mastodon: stream silent for %.0fs; restarting it", silent)
            self._close_later(handle)
            self._handle = None
            return False
        return True

    async def _start(self) -> None:
        if self._client is None:
            self._client = make_client(self.settings, self.api.token)
        listener = _Listener(self._deliver)
        try:
            # Looks up the streaming server (two instance requests), then connects in its thread.
            if not await self.api.requests.take(Priority.NORMAL, max_wait=0):
                return
            self.api.requests.try_take(Priority.HIGH)
            self._handle = await asyncio.to_thread(
                self._client.stream_user,
                listener,
                run_async=True,
                reconnect_async=True,
                reconnect_async_wait_sec=min(5.0, self.settings.stream_watchdog_seconds),
                timeout=self.settings.stream_watchdog_seconds,
            )
            self._listener = listener
            self._backoff.reset()
        except Exception as error:
            delay = self._backoff.next()
            log.warning(
                "mastodon: cannot open the stream (%s); polling meanwhile, retrying in %.0fs",
                describe(error),
                delay,
            )
            self._retry_at = time.monotonic() + delay

    def _close_later(self, handle: Any) -> None:
        # close() can block until the reader's current read returns: never on the loop.
        task = asyncio.ensure_future(asyncio.to_thread(handle.close))
        self._closers.add(task)
        task.add_done_callback(self._closers.discard)

    async def close(self) -> None:
        for task in list(self._closers):
            task.cancel()
        handle, self._handle = self._handle, None
        if handle is not None:
            await asyncio.to_thread(handle.close)
            await asyncio.to_thread(handle.join, 5.0)
        if self._client is not None:
            self._client.session.close()
