"""Pacing on Telegram: the outbox worker under the group limits, and the answers owed.

On stop, sends not yet begun are handed back (pending again at once, for the next start)
rather than cut off; replies to commands still waiting for their turn are owed, and go out
together, one message per chat (see TelegramBot._answer_owed).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from adapters.outbox_worker import OutboxWorker
from core import Delivery, Identity, Limit, Message, MessageBuilder, RetryLater, Span

log = logging.getLogger(__name__)
# On stop: how long the answers owed may take, all together, before the client closes.
ANSWER_SECONDS = 8.0
TOGETHER_LIMIT = 3500  # visible characters of one message carrying several answers


class _HandedBack(Exception):
    """Stopping before a delivery's turn came: it was never begun."""


@dataclass(eq=False)
class Owed:
    """A reply to a command, owed until it is sent (or refused for good)."""

    chat_id: int
    message: Message
    reply_to: int | None
    actor: Identity


class PacedWorker(OutboxWorker):
    """The shared worker (paced by TelegramNetwork.limits_for: the group limit only for groups),
    except that on stop the sends still waiting for their turn are handed back."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._halt = asyncio.Event()

    def stop(self) -> None:
        """OutboxWorker.stop (`run` ends between batches, so no send is cut off between the
        network call and recording its outcome), and no send waits for its turn any more
        (see `turn`)."""
        super().stop()
        self._halt.set()

    async def turn(self, subjects: list[tuple[Limit, Hashable]]) -> bool:
        """Wait until a send under all these limits may go, and book it; False, with nothing
        booked, when the bot stops first."""
        while (wait := self.pacer.reserve(time.monotonic(), subjects)) > 0:
            if self._halt.is_set():
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._halt.wait(), wait)
        return True

    async def until_allowed(self, subjects: list[tuple[Limit, Hashable]]) -> None:
        if not await self.turn(subjects):
            raise _HandedBack

    async def _deliver(self, delivery: Delivery) -> None:
        try:
            await super()._deliver(delivery)
        except _HandedBack:
            # Not begun: pending again at once (for the next start), not after its lease.
            await asyncio.to_thread(
                self.gather.complete, delivery, RetryLater(0.0, "stopped before its turn")
            )

    async def finish(self, task: asyncio.Task[None], timeout: float = 15.0) -> None:
        """Stop `task` (this worker's `run`): sends under way finish and are recorded; those
        waiting for their turn are handed back (`_deliver`)."""
        self.stop()
        done, _ = await asyncio.wait([task], timeout=timeout)
        if not done:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def together(owed: list[Owed]) -> list[tuple[Message, list[Owed]]]:
    """Replies owed in one chat as few messages as they fit in, each answer headed by the
    name of the person it answers when there are several (a mention: they are notified, as by
    a reply)."""
    named = len({each.actor.native_id for each in owed}) > 1
    parts: list[tuple[Message, list[Owed]]] = []
    members: list[Owed] = []
    builder, size = MessageBuilder(), 0
    for each in owed:
        actor = each.actor
        first, *rest = each.message.paragraphs or ((),)
        if named:
            name = actor.display_name or actor.native_id
            first = (Span(name, "mention", f"telegram:{actor.native_id}"), Span(": "), *first)
        paragraphs = [first, *rest]
        length = sum(len(span.text) + 1 for paragraph in paragraphs for span in paragraph)
        if members and size + length > TOGETHER_LIMIT:
            parts.append((builder.build(), members))
            builder, members, size = MessageBuilder(), [], 0
        if members:
            builder.line()
        for paragraph in paragraphs:
            builder.line(*paragraph)
        members.append(each)
        size += length
    if members:
        parts.append((builder.build(), members))
    return parts
