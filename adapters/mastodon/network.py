"""The Mastodon network: posts, edits and DMs for the outbox, and the pieces that listen."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Hashable
from typing import Any

from mastodon import (
    MastodonAPIError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

from adapters.mastodon.budget import Priority
from adapters.mastodon.client import Api, OverBudget, describe, status_code
from adapters.mastodon.intake import Intake
from adapters.mastodon.reconcile import Reconciler
from adapters.mastodon.render import mentioned_account, render_announcement, render_text
from adapters.mastodon.settings import MastodonSettings
from adapters.mastodon.translate import PUBLIC_ROOM, public_room
from adapters.runtime.backoff import Backoff
from adapters.runtime.outbox import OutboxWorker
from adapters.runtime.receiving import receive_alone
from adapters.runtime.recent import Recent
from adapters.runtime.startup import bot_key
from adapters.runtime.stopping import Step, cancelled, stop_in_order
from core import (
    Delivery,
    Failed,
    Gather,
    Limit,
    Message,
    Outcome,
    Recipient,
    RetryLater,
    Sent,
    Unreachable,
)

log = logging.getLogger(__name__)
# The outbox waits this long at most for a request slot before handing the row back.
SEND_WAIT = 5.0
# On stop: how long the notification in hand, the replies owed and the sends under way may
# take to finish (each phase) before the client closes.
STOP_SECONDS = 5.0


class MastodonNetwork:
    name = "mastodon"

    def __init__(self, gather: Gather, settings: MastodonSettings, token: str) -> None:
        self.gather = gather
        self.settings = settings
        self.api = Api(settings, token)
        self.token_key = bot_key(token)
        self.bot_id = ""
        self.bot_acct = ""
        self.bot_username = ""
        self.max_characters = 500
        # Learnt as it goes, and bounded (months of gatherings): each can be asked again.
        self.urls: Recent[str, str] = Recent()  # status id -> public URL, for links in replies
        self.accts: Recent[str, str] = Recent()  # account id -> acct, from notifications
        self._last_edit: Recent[str, float] = Recent()
        self.worker = OutboxWorker(gather, self, concurrency=4)
        self._stopping = False

    # Start-up ---------------------------------------------------------------------------

    async def connect(self) -> None:
        """Who the bot is and how long a status may be; retried with backoff until it works.
        A refused token (401) is said plainly, without the token."""
        backoff = Backoff(first=2.0, cap=self.settings.retry_max_seconds)
        while True:
            try:
                me = await self.api.call(Priority.HIGH, self.api.client.account_verify_credentials)
                instance = await self.api.call(Priority.HIGH, self.api.client.instance_v2)
            except (
                MastodonUnauthorizedError,
                MastodonAPIError,
                MastodonNetworkError,
                MastodonRatelimitError,
                OverBudget,
            ) as error:
                delay = backoff.next()
                if isinstance(error, MastodonUnauthorizedError) or status_code(error) in (401, 403):
                    log.error(
                        "mastodon: %s refused the access token from $%s (%s). Create a new "
                        "token (see docs/mastodon.md); retrying in %.0fs",
                        self.settings.api_base_url,
                        self.settings.token_env,
                        describe(error),
                        delay,
                    )
                else:
                    log.warning(
                        "mastodon: cannot reach %s (%s); retrying in %.0fs",
                        self.settings.api_base_url,
                        describe(error),
                        delay,
                    )
                await asyncio.sleep(delay)
                continue
            self.bot_id = str(me["id"])
            self.bot_acct = str(me["acct"])
            self.bot_username = str(me["username"])
            self.max_characters = _max_characters(instance)
            log.info(
                "mastodon: signed in as @%s on %s (statuses up to %d characters)",
                self.bot_acct,
                self.settings.api_base_url,
                self.max_characters,
            )
            return

    async def run(self) -> None:
        await self.connect()
        intake = Intake(self)
        reconciler = Reconciler(self, intake.first_catch_up)
        intake.on_boost = reconciler.note_boost
        worker = asyncio.create_task(self.worker.run(), name="mastodon-outbox")

        async def listen() -> None:
            await asyncio.gather(intake.run(), reconciler.run())

        # One process listens for the bot (a second stream would hand it every notification
        # twice); the others wait, and send meanwhile.
        listening = [
            asyncio.create_task(
                receive_alone(self.gather, self.name, self.token_key, listen),
                name="mastodon-intake",
            ),
            asyncio.create_task(intake.inbound.run(), name="mastodon-inbound"),
        ]
        try:
            done, _pending = await asyncio.wait(
                [worker, *listening], return_when=asyncio.FIRST_EXCEPTION
            )
            for task in done:
                task.result()
        finally:
            # Finishing what was taken (the notification or reconciliation step in hand, then
            # the replies owed) happens while the outbox still sends: a reply to /gather links
            # the announcement.
            async def finish_taken() -> None:
                await asyncio.gather(intake.finish(STOP_SECONDS), reconciler.finish(STOP_SECONDS))

            async def close() -> None:
                await intake.close()
                await self.close()

            await stop_in_order(
                "mastodon",
                [
                    Step("taking no more notifications", lambda: cancelled(listening)),
                    Step("finishing what was taken", finish_taken),
                    Step("the outbox", lambda: self.worker.finish(worker, STOP_SECONDS)),
                    Step("closing the client", close),
                ],
            )

    # Outbound ---------------------------------------------------------------------------

    @property
    def language(self) -> str:
        """The language of the Mastodon community: the words Mastodon adds speak it."""
        return self.gather.language_of(public_room())

    def status_url(self, status_id: str) -> str:
        return (
            self.urls.get(status_id) or f"{self.settings.api_base_url}/@{self.bot_acct}/{status_id}"
        )

    def limits_for(self, delivery: Delivery) -> list[tuple[Limit, Hashable]]:
        # None: the request budget (budget.py) paces every call, and a RetryLater from edit
        # pacing must not pause the other sends (the worker pauses a limit's keys).
        return []

    async def announce(self, delivery: Delivery) -> Outcome:
        assert delivery.chat_id is not None
        if delivery.message_id is None:
            return await self.post_announcement(delivery.chat_id, delivery.message)
        return await self.edit_announcement(delivery.chat_id, delivery.message_id, delivery.message)

    async def post_announcement(self, chat_id: str, message: Message) -> Outcome:
        if chat_id != PUBLIC_ROOM:
            return Failed(f"Mastodon has no room {chat_id!r}: use mastodon:{PUBLIC_ROOM}")
        text = render_announcement(message, self.max_characters, self.language)
        return await self.post(text, self.settings.visibility, key=_key("announce", chat_id, text))

    async def edit_announcement(self, chat_id: str, message_id: str, message: Message) -> Outcome:
        since = time.monotonic() - self._last_edit.get(message_id, -1e9)
        if since < self.settings.edit_interval_seconds:
            # Paced: the core coalesces whatever else changes meanwhile into this one edit.
            return RetryLater(self.settings.edit_interval_seconds - since, "pacing edits")
        text = render_announcement(message, self.max_characters, self.language)
        try:
            await self.api.call(
                Priority.HIGH, self.api.client.status_update, message_id, text, max_wait=SEND_WAIT
            )
        except MastodonNotFoundError:
            return Failed("the announcement was deleted", message_gone=True)
        except Exception as error:
            return self._outcome(error)
        self._last_edit[message_id] = time.monotonic()
        return Sent(message_id)

    async def send_to_chat(self, chat_id: str, message: Message) -> Outcome:
        if chat_id == PUBLIC_ROOM:
            accts = await self.mentioned_accts(message)
            text = render_text(message, self.max_characters, accts=accts, language=self.language)
            return await self.post(text, self.settings.visibility, key=_key("room", chat_id, text))
        if chat_id.startswith("dm:"):
            account_id = chat_id.removeprefix("dm:")
            acct = await self.acct_of(account_id, "")
            if not acct:
                return Unreachable("unknown account")
            text = render_text(message, self.max_characters, to=acct, language=self.language)
            return await self.post(text, "direct", key=_key("dm", account_id, text))
        return Failed(f"Mastodon has no room {chat_id!r}")

    async def send_dm(self, recipient: Recipient, message: Message) -> Outcome:
        acct = await self.acct_of(recipient.native_id, recipient.handle)
        if not acct:
            return Unreachable("no Mastodon account to address")
        text = render_text(message, self.max_characters, to=acct, language=self.language)
        return await self.post(text, "direct", key=_key("dm", recipient.native_id, text))

    async def post(
        self,
        text: str,
        visibility: str,
        *,
        key: str,
        in_reply_to: str | None = None,
        max_wait: float = SEND_WAIT,
    ) -> Outcome:
        """A new status. The idempotency key makes a retry after a lost answer harmless, so
        network trouble is RetryLater rather than Uncertain."""
        try:
            status = await self.api.call(
                Priority.HIGH,
                self.api.client.status_post,
                text,
                visibility=visibility,
                in_reply_to_id=in_reply_to,
                idempotency_key=key,
                max_wait=max_wait,
                post=True,
            )
        except Exception as error:
            return self._outcome(error)
        status_id = str(status["id"])
        if status.get("url"):
            self.urls[status_id] = str(status["url"])
        return Sent(status_id, url=str(status.get("url") or "") or None)

    async def mentioned_accts(self, message: Message) -> dict[str, str]:
        """The acct of each person a mention span names (a reminder in the room for someone
        who could not be messaged directly), so that exactly they are notified."""
        ids = {
            account_id
            for paragraph in message.paragraphs
            for span in paragraph
            if (account_id := mentioned_account(span)) is not None
        }
        return {account_id: await self.acct_of(account_id, "") for account_id in sorted(ids)}

    async def acct_of(self, account_id: str, handle: str) -> str:
        if handle:
            return handle
        if account_id in self.accts:
            return self.accts[account_id]
        try:
            account = await self.api.call(
                Priority.HIGH, self.api.client.account, account_id, max_wait=SEND_WAIT
            )
        except Exception as error:
            log.warning("mastodon: cannot look up account %s: %s", account_id, describe(error))
            return ""
        self.accts[account_id] = str(account["acct"])
        return self.accts[account_id]

    def _outcome(self, error: BaseException) -> Outcome:
        if isinstance(error, OverBudget):
            return RetryLater(error.wait, "request budget")
        if isinstance(error, MastodonRatelimitError) or status_code(error) == 429:
            return RetryLater(max(1.0, self.api.requests.wait_needed(Priority.HIGH)), "429")
        if isinstance(error, MastodonNetworkError | MastodonServerError):
            return RetryLater(10.0, describe(error), outage=True)
        if isinstance(error, MastodonUnauthorizedError):
            log.error("mastodon: the access token was refused while sending")
            return RetryLater(60.0, describe(error))
        if isinstance(error, MastodonAPIError):
            return Failed(f"Mastodon refused it: {describe(error)} {error.args[-1]!s:.200}")
        log.exception("mastodon: unexpected error while sending", exc_info=error)
        return Failed(describe(error))

    async def close(self) -> None:
        if not self._stopping:
            self._stopping = True
            self.api.close()


def _key(kind: str, target: str, text: str) -> str:
    return f"gather-{kind}-" + hashlib.sha256(f"{target}\n{text}".encode()).hexdigest()[:40]


def _max_characters(instance: Any) -> int:
    try:
        value = int(instance["configuration"]["statuses"]["max_characters"])
    except (KeyError, TypeError, ValueError):
        return 500
    return max(100, value)
