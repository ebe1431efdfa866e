"""Pruning, run by every `gather run` beside its networks: old rows go after their retention.

Every process asks now and then; the core gives the turn to one process per `[retention]
every` (stored in the database, so restarts and other hosts count), and prunes in short
batches (core/operations/retention.py). A failure is logged and tried again at the next ask.
"""

from __future__ import annotations

import asyncio
import logging

from core import Gather

log = logging.getLogger(__name__)

ASK_EVERY_SECONDS = 60.0  # asking is one small transaction; the turn decides the rhythm


async def prune_periodically(gather: Gather, ask_every: float | None = None) -> None:
    """Until cancelled: prune whenever this process has the turn (asking every `ask_every`
    seconds, by default `ASK_EVERY_SECONDS`, read when it starts)."""
    while True:
        try:
            await asyncio.to_thread(gather.operations.prune_if_due)
        except Exception:
            log.exception("pruning old rows failed; trying again later")
        await asyncio.sleep(ask_every or ASK_EVERY_SECONDS)
