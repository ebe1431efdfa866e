"""Start-up turns: a bot logs in only when the backoff stored in the core allows it.

A crash loop (systemd restarting `gather run` every few seconds, several hosts at once) would
otherwise log in on every start; Discord resets the token after 1,000 IDENTIFYs a day. The
backoff lives in the database (`Gather.start_turn`), so it survives restarts and is shared by
every process; a run that lasts `START_LASTED_SECONDS`, or that is stopped on request, resets it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator

from core import START_LASTED_SECONDS, Gather

log = logging.getLogger(__name__)

POLL_CAP = 60.0  # ask again at least this often (another process may have reset the backoff)


def bot_key(secret: str) -> str:
    """Tells bots of one network apart in the database without storing their token."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


async def wait_for_turn(gather: Gather, network: str, bot: str) -> None:
    """Return when this bot may log in (the start is booked against the stored backoff)."""
    while (wait := await asyncio.to_thread(gather.start_turn, network, bot)) > 0:
        log.warning("%s: recent starts did not last; logging in again in %.0f s", network, wait)
        await asyncio.sleep(min(wait, POLL_CAP))


async def _note_lasted(gather: Gather, network: str, bot: str, after: float) -> None:
    await asyncio.sleep(after)
    await asyncio.to_thread(gather.start_lasted, network, bot)


@contextlib.asynccontextmanager
async def start_turn(
    gather: Gather, network: str, bot: str, lasted_after: float = START_LASTED_SECONDS
) -> AsyncIterator[None]:
    """Wait for the bot's turn to start; while the body runs, note when it has lasted."""
    await wait_for_turn(gather, network, bot)
    timer = asyncio.create_task(_note_lasted(gather, network, bot, lasted_after))
    stopped_cleanly = False
    try:
        yield
        stopped_cleanly = True
    except asyncio.CancelledError:
        # Asked to stop (SIGTERM, Ctrl-C, a deploy): `gather run` stops its networks by
        # cancelling them. A crash is an exception, or a process killed before it gets here.
        stopped_cleanly = True
        raise
    finally:
        timer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await timer
        if stopped_cleanly:
            # So an operator's restart (or a newcomer fixing bots.toml) goes at once; only
            # starts that end in failure count towards the backoff.
            with contextlib.suppress(Exception):
                await asyncio.to_thread(gather.start_lasted, network, bot)
