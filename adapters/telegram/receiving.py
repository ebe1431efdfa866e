"""Updates in: long polling or a webhook, each update confirmed only after it was handled.

The poll loop asks for the next offset once a batch is through, and the webhook answers 200
only after handling. With the core's deduplication by update id, a crash or restart
re-handles nothing and loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlparse

from aiohttp import web
from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut

from adapters.runtime.backoff import Backoff
from adapters.telegram.sends import retry_seconds
from adapters.telegram.settings import TelegramSettings

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
# A whole update, as Telegram sends it: anything bigger is not from Telegram.
MAX_UPDATE_BYTES = 1024 * 1024


class Receiver:
    """Takes updates from Telegram and hands each to `process`, then `progressed` (with the
    first and last update id of what was handled)."""

    def __init__(
        self,
        bot: Bot,
        settings: TelegramSettings,
        process: Callable[[Update], Awaitable[None]],
        progressed: Callable[[int, int], Awaitable[None]],
        *,
        secret_token: str = "",
        on_connection: Callable[[bool], None] = lambda _connected: None,
    ) -> None:
        self.bot = bot
        self.settings = settings
        self.process = process
        self.progressed = progressed
        self.secret_token = secret_token
        self.on_connection = on_connection  # told whether updates are coming through
        self.retry_base = 1.0
        self.ready = asyncio.Event()
        self.webhook_port: int | None = None
        self.current: asyncio.Future[None] | None = None  # the update being handled
        self._offset = 0
        self._runner: web.AppRunner | None = None

    async def receive(self) -> None:
        """Until cancelled, by the configured mode."""
        if self.settings.mode == "webhook":
            await self._serve_webhook()
        else:
            await self._poll()

    async def stop_taking(self) -> None:
        """Refuse new updates (Telegram keeps them); the one in hand is finished
        (`finish_current`)."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def finish_current(self) -> None:
        if self.current is not None and not self.current.done():
            await asyncio.wait([self.current])

    # Long polling -----------------------------------------------------------------------

    async def _poll(self) -> None:
        with contextlib.suppress(TelegramError):
            await self.bot.delete_webhook(drop_pending_updates=False)
        self.ready.set()
        backoff = Backoff(first=self.retry_base, cap=60.0)
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=self._offset,
                    timeout=dtm.timedelta(seconds=self.settings.poll_timeout),
                    allowed_updates=ALLOWED_UPDATES,
                )
            except TimedOut:
                continue
            except RetryAfter as error:
                await asyncio.sleep(retry_seconds(error.retry_after))
                continue
            except Conflict as error:
                self.on_connection(False)
                log.error("telegram: another instance is polling this bot? %s", error)
                await asyncio.sleep(backoff.next())
                continue
            except (InvalidToken, NetworkError, TelegramError) as error:
                self.on_connection(False)
                delay = backoff.next()
                log.warning("telegram: getUpdates failed (%s); retrying in %.0fs", error, delay)
                await asyncio.sleep(delay)
                continue
            backoff.reset()
            self.on_connection(True)
            for update in updates:
                # Shielded: cancelling the bot lets this update finish (see TelegramBot.run).
                self.current = asyncio.ensure_future(self.process(update))
                await asyncio.shield(self.current)
                # Confirmed by the next getUpdates; a re-delivered old id never moves it back.
                self._offset = max(self._offset, update.update_id + 1)
            if updates:
                await self.progressed(updates[0].update_id, updates[-1].update_id)

    # Webhook ----------------------------------------------------------------------------

    async def _serve_webhook(self) -> None:
        if not self.secret_token:
            raise ValueError("[telegram] webhook mode needs a secret token (secret_token_env)")
        path = urlparse(self.settings.webhook_url).path or "/"
        server = web.Application(client_max_size=MAX_UPDATE_BYTES)
        server.router.add_post(path, self._webhook)
        self._runner = web.AppRunner(server, access_log=None, shutdown_timeout=15.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.listen, self.settings.port)
        await site.start()
        self.webhook_port = self._runner.addresses[0][1]
        backoff = Backoff(first=self.retry_base, cap=300.0)
        while True:
            try:
                await self.bot.set_webhook(
                    self.settings.webhook_url,
                    secret_token=self.secret_token,
                    allowed_updates=ALLOWED_UPDATES,
                    drop_pending_updates=False,
                    max_connections=10,
                )
                break
            except TelegramError as error:
                delay = backoff.next()
                log.warning("telegram: setWebhook failed (%s); retrying in %.0fs", error, delay)
                await asyncio.sleep(delay)
        log.info(
            "telegram: webhook set; listening on %s:%s", self.settings.listen, self.webhook_port
        )
        self.on_connection(True)
        self.ready.set()
        await asyncio.Event().wait()

    async def _webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), self.secret_token.encode()):
            log.warning("telegram: webhook call with a missing or wrong secret token refused")
            return web.Response(status=403)
        try:
            data = json.loads(await request.text())
            update = Update.de_json(data, self.bot)
        except (ValueError, TypeError, KeyError):
            return web.Response(status=400)
        # Handled before the 200: if we die first, Telegram delivers it again (deduplicated).
        await self.process(update)
        await self.progressed(update.update_id, update.update_id)
        return web.Response(status=200)
