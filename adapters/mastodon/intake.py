"""Notifications in: the user stream for promptness, REST catch-up from a stored cursor so that
nothing is lost while the bot or the stream was away. Every notification is one command with
the notification id as its event key, so a notification seen twice is counted once.

A second delivery is silent, so the first must be answered: on stop, the notification in hand
is finished and the replies owed are sent (`finish`) before the client closes; notifications
not yet taken stay after the cursor and come again with the next catch-up."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from adapters.mastodon.account import BotAccount
from adapters.mastodon.budget import Priority
from adapters.mastodon.client import OverBudget, describe
from adapters.mastodon.render import render_text
from adapters.mastodon.stream import Stream
from adapters.mastodon.translate import (
    Translation,
    identity_of,
    public_room,
    translate,
)
from adapters.runtime.backoff import Backoff
from adapters.runtime.inbound import Inbound, raise_if_failed
from core import Command, Identity, Message, RetryLater, RoomRef, Sent, text_message

log = logging.getLogger(__name__)
CURSOR = "mastodon:notifications"
TYPES = ["mention", "reblog"]
# How long a reply to "/gather" waits for the announcement to be posted, to link it
# (when stopping, at most STOPPING_LINK_WAIT: the reply matters more than the link).
LINK_WAIT = 20.0
STOPPING_LINK_WAIT = 2.0
REPLY_ATTEMPTS = 6


class Intake:
    def __init__(self, network: BotAccount) -> None:
        self.network = network
        self.gather = network.gather
        self.settings = network.settings
        self.api = network.api
        self.queue: asyncio.Queue[Any] = asyncio.Queue()
        self.stream = Stream(network.settings, network.api, self._deliver)
        self.first_catch_up = asyncio.Event()
        self.on_boost: Callable[[str, str], Awaitable[None]] | None = None
        self.catch_ups = 0
        self._seen_connection: Any = None
        self._replies: set[asyncio.Task[None]] = set()
        self._current: asyncio.Task[None] | None = None
        self._stopping_at: float | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # Heartbeat and dead letters: a failed notification is retried by processing it again.
        self.inbound = Inbound(self.gather, "mastodon", self._process)

    # The loop ---------------------------------------------------------------------------

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        due = 0.0  # when the next catch-up is due (monotonic); 0 means now
        backoff = Backoff(first=1.0, cap=self.settings.retry_max_seconds)
        while True:
            await self.stream.keep_open()
            connection = self.stream.connection
            if connection is not None and connection is not self._seen_connection:
                self._seen_connection = connection  # (re)connected: fill the gap over REST
                due = 0.0
            if time.monotonic() >= due:
                try:
                    await self.catch_up()
                    self.inbound.connected()
                    backoff.reset()
                    due = time.monotonic() + self.settings.catch_up_seconds
                except OverBudget as wait:
                    due = time.monotonic() + wait.wait
                except Exception as error:
                    self.inbound.disconnected()
                    delay = backoff.next()
                    log.warning(
                        "mastodon: catch-up failed (%s); retrying in %.0fs",
                        describe(error),
                        delay,
                    )
                    due = time.monotonic() + delay
            try:
                item = await asyncio.wait_for(self.queue.get(), timeout=0.25)
            except TimeoutError:
                continue
            await self.take(item)

    async def take(self, notification: Any) -> None:
        """Process one notification to the end, even when the intake is cancelled meanwhile:
        the core may already be counting it, and then only this delivery can answer it
        (`finish` waits for it)."""
        self._current = asyncio.ensure_future(self.process(notification))
        await asyncio.shield(self._current)

    async def finish(self, timeout: float) -> None:
        """On stop, after cancelling `run`: wait (a while) for the notification in hand, then
        for the replies owed; whatever is still unanswered after `timeout` is given up."""
        self._stopping_at = time.monotonic()
        deadline = self._stopping_at + timeout
        current = self._current
        if current is not None and not (await asyncio.wait([current], timeout=timeout))[0]:
            log.warning("mastodon: stopping in the middle of a notification")
            current.cancel()
        while self._replies:
            left = deadline - time.monotonic()
            if left <= 0:
                log.warning("mastodon: stopping with %d replies unsent", len(self._replies))
                break
            await asyncio.wait(list(self._replies), timeout=left)
        for task in list(self._replies):
            task.cancel()

    def _deliver(self, notification: Any) -> None:
        """From the stream thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self.queue.put_nowait, notification)

    async def close(self) -> None:
        await self.stream.close()

    # Catch-up ---------------------------------------------------------------------------

    async def catch_up(self) -> int:
        """Every notification after the stored cursor, oldest first; the cursor moves after
        each page. The first start ever begins at the newest notification (history is not
        replayed). Returns how many were processed."""
        client = self.api.client
        cursor = await asyncio.to_thread(self.gather.cursor, CURSOR)
        processed = 0
        if cursor is None:
            newest = await self.api.call(
                Priority.NORMAL, client.notifications, limit=1, max_wait=30
            )
            await asyncio.to_thread(
                self.gather.set_cursor, CURSOR, str(newest[0]["id"]) if newest else ""
            )
        elif cursor == "":
            # Nothing was there at the first start: everything since is new.
            everything = await self.api.pages(
                Priority.NORMAL, lambda: client.notifications(types=TYPES, limit=80)
            )
            for notification in reversed(everything):
                await self.take(notification)
                processed += 1
            if everything:
                await asyncio.to_thread(self.gather.set_cursor, CURSOR, str(everything[0]["id"]))
        else:
            page = await self.api.call(
                Priority.NORMAL,
                client.notifications,
                min_id=cursor,
                types=TYPES,
                limit=80,
                max_wait=30,
            )
            while page:
                for notification in reversed(page):  # each page is newest first
                    await self.take(notification)
                    processed += 1
                # Ids are strings: take the newest as given, never compare them.
                await asyncio.to_thread(self.gather.set_cursor, CURSOR, str(page[0]["id"]))
                page = await self.api.call(
                    Priority.NORMAL, client.fetch_previous, page, max_wait=30
                )
        self.catch_ups += 1
        self.first_catch_up.set()
        return processed

    # One notification -------------------------------------------------------------------

    async def process(self, notification: Any) -> None:
        try:
            await self._process(notification)
        except Exception as error:  # one bad notification must not stop the intake: keep it
            key = f"notification:{notification.get('id')}"
            await self.inbound.keep(key, notification, error)

    async def _process(self, notification: Any) -> None:
        account = notification.get("account") or {}
        if account.get("id") and account.get("acct"):
            self.network.accts[str(account["id"])] = str(account["acct"])
        translation = await asyncio.to_thread(
            translate,
            notification,
            bot_id=self.network.bot_id,
            bot_username=self.network.bot_username,
            code_for=self._code_for,
            announces=self.gather.reads_as_announcement,
            awaits_report=self.gather.awaits_report,
            reply_visibility=self.settings.reply_visibility,
            answers_check=lambda parent, said: self.gather.answer_to_check(
                "mastodon", parent, said
            ),
        )
        if translation is None:
            return
        command = translation.command
        if command is None:
            # Short help, deduplicated by the core like any command.
            command = Command(
                translation_actor(notification),
                _room_of(translation, notification),
                "/help",
                event_key=f"notification:{translation.notification_id}",
            )
        reply = await asyncio.to_thread(self.gather.handle, command)
        raise_if_failed(reply)  # kept and retried; the reply goes when it is handled
        if reply.message is None:
            return  # seen before
        if translation.code is not None and translation.boosted_status is not None:
            if self.on_boost is not None and reply.ok:
                await self.on_boost(translation.code, command.actor.native_id)
            return  # a boost is answered by the count on the announcement, not a reply
        if translation.reply_to is None or not translation.reply_acct:
            return
        message = (
            text_message(
                self.gather.notice(command.room, "mention_help", bot=self.network.bot_acct)
            )
            if (translation.help)
            else reply.message
        )
        wait_for_post = command.text.startswith("/gather")
        task = asyncio.create_task(
            self._reply(translation, message, reply.gathering_code, wait_for_post)
        )
        self._replies.add(task)
        task.add_done_callback(self._replies.discard)

    def _code_for(self, status_id: str) -> str | None:
        code = self.gather.gathering_code_for_post("mastodon", status_id)
        return str(code) if code is not None else None

    async def _reply(
        self, translation: Translation, message: Message, code: str | None, wait: bool
    ) -> None:
        link = await self._link(code, wait) if code else ""
        text = render_text(
            message,
            self.network.max_characters,
            to=translation.reply_acct or "",
            suffix=link,
            language=self.gather.language_of(public_room()),
        )
        for _attempt in range(REPLY_ATTEMPTS):
            outcome = await self.network.post(
                text,
                translation.reply_visibility,
                in_reply_to=translation.reply_to,
                key=f"gather-reply-{translation.notification_id}",
                max_wait=30,
            )
            if isinstance(outcome, Sent):
                return
            if not isinstance(outcome, RetryLater):
                log.warning("mastodon: reply to %s not sent: %s", translation.reply_to, outcome)
                return
            await asyncio.sleep(min(outcome.seconds, 300))
        log.warning("mastodon: gave up replying to %s", translation.reply_to)

    async def _link(self, code: str, wait: bool) -> str:
        deadline = time.monotonic() + (LINK_WAIT if wait else 0)
        while True:
            posts = dict(await asyncio.to_thread(self.gather.open_posts, "mastodon"))
            if code in posts:
                return self.network.status_url(posts[code])
            if self._stopping_at is not None:
                deadline = min(deadline, self._stopping_at + STOPPING_LINK_WAIT)
            if time.monotonic() >= deadline:
                return ""
            await asyncio.sleep(0.2)


def translation_actor(notification: Any) -> Identity:
    return identity_of(notification["account"])


def _room_of(translation: Translation, notification: Any) -> RoomRef:
    status = notification.get("status") or {}
    if status.get("visibility") == "direct":
        account_id = str(notification["account"]["id"])
        return RoomRef("mastodon", f"dm:{account_id}", is_private=True)
    return public_room()
