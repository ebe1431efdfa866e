"""Delivers one network's outbox: claim, pace, fence, send, record. Shared by every adapter."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Hashable
from datetime import timedelta

from adapters.network import Network
from core import Delivery, Failed, Gather, Limit, Outcome, Pacer, RetryLater, Sent, Uncertain

log = logging.getLogger(__name__)


class OutboxWorker:
    """Runs beside a network adapter. Wakes when the core queues something, else polls.

    `limits` maps a delivery to the rate limits it counts against; a RetryLater outcome
    pauses the limit keys it names, so one chat's 429 does not stall the others.
    """

    def __init__(
        self,
        gather: Gather,
        network: Network,
        *,
        limits: list[tuple[Limit, str]] | None = None,
        batch: int = 30,
        poll_seconds: float = 1.0,
        send_timeout: float = 30.0,
        concurrency: int = 16,
        lease_seconds: float = 60.0,
    ) -> None:
        self.gather = gather
        self.network = network
        self.pacer = Pacer()
        self.limits = limits or []
        self.batch = batch
        self.poll_seconds = poll_seconds
        self.send_timeout = send_timeout
        self.lease = timedelta(seconds=lease_seconds)
        self.worker_id = f"{network.name}@{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._wake = asyncio.Event()
        self._stopping = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots = asyncio.Semaphore(concurrency)
        gather.on_outbox(self._notify)

    def _notify(self, network: str) -> None:
        """Called from any thread after a commit that queued messages for `network`."""
        if network == self.network.name and self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    def stop(self) -> None:
        """Finish the batch in hand (every send recorded), then leave `run`."""
        self._stopping = True
        self._wake.set()

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

    def _subjects(self, delivery: Delivery) -> list[tuple[Limit, Hashable]]:
        """The limits a send counts against: the network's own answer (adapters.network.Paced)
        when it has one, else the scopes given to the worker."""
        limits_for = getattr(self.network, "limits_for", None)
        if limits_for is not None:
            subjects: list[tuple[Limit, Hashable]] = limits_for(delivery)
            return subjects
        target = delivery.chat_id or (delivery.recipient.native_id if delivery.recipient else "")
        subjects = []
        for limit, scope in self.limits:
            if scope == "all":
                subjects.append((limit, "all"))
            elif scope == "chat":
                subjects.append((limit, ("chat", target)))
            elif scope == "group" and delivery.kind != "dm":
                subjects.append((limit, ("group", target)))
        return subjects

    async def until_allowed(self, subjects: list[tuple[Limit, Hashable]]) -> None:
        """Wait until a send under all these limits may go, and book it."""
        while (wait := self.pacer.reserve(time.monotonic(), subjects)) > 0:
            await asyncio.sleep(wait)

    async def _deliver(self, delivery: Delivery) -> None:
        async with self._slots:
            subjects = self._subjects(delivery)
            await self.until_allowed(subjects)
            if not await asyncio.to_thread(self.gather.begin_send, delivery):
                return  # our lease ran out and someone else has it now
            outcome = await self._send(delivery)
            if isinstance(outcome, RetryLater):
                until = time.monotonic() + outcome.seconds
                for _limit, key in subjects:
                    self.pacer.pause(key, until)
            await asyncio.to_thread(self.gather.complete, delivery, outcome)
            if isinstance(outcome, Sent) and delivery.kind == "announcement":
                await self._mirror(delivery, outcome.message_id or delivery.message_id)

    async def _mirror(self, delivery: Delivery, message_id: str | None) -> None:
        """Let a network that mirrors announcements elsewhere (adapters.network.Mirrors)
        follow this one; its trouble never touches the announcement."""
        mirror = getattr(self.network, "mirror_announcement", None)
        if mirror is None or message_id is None:
            return
        try:
            await mirror(delivery, message_id)
        except Exception:
            log.exception("%s: mirroring announcement %s failed", self.network.name, message_id)

    async def _send(self, delivery: Delivery) -> Outcome:
        network = self.network
        try:
            async with asyncio.timeout(self.send_timeout):
                if delivery.kind == "announcement" and delivery.chat_id is not None:
                    if delivery.message_id is None:
                        return await network.post_announcement(delivery.chat_id, delivery.message)
                    return await network.edit_announcement(
                        delivery.chat_id, delivery.message_id, delivery.message
                    )
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
