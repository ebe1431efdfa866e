"""Delivers one network's outbox: claim, pace, fence, send, record. Shared by every adapter.

While the network is down (an outcome marked `outage`), the worker stops claiming in batches:
after a jittered, capped wait it sends one message as a probe, and only when that goes
through does it take batches again. So a long outage costs a few requests a minute, the
waiting messages keep their place in the table, and the other networks' workers carry on.

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
from adapters.runtime.backoff import Backoff
from core import Delivery, Failed, Limit, Outcome, Pacer, Pacing, RetryLater, Uncertain

log = logging.getLogger(__name__)


class OutboxCore(Protocol):
    """What the worker asks of the core (`core.Gather`, or a wrapper that counts calls)."""

    def on_outbox(self, listener: Callable[[str], None]) -> None: ...

    def claim(self, network: str, worker: str, limit: int, lease: timedelta) -> list[Delivery]: ...

    def begin_send(self, delivery: Delivery) -> bool: ...

    def complete(self, delivery: Delivery, outcome: Outcome) -> None: ...

    def make_due_occurrences(self) -> int: ...


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
        outage_first: float = 2.0,
        outage_cap: float = 20.0,
        pacer: Pacing | None = None,
        series_seconds: float = 30.0,
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
        # Waits between probes while the network is down (seconds), and when the next may go.
        self.outage = Backoff(first=outage_first, cap=outage_cap)
        self._down_until: float | None = None
        # Occurrences of series are made by the core from database rows; each worker asks
        # now and then (every process may: the core makes each occurrence once).
        self.series_seconds = series_seconds
        self._series_next = 0.0
        gather.on_outbox(self._notify)

    def _notify(self, network: str) -> None:
        """Called from any thread after a commit that queued messages for `network`."""
        if network == self.network.name and self._loop is not None:
            # After the worker's loop has closed (a stop), there is nobody left to wake; a
            # command committing then must still get its answer.
            with contextlib.suppress(RuntimeError):
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

    @property
    def down(self) -> bool:
        """The network looked down at the last send (until a probe goes through)."""
        return self._down_until is not None

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        while not self._stopping:
            if self._down_until is not None:
                # Down: nothing is claimed until the next probe is due (new messages wait).
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._halt.wait(), max(0.0, self._down_until - time.monotonic())
                    )
                if self._stopping:
                    break
            await self._make_due_occurrences()
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

    async def _make_due_occurrences(self) -> None:
        if time.monotonic() < self._series_next:
            return
        self._series_next = time.monotonic() + self.series_seconds
        try:
            await asyncio.to_thread(self.gather.make_due_occurrences)
        except Exception:
            log.exception("%s outbox: making series occurrences failed; retrying later",
                          self.network.name)

    async def drain(self) -> int:
        """Deliver until nothing is due (for tests and the console): returns how many went."""
        self._loop = asyncio.get_running_loop()
        total = 0
        while sent := await self.drain_once():
            total += sent
        return total

    async def drain_once(self) -> int:
        # While down, one message at a time: a probe.
        batch = 1 if self._down_until is not None else self.batch
        deliveries = await asyncio.to_thread(
            self.gather.claim, self.network.name, self.worker_id, batch, self.lease
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
            if not await self.turn(subjects) or self._went_down():
                # Not begun: pending again at once (for the next start or the probe that
                # finds the network back), not after its lease, and it cost no attempt.
                outcome: Outcome = RetryLater(0.0, "not sent: stopped, or the network is down")
                await asyncio.to_thread(self.gather.complete, delivery, outcome)
                return
            if not await asyncio.to_thread(self.gather.begin_send, delivery):
                return  # our lease ran out, or it is no longer true: the row says which
            outcome = await self._send(delivery)
            self._note_health(outcome)
            if isinstance(outcome, RetryLater) and not outcome.outage:
                until = time.monotonic() + outcome.seconds
                for _limit, key in subjects:
                    self.pacer.pause(key, until)
            await asyncio.to_thread(self.gather.complete, delivery, outcome)

    def _went_down(self) -> bool:
        """Down, and not yet time for a probe: a batch claimed before the outage waits."""
        return self._down_until is not None and self._down_until > time.monotonic()

    def _note_health(self, outcome: Outcome) -> None:
        """An outage starts (or goes on) with an outage outcome; any other answer ends it."""
        if isinstance(outcome, RetryLater) and outcome.outage:
            now = time.monotonic()
            if self._down_until is None or self._down_until <= now:
                wait = self.outage.next()
                log.warning(
                    "%s outbox: the network is down (%s); next try in %.0fs",
                    self.network.name,
                    outcome.reason,
                    wait,
                )
                self._down_until = now + wait
            return
        if self._down_until is not None:
            log.info("%s outbox: the network is back", self.network.name)
        self._down_until = None
        self.outage.reset()

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
