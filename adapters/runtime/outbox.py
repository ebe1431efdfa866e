"""Delivers one network's outbox: claim, pace, fence, send, record. Shared by every adapter.

On stop, the sends under way finish and are recorded; those still waiting for their turn
under a rate limit are handed back (pending again at once, for the next start) rather than
cut off between the network call and recording what became of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Callable, Hashable
from datetime import timedelta
from typing import Protocol

from adapters.network import Network
from core import Delivery, Failed, Limit, Outcome, Pacer, Pacing, RetryLater, Uncertain

log = logging.getLogger(__name__)


class OutboxCore(Protocol):
    """What the worker asks of the core (`core.Gather`, or a wrapper that counts calls)."""

    def on_outbox(self, listener: Callable[[str], None]) -> None: ...

    def claim(self, network: str, worker: str, limit: int, lease: timedelta) -> list[Delivery]: ...

    def begin_send(self, delivery: Delivery) -> bool: ...

    def complete(self, delivery: Delivery, outcome: Outcome) -> None: ...


def scoped(delivery: Delivery, limits: list[tuple[Limit, str]]) -> list[tuple[Limit, Hashable]]:
    """The keys of limits given by scope: "all" (the whole bot), "chat" (each chat or person)
    and "group" (each room, never a person's DMs)."""
    target = delivery.chat_id or (delivery.recipient.native_id if delivery.recipient else "")
    subjects: list[tuple[Limit, Hashable]] = []
    for limit, scope in limits:
        if scope == "all":
            subjects.append((limit, "all"))
        elif scope == "chat":
            subjects.append((limit, ("chat", target)))
        elif scope == "group" and delivery.kind != "dm":
            subjects.append((limit, ("group", target)))
    return subjects


class OutboxWorker:
    """Runs beside a network adapter. Wakes when the core queues something, else polls.

    The network's `limits_for` says which rate limits a delivery counts against; a RetryLater
    outcome pauses the limit keys it names, so one chat's 429 does not stall the others.
    """

    def __init__(
        self,
        gather: OutboxCore,
        network: Network,
        *,
        batch: int = 30,
        poll_seconds: float = 1.0,
        send_timeout: float = 30.0,
        concurrency: int = 16,
        lease_seconds: float = 60.0,
        pacer: Pacing | None = None,
    ) -> None:
        self.gather = gather
        self.network = network
        # `Gather.pacer` shares the bot's limits with other processes (PostgreSQL).
        self.pacer: Pacing = pacer or Pacer()
        self.batch = batch
        self.poll_seconds = poll_seconds
        self.send_timeout = send_timeout
        self.lease = timedelta(seconds=lease_seconds)
        self.worker_id = f"{network.name}@{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._wake = asyncio.Event()
        self._halt = asyncio.Event()
        self._stopping = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots = asyncio.Semaphore(concurrency)
        gather.on_outbox(self._notify)

    def _notify(self, network: str) -> None:
        """Called from any thread after a commit that queued messages for `network`."""
        if network == self.network.name and self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    def stop(self) -> None:
        """Leave `run` after the batch in hand: its sends under way are recorded, and no send
        waits for its turn any more (see `turn`)."""
        self._stopping = True
        self._halt.set()
        self._wake.set()

    async def finish(self, task: asyncio.Task[None], timeout: float = 15.0) -> None:
        """Stop `task` (this worker's `run`) and wait for it; cancelled after `timeout`."""
        self.stop()
        done, _ = await asyncio.wait([task], timeout=timeout)
        if not done:
            log.warning(
                "%s outbox: did not stop in time; sends may be uncertain", self.network.name
            )
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        while not self._stopping:
            try:
                sent = await self.drain_once()
            except Exception:
                log.exception("%s outbox: claiming failed; retrying", self.network.name)
                sent = 0
            if not sent and not self._stopping:
                # Idle: drop schedules that lie in the past, so memory stays flat however
                # many chats and people the bot has ever messaged.
                self.pacer.forget_idle(time.monotonic())
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_seconds)

    async def drain(self) -> int:
        """Deliver until nothing is due (for tests and the console): returns how many went."""
        self._loop = asyncio.get_running_loop()
        total = 0
        while sent := await self.drain_once():
            total += sent
        return total

    async def drain_once(self) -> int:
        deliveries = await asyncio.to_thread(
            self.gather.claim, self.network.name, self.worker_id, self.batch, self.lease
        )
        if not deliveries:
            return 0
        await asyncio.gather(*(self._deliver(d) for d in deliveries))
        return len(deliveries)

    async def turn(self, subjects: list[tuple[Limit, Hashable]]) -> bool:
        """Wait until a send under all these limits may go, and book it; False, with nothing
        booked, when the worker stops first."""
        while (wait := self.pacer.reserve(time.monotonic(), subjects)) > 0:
            if self._halt.is_set():
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._halt.wait(), wait)
        return True

    async def _deliver(self, delivery: Delivery) -> None:
        async with self._slots:
            subjects = self.network.limits_for(delivery)
            if not await self.turn(subjects):
                # Not begun: pending again at once (for the next start), not after its lease.
                outcome: Outcome = RetryLater(0.0, "stopped before its turn")
                await asyncio.to_thread(self.gather.complete, delivery, outcome)
                return
            if not await asyncio.to_thread(self.gather.begin_send, delivery):
                return  # our lease ran out and someone else has it now
            outcome = await self._send(delivery)
            if isinstance(outcome, RetryLater):
                until = time.monotonic() + outcome.seconds
                for _limit, key in subjects:
                    self.pacer.pause(key, until)
            await asyncio.to_thread(self.gather.complete, delivery, outcome)

    async def _send(self, delivery: Delivery) -> Outcome:
        network = self.network
        try:
            async with asyncio.timeout(self.send_timeout):
                if delivery.kind == "announcement" and delivery.chat_id is not None:
                    return await network.announce(delivery)
                if delivery.kind == "room" and delivery.chat_id is not None:
                    return await network.send_to_chat(delivery.chat_id, delivery.message)
                if delivery.recipient is not None:
                    return await network.send_dm(delivery.recipient, delivery.message)
                return Failed("delivery has no target")
        except TimeoutError:
            return Uncertain(f"no answer within {self.send_timeout:.0f}s")
        except Exception as error:  # an adapter bug must not kill the worker
            log.exception("%s: sending delivery %s failed", network.name, delivery.id)
            return Failed(f"{type(error).__name__}: {error}"[:300])
