"""The one way a network stops: in order, each step bounded, the client closed last.

The order every network follows: take no more events; finish the events in hand (their
answers are owed: a second delivery of an event is silent); let the outbox record its sends
under way and hand back those not begun; then close the client all of them needed. A step
that fails or overruns is logged and the next still runs: the client must close whatever
happened before it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    what: str  # for the log: "answering the replies owed"
    run: Callable[[], Awaitable[object]]
    seconds: float | None = None  # None: the step bounds itself


async def stop_in_order(network: str, steps: list[Step]) -> None:
    for step in steps:
        try:
            if step.seconds is None:
                await step.run()
            else:
                await asyncio.wait_for(step.run(), step.seconds)
        except TimeoutError:
            log.warning("%s: stopping: %s took more than %.0fs", network, step.what, step.seconds)
        except Exception:
            log.exception("%s: stopping: %s failed", network, step.what)


async def cancelled(tasks: list[asyncio.Task[None]]) -> None:
    """Cancel the tasks and wait until each has ended (whatever it ended with)."""
    for task in tasks:
        task.cancel()
    for task in tasks:
        try:
            await task
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("stopping: %s ended with an error", task.get_name())
