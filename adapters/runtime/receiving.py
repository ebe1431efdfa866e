"""One receiver per bot, across processes and hosts: the others wait instead of fighting.

`receive_alone` runs an adapter's receiving (Telegram's polling or webhook, Discord's gateway
session, Mastodon's stream) only while this process holds the bot's lease in the database
(core/operations/receivers.py), renewing it as it goes. A second `gather run` for the same bot
logs who receives and waits; when the holder stops cleanly it releases the lease and the
waiting process takes over within `WAIT_SECONDS`; when the holder dies, once its lease is
stale (90 s), or at once when it was a process of this host that no longer runs (a restart
after a crash). A holder that finds its lease taken (it stalled past it) stops receiving and
waits like any other.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path

from adapters.runtime.inbound import process_name
from core import HEARTBEAT_EVERY, Gather

log = logging.getLogger(__name__)

WAIT_SECONDS = 5.0  # a waiting process asks this often (one small transaction)


async def receive_alone(
    gather: Gather,
    network: str,
    bot: str,
    receive: Callable[[], Awaitable[None]],
    *,
    renew_seconds: float = HEARTBEAT_EVERY.total_seconds(),
    wait_seconds: float = WAIT_SECONDS,
) -> None:
    """Run `receive()` while holding the bot's receiver lease; until it returns or raises, or
    until cancelled (then the lease is released, so another process takes over at once)."""
    lease = _Lease(gather, network, bot)
    while True:
        await lease.wait_for_it(wait_seconds)
        task = asyncio.ensure_future(receive())
        try:
            while not task.done():
                await asyncio.wait([task], timeout=renew_seconds)
                if not task.done() and not await lease.renew():
                    log.error("%s: another process took over receiving; this one waits", network)
                    task.cancel()
                    await asyncio.gather(task, return_exceptions=True)
                    break
            else:
                return task.result()
        finally:
            if not task.done():  # cancelled from outside: stop receiving, then let go
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
            await asyncio.shield(lease.release())


def gone(holder: str) -> bool:
    """Whether `holder` (host:pid, as `process_name` makes it) is a process of this host that
    no longer runs (or is a zombie, killed and not yet reaped)."""
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    except (OSError, IndexError):  # no /proc here: ask the kernel whether it exists
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False
        return False
    return state == "Z"


class _Lease:
    def __init__(self, gather: Gather, network: str, bot: str) -> None:
        self.operations = gather.operations
        self.network = network
        self.bot = bot
        self.process = process_name()

    async def _hold(self) -> tuple[bool, str]:
        try:
            holding = await asyncio.to_thread(
                self.operations.hold_receiver, self.network, self.bot, self.process
            )
            if not holding.mine and gone(holding.holder):
                # Killed on this host (a crash, then a restart): no need to wait for staleness.
                holding = await asyncio.to_thread(
                    self.operations.hold_receiver,
                    self.network,
                    self.bot,
                    self.process,
                    holding.holder,
                )
        except Exception as error:
            log.warning("%s: could not check the receiver lease: %s", self.network, error)
            return False, "?"
        return holding.mine, holding.holder

    async def wait_for_it(self, wait_seconds: float) -> None:
        told = ""
        while True:
            mine, holder = await self._hold()
            if mine:
                if told:
                    log.info("%s: this process receives now (%s stopped)", self.network, told)
                return
            if holder != told and holder != "?":
                log.warning(
                    "%s: %s receives for this bot; this process waits (it takes over when that "
                    "one stops)",
                    self.network,
                    holder,
                )
                told = holder
            await asyncio.sleep(wait_seconds)

    async def renew(self) -> bool:
        """False only when another process holds the lease now (a database error is not that:
        receiving goes on, and the lease goes stale only if the trouble lasts)."""
        mine, holder = await self._hold()
        return mine or holder == "?"

    async def release(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.to_thread(
                self.operations.release_receiver, self.network, self.bot, self.process
            )
