"""The Telegram network: a PTB Application receiving updates, and the outbox worker sending.

`TelegramBot` is the `adapters.network.Network` for one bot token. It holds its parts and
ties them together; each lives in its own module: receiving.py (polling or webhook),
handling.py (an update to the core and back), replies.py (answers owed), sends.py (the
outbox's sends and their outcomes), translate.py and render.py (pure).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import logging
from collections.abc import Hashable
from typing import Any

from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder, TypeHandler

from adapters.runtime.backoff import Backoff
from adapters.runtime.inbound import Inbound
from adapters.runtime.outbox import OutboxWorker
from adapters.runtime.receiving import receive_alone
from adapters.runtime.startup import bot_key
from adapters.runtime.stopping import Step, stop_in_order
from adapters.telegram.handling import Handling
from adapters.telegram.receiving import Receiver
from adapters.telegram.replies import ANSWER_SECONDS, Replies
from adapters.telegram.sends import NETWORK, TelegramSends, make_limits
from adapters.telegram.settings import TelegramSettings
from core import (
    Delivery,
    Gather,
    Limit,
    Message,
    Outcome,
    Recipient,
    command_menu,
    menu_languages,
)

log = logging.getLogger(__name__)

PROGRESS_CURSOR = "telegram:last_update_at"
LAST_UPDATE_CURSOR = "telegram:last_update_id"
OFFLINE_TOO_LONG = dtm.timedelta(hours=24)
CURRENT_UPDATE_SECONDS = 15.0  # on stop: how long the update in hand may take to finish
WORKER_STOP_SECONDS = 15.0


class TelegramBot:
    """One bot token, served until cancelled. `run()` is the whole life of the bot."""

    name = NETWORK

    def __init__(
        self, gather: Gather, settings: TelegramSettings, token: str, *, secret_token: str = ""
    ) -> None:
        self.gather = gather
        self.settings = settings
        self.app: Application[Any, Any, Any, Any, Any, Any] = (
            ApplicationBuilder()
            .token(token)
            .base_url(settings.base_url)
            .base_file_url(settings.base_file_url)
            .updater(None)
            .build()
        )
        limits = make_limits(
            settings.global_per_second, settings.chat_per_second, settings.group_per_minute
        )
        self.sends = TelegramSends(self.app.bot, is_blocked=self._is_blocked, limits=limits)
        # One budget per limit for every process sending for this bot (on PostgreSQL).
        self.token_key = bot_key(token)
        pacer = gather.pacer(NETWORK, self.token_key)
        self.worker = OutboxWorker(gather, self, pacer=pacer)
        self.replies = Replies(self.app.bot, self.sends, self.worker)
        # Heartbeat and dead letters: a failed update is retried by handling it again.
        self.inbound = Inbound(gather, NETWORK, self._replay)
        self.handling = Handling(
            gather,
            self.app.bot,
            settings,
            self.replies,
            username=lambda: self.username,
            inbound=self.inbound,
        )
        self.receiver = Receiver(
            self.app.bot,
            settings,
            self.process,
            self._note_progress,
            secret_token=secret_token,
            on_connection=self.inbound.connection,
        )
        self.app.add_handler(TypeHandler(Update, self.handling.on_update))
        self.app.add_error_handler(self.handling.on_error)
        self.username = ""
        self._gap_checked = False

    # What tests and the demo look at --------------------------------------------------------

    @property
    def ready(self) -> asyncio.Event:
        """Set once the bot takes updates (polling, or the webhook set)."""
        return self.receiver.ready

    @property
    def webhook_port(self) -> int | None:
        return self.receiver.webhook_port

    @property
    def retry_base(self) -> float:
        """The first wait after a failed start-up or poll (seconds); tests make it short."""
        return self.receiver.retry_base

    @retry_base.setter
    def retry_base(self, seconds: float) -> None:
        self.receiver.retry_base = seconds

    # The network contract (adapters.network.Network) ---------------------------------------

    def limits_for(self, delivery: Delivery) -> list[tuple[Limit, Hashable]]:
        return self.sends.limits_for(delivery)

    async def announce(self, delivery: Delivery) -> Outcome:
        return await self.sends.announce(delivery)

    async def send_to_chat(self, chat_id: str, message: Message) -> Outcome:
        return await self.sends.send_to_chat(chat_id, message)

    async def send_dm(self, recipient: Recipient, message: Message) -> Outcome:
        return await self.sends.send_dm(recipient, message)

    async def run(self) -> None:
        worker: asyncio.Task[None] | None = None
        self.inbound.start()
        try:
            await self._connect()
            worker = asyncio.create_task(self.worker.run(), name="telegram-outbox")
            await self._register_commands()
            # One process receives for the bot; others wait (and send meanwhile).
            await receive_alone(self.gather, NETWORK, self.token_key, self.receiver.receive)
        finally:
            # The answers owed go while the outbox records its sends under way (and hands
            # back the rest); only then does the client close.
            async def outbox_and_answers() -> None:
                self.worker.stop()
                answering = asyncio.ensure_future(self.replies.answer_owed(ANSWER_SECONDS))
                if worker is not None:
                    await self.worker.finish(worker, WORKER_STOP_SECONDS)
                await answering

            await stop_in_order(
                NETWORK,
                [
                    Step("refusing new updates", self.receiver.stop_taking),
                    Step(
                        "finishing the update in hand",
                        self.receiver.finish_current,
                        CURRENT_UPDATE_SECONDS,
                    ),
                    Step("the outbox and the answers owed", outbox_and_answers),
                    Step("saying it no longer receives", self.inbound.stop),
                    Step("closing the client", self._shutdown),
                ],
            )

    # Life -----------------------------------------------------------------------------------

    async def _replay(self, raw: dict[str, Any]) -> None:
        """A dead letter's retry: the update handled again; raises if it fails again."""
        await self.handling.on_update(Update.de_json(raw, self.app.bot), None)  # type: ignore[arg-type]

    async def process(self, update: Update) -> None:
        """Handle one update through the Application (its errors go to `Handling.on_error`)."""
        await self.app.process_update(update)

    async def _connect(self) -> None:
        """getMe until it works: a bad token or a dead network is logged and retried."""
        backoff = Backoff(first=self.retry_base, cap=300.0)
        while True:
            try:
                await self.app.initialize()
                break
            except InvalidToken:
                delay = backoff.next()
                log.error(
                    "telegram: the bot token was rejected (check the env var named by "
                    "token_env; BotFather's /token shows the current one); retrying in %.0fs",
                    delay,
                )
            except (NetworkError, TelegramError) as error:
                delay = backoff.next()
                log.warning("telegram: cannot reach Telegram (%s); retrying in %.0fs", error, delay)
            await asyncio.sleep(delay)
        self.username = self.app.bot.username
        log.info("telegram: connected as @%s", self.username)
        # For the gatherings' web pages: their "join on Telegram" deep link names the bot.
        await asyncio.to_thread(self.gather.pages.remember_address, "telegram", self.username)

    async def _shutdown(self) -> None:
        await self.replies.abandon()  # only what `answer_owed` gave up on
        with contextlib.suppress(Exception):
            await self.app.shutdown()
        with contextlib.suppress(Exception):
            await self.app.bot.shutdown()  # also after a start-up that never got through

    async def _register_commands(self) -> None:
        """setMyCommands in every language of the core's catalogue (a person sees the menu in
        their app's language) and as the default, in the bot's default language; each only when
        it differs (idempotent across restarts)."""
        default = self.gather.language_of(None)
        menus = [("", default), *((language, language) for language in menu_languages())]
        for language_code, language in menus:
            wanted = [BotCommand(name, text) for name, text in command_menu(language)]
            try:
                current = await self.app.bot.get_my_commands(language_code=language_code or None)
                if list(current) != wanted:
                    await self.app.bot.set_my_commands(
                        wanted, language_code=language_code or None
                    )
            except TelegramError as error:
                log.warning(
                    "telegram: could not register the %s command list: %s",
                    language_code or "default",
                    error,
                )

    async def _check_gap(self, first_id: int) -> None:
        """Telegram keeps undelivered updates for 24 h. Only when the bot was away longer AND
        the first update since skips ids (Telegram numbers them one after another) were some
        lost: a quiet day is not an outage."""
        last_at = await asyncio.to_thread(self.gather.cursor, PROGRESS_CURSOR)
        last_id = await asyncio.to_thread(self.gather.cursor, LAST_UPDATE_CURSOR)
        if not last_at or not last_id:
            return
        with contextlib.suppress(ValueError):
            gap = self.gather.now() - dtm.datetime.fromisoformat(last_at)
            missed = first_id - int(last_id) - 1
            if gap > OFFLINE_TOO_LONG and missed > 0:
                log.error(
                    "telegram: the bot was offline for %s (since %s) and %d updates from then "
                    "never arrived (Telegram keeps them for 24 hours): commands and button "
                    "presses were lost",
                    gap,
                    last_at,
                    missed,
                )

    async def _note_progress(self, first_id: int, last_id: int) -> None:
        try:
            if not self._gap_checked:
                self._gap_checked = True
                await self._check_gap(first_id)
            now = self.gather.now().isoformat()
            await asyncio.to_thread(self.gather.set_cursor, PROGRESS_CURSOR, now)
            await asyncio.to_thread(self.gather.set_cursor, LAST_UPDATE_CURSOR, str(last_id))
        except Exception:
            log.exception("telegram: could not record progress")

    async def _is_blocked(self, native_id: str) -> bool:
        return await self.handling.is_blocked(native_id)
