"""What every fake platform server shares, held once here.

An aiohttp server on 127.0.0.1 in the caller's event loop, the record of every request it
was sent (``requests``), faults queued to answer matching requests instead of serving them,
and ``wait_for``, which waits until the simulated world reaches a state. The Telegram,
Discord and Mastodon fakes each derive from ``FakeServer`` once and compose their own parts
(state, routes, gateway, streams) around it.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, Self, TypeVar

from aiohttp import web

# Predicates are re-checked at least this often, so a change nothing announced (a thread
# reading the fake, a stream event) is still seen promptly.
RECHECK_SECONDS = 0.01
RECENT_REQUESTS = 8  # shown when wait_for times out


class Recorded(Protocol):
    """What every fake's request record says: the method and the HTTP status answered."""

    @property
    def method(self) -> str: ...

    @property
    def status(self) -> int | None: ...


RequestT = TypeVar("RequestT", bound=Recorded)
AnswerT = TypeVar("AnswerT")
T = TypeVar("T")


@dataclass
class CannedReply:
    """What a fault answers instead of serving the request (JSON, or text when a str)."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Fault(Generic[AnswerT]):
    """Answer ``answer`` to the next ``times`` requests to ``method`` (an HTTP method or a Bot
    API method; ``"*"`` for any) whose path ``path`` finds (``None``: any path)."""

    method: str
    path: re.Pattern[str] | None
    times: int
    answer: AnswerT

    def matches(self, method: str, path: str) -> bool:
        return (
            self.times > 0
            and self.method in ("*", method)
            and (self.path is None or self.path.search(path) is not None)
        )


class Faults(Generic[AnswerT]):
    """Queued faults, consulted in the order they were queued; each is used ``times`` times."""

    def __init__(self) -> None:
        self.queued: list[Fault[AnswerT]] = []

    def add(self, method: str, answer: AnswerT, *, times: int = 1,
            path_regex: str | None = None) -> None:
        path = re.compile(path_regex) if path_regex is not None else None
        self.queued.append(Fault(method, path, times, answer))

    def take(self, method: str, path: str = "") -> AnswerT | None:
        """The answer of the first fault matching this request (using it up), else None."""
        for fault in self.queued:
            if fault.matches(method, path):
                fault.times -= 1
                if fault.times <= 0:
                    self.queued.remove(fault)
                return fault.answer
        return None


class FakeServer(abc.ABC, Generic[RequestT]):
    """An HTTP fake on ``host``; subclasses build the application and record requests.

    ``port=0`` picks a free port at the first start; later starts (after ``stop``) reuse it,
    so a client sees the same server come back.
    """

    name = "fake server"  # in wait_for's timeout message
    cancel_handlers_on_disconnect = False  # aiohttp's handler_cancellation

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.requests: list[RequestT] = []
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None

    # --- what a fake provides -------------------------------------------------------------
    @abc.abstractmethod
    def application(self) -> web.Application:
        """The aiohttp application serving this fake's wire protocol (built at each start)."""

    async def close_connections(self) -> None:
        """Before the server stops: end long-lived connections (websockets, streams)."""

    # --- lifecycle ------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._runner is not None

    async def start(self) -> Self:
        runner = web.AppRunner(
            self.application(), access_log=None, shutdown_timeout=1.0,
            handler_cancellation=self.cancel_handlers_on_disconnect)
        await runner.setup()
        await web.TCPSite(runner, self.host, self.port, reuse_address=True).start()
        self.port = runner.addresses[0][1]
        self._runner = runner
        return self

    async def stop(self) -> None:
        await self.close_connections()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # --- waiting --------------------------------------------------------------------------
    def notify(self) -> None:
        """Something changed: wake every ``wait_for`` to re-check its predicate."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def changed(self, timeout: float) -> None:
        """Return at the next ``notify`` or after ``timeout`` seconds, whichever is first."""
        event = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0,
                       message: str = "") -> T:
        """Wait until ``predicate()`` is truthy and return its value; TimeoutError (naming the
        last requests) when it is not within ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not (result := predicate()):
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = [(r.method, r.status) for r in self.requests[-RECENT_REQUESTS:]]
                raise TimeoutError(
                    f"{self.name}: condition not met within {timeout}s "
                    f"{message or predicate!r}; last requests: {recent}")
            await self.changed(min(remaining, RECHECK_SECONDS))
        return result
