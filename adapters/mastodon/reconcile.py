"""Un-boosts send nothing: compare who boosts each open announcement with who is counted.

Cheap first: one `status` request per announcement compares `reblogs_count` with what is
expected (the count at the last full look, plus boosts notified since). Only when they differ,
or every `full_reconcile_seconds`, are all pages of `reblogged_by` read and the pledges fixed:
a booster not counted joins (a missed notification), and someone counted *because of a boost*
who no longer boosts leaves. People who joined another way (the organiser, a reply "join") are
never removed by reconciliation: the core keeps how each pledge was made (its source), and only
a pledge a boost made is withdrawn when the boost goes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from mastodon import MastodonNotFoundError

from adapters.mastodon.account import BotAccount
from adapters.mastodon.budget import Priority
from adapters.mastodon.client import OverBudget, describe
from adapters.mastodon.translate import identity_of, public_room
from core import Command, Identity, PledgeSource

log = logging.getLogger(__name__)


@dataclass
class PostState:
    expected: int | None = None  # reblogs_count we expect to see
    known: set[str] = field(default_factory=set)  # boosters at the last full look
    next_full: float = 0.0


class Reconciler:
    def __init__(self, network: BotAccount, ready: asyncio.Event | None = None) -> None:
        self.network = network
        self.gather = network.gather
        self.settings = network.settings
        self.api = network.api
        self.ready = ready
        self.posts: dict[str, PostState] = {}
        self.full_looks = 0
        self.cheap_looks = 0
        self.changes = 0
        self._current: asyncio.Task[None] | None = None

    # Boost notifications -----------------------------------------------------------------

    async def note_boost(self, code: str, account_id: str) -> None:
        """A boost notification was counted: expect one more reblog. (The core recorded that
        the pledge came from a boost, so an un-boost withdraws it.)"""
        state = self.posts.setdefault(code, PostState())
        if account_id not in state.known:
            state.known.add(account_id)
            if state.expected is not None:
                state.expected += 1

    async def _is_credited(self, code: str, account_id: str) -> bool:
        """Whether this account's pledge to `code` was made by a boost (and not withdrawn
        because the boost was taken back)."""
        source: PledgeSource | None = await asyncio.to_thread(
            self.gather.pledge_source, code, "mastodon", account_id
        )
        return source == PledgeSource.BOOST

    # The loop ----------------------------------------------------------------------------

    async def run(self) -> None:
        if self.ready is not None:
            await self.ready.wait()  # count what the catch-up brings first
        while True:
            started = time.monotonic()
            try:
                await self.pass_once()
            except Exception as error:
                log.warning("mastodon: reconciliation failed (%s)", describe(error))
            elapsed = time.monotonic() - started
            await asyncio.sleep(max(0.05, self.settings.reconcile_seconds - elapsed))

    async def pass_once(self) -> None:
        posts = await asyncio.to_thread(self.gather.open_posts, "mastodon")
        live = {code for code, _ in posts}
        for code in list(self.posts):
            if code not in live:
                del self.posts[code]
        for code, status_id in posts:
            try:
                await self.check(code, status_id)
            except OverBudget:
                return  # leave the rest of the budget to people; next round
            except MastodonNotFoundError:
                continue  # the post is gone; the outbox re-posts it on the next edit

    async def check(self, code: str, status_id: str) -> None:
        client = self.api.client
        state = self.posts.setdefault(code, PostState())
        wait = self.settings.reconcile_seconds
        status = await self.api.call(Priority.LOW, client.status, status_id, max_wait=wait)
        self.cheap_looks += 1
        count = int(status.get("reblogs_count") or 0)
        if state.expected == count and time.monotonic() < state.next_full:
            return
        accounts: list[Any] = []
        page = await self.api.call(
            Priority.LOW, client.status_reblogged_by, status_id, max_wait=wait
        )
        while page:
            accounts.extend(page)
            page = await self.api.call(Priority.LOW, client.fetch_next, page, max_wait=wait)
        self.full_looks += 1
        boosters = {str(a["id"]): a for a in accounts if str(a["id"]) != self.network.bot_id}
        state.expected = count
        state.known = set(boosters)
        state.next_full = time.monotonic() + self.settings.full_reconcile_seconds
        await self.apply(code, boosters)

    async def apply(self, code: str, boosters: dict[str, Any]) -> None:
        pledgers = set(await asyncio.to_thread(self.gather.pledgers_via, code, "mastodon"))
        for account_id in sorted(pledgers - set(boosters)):
            if await self._is_credited(code, account_id):
                await self._change(Identity("mastodon", account_id), code, False)
        for account_id, account in boosters.items():
            if account_id in pledgers or await self._is_credited(code, account_id):
                continue  # counted, or left by their own word while still boosting
            self.network.accts[account_id] = str(account.get("acct") or "")
            await self._change(identity_of(account), code, True)

    async def _change(self, actor: Identity, code: str, joins: bool) -> None:
        """A join (or leave) made by a boost (or by taking it back): the core records the
        pledge's source with it. Shielded from cancellation, so a stop lets it finish."""
        text = f"/{'join' if joins else 'leave'} {code}"
        self._current = asyncio.ensure_future(self._run(actor, text))
        await asyncio.shield(self._current)

    async def finish(self, timeout: float) -> None:
        """On stop, after cancelling `run`: let the change in hand finish (a while)."""
        if self._current is not None and not self._current.done():
            await asyncio.wait([self._current], timeout=timeout)

    async def _run(self, actor: Identity, text: str) -> None:
        command = Command(actor, public_room(), text, via=PledgeSource.BOOST)
        reply = await asyncio.to_thread(self.gather.handle, command)
        self.changes += 1
        log.info(
            "mastodon: reconciled %s for %s (%s)",
            text,
            actor.native_id,
            "ok" if reply.ok else "refused",
        )
