"""The running bot: PTB Application wiring, long polling or webhook, and the outbox worker.

Updates are confirmed to Telegram only after they are handled: the poll loop asks for the next
offset once a batch is through, and the webhook answers 200 only after handling. With the
core's deduplication by update id, a crash or restart re-handles nothing and loses nothing.

A second delivery is silent, so a handled update must be answered by this process: on stop,
the answers owed go out before the client closes. Replies still waiting for their turn under
the chat's rate limit (a burst of commands in a group) go together, one message per chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import hmac
import json
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import replace
from typing import Any
from urllib.parse import urlparse

from aiohttp import web
from telegram import BotCommand, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from adapters.telegram import translate
from adapters.telegram.network import NO_PREVIEW, TelegramNetwork, make_limits, retry_seconds
from adapters.telegram.pacing import ANSWER_SECONDS, Owed, PacedWorker, together
from adapters.telegram.render import render
from adapters.telegram.settings import TelegramSettings
from core.app import Gather
from core.contract.commands import Command
from core.delivery.pacing import Limit

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
ANSWER_LIMIT = 200  # answerCallbackQuery text
STALE_BUTTON = "That button is out of date or not one of mine, so nothing changed. Send /list to see what's on."
COMMANDS = [
    ("gather", "Announce a gathering: what, where, when, how many"),
    ("join", "Count me in (code, +N for friends)"),
    ("leave", "Drop out of a gathering"),
    ("list", "What's coming up here"),
    ("who", "Details and headcount of a gathering"),
    ("edit", "Change a gathering (organisers and admins)"),
    ("cancel", "Cancel a gathering (organisers and admins)"),
    ("link", "Count your accounts on other networks as one person"),
    ("settings", "Reminders and name display"),
    ("forget", "Erase everything Gather knows about you"),
    ("help", "What I can do"),
]
PROGRESS_CURSOR = "telegram:last_update_at"
BLOCKED_CURSOR = "telegram:blocked:"
OFFLINE_TOO_LONG = dtm.timedelta(hours=24)


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class TelegramBot:
    """One bot token, served until cancelled. `run()` is the whole life of the bot."""

    def __init__(
        self,
        gather: Gather,
        settings: TelegramSettings,
        token: str,
        *,
        secret_token: str = "",
        retry_base: float = 1.0,
    ) -> None:
        self.gather = gather
        self.settings = settings
        self.secret_token = secret_token
        self.retry_base = retry_base
        self.app: Application[Any, Any, Any, Any, Any, Any] = (
            ApplicationBuilder()
            .token(token)
            .base_url(settings.base_url)
            .base_file_url(settings.base_file_url)
            .updater(None)
            .build()
        )
        self.app.add_handler(TypeHandler(Update, self._on_update))
        self.app.add_error_handler(self._on_error)
        limits = make_limits(
            settings.global_per_second, settings.chat_per_second, settings.group_per_minute
        )
        self.network = TelegramNetwork(self.app.bot, is_blocked=self._is_blocked, limits=limits)
        self.worker = PacedWorker(gather, self.network, limits=limits)
        self.username = ""
        self.webhook_port: int | None = None
        self.ready = asyncio.Event()
        self._admins: dict[tuple[int, int], tuple[float, bool]] = {}
        self._blocked: dict[str, bool] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._owed: dict[Owed, None] = {}  # in order
        self._offset = 0
        self._runner: web.AppRunner | None = None
        self._current: asyncio.Future[None] | None = None

    # Life -------------------------------------------------------------------------------

    async def run(self) -> None:
        worker: asyncio.Task[None] | None = None
        try:
            await self._connect()
            worker = asyncio.create_task(self.worker.run(), name="telegram-outbox")
            await self._register_commands()
            await self._check_gap()
            if self.settings.mode == "webhook":
                await self._serve_webhook()
            else:
                await self._poll()
        finally:
            # A graceful stop: no more updates; the one being handled finishes; then the
            # answers owed go while the outbox records its sends under way (and hands back the
            # rest); only then does the client close.
            await self._stop_webhook()
            if self._current is not None and not self._current.done():
                await asyncio.wait([self._current], timeout=15)
            self.worker.stop()
            answering = asyncio.ensure_future(self._answer_owed(ANSWER_SECONDS))
            if worker is not None:
                await self.worker.finish(worker)
            await answering
            await self._shutdown()

    async def _connect(self) -> None:
        """getMe until it works: a bad token or a dead network is logged and retried."""
        delay = self.retry_base
        while True:
            try:
                await self.app.initialize()
                break
            except InvalidToken:
                log.error(
                    "telegram: the bot token was rejected (check the env var named by "
                    "token_env; BotFather's /token shows the current one); retrying in %.0fs",
                    delay,
                )
            except (NetworkError, TelegramError) as error:
                log.warning("telegram: cannot reach Telegram (%s); retrying in %.0fs", error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 300.0)
        self.username = self.app.bot.username
        log.info("telegram: connected as @%s", self.username)
        # For the gatherings' web pages: their "join on Telegram" deep link names the bot.
        await asyncio.to_thread(self.gather.remember_address, "telegram", self.username)

    async def _stop_webhook(self) -> None:
        """Refuse new updates (Telegram keeps them); the requests in hand are handled first."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def _shutdown(self) -> None:
        tasks = list(self._tasks)  # only what `_answer_owed` gave up on
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            await self.app.shutdown()
        with contextlib.suppress(Exception):
            await self.app.bot.shutdown()  # also after a start-up that never got through

    async def _register_commands(self) -> None:
        """setMyCommands, only when the list differs (idempotent across restarts)."""
        wanted = [BotCommand(name, text) for name, text in COMMANDS]
        try:
            current = await self.app.bot.get_my_commands()
            if list(current) != wanted:
                await self.app.bot.set_my_commands(wanted)
        except TelegramError as error:
            log.warning("telegram: could not register the command list: %s", error)

    async def _check_gap(self) -> None:
        """Telegram keeps undelivered updates for 24 h: after a longer outage some are lost."""
        last = await asyncio.to_thread(self.gather.cursor, PROGRESS_CURSOR)
        if not last:
            return
        with contextlib.suppress(ValueError):
            gap = self.gather.clock.now() - dtm.datetime.fromisoformat(last)
            if gap > OFFLINE_TOO_LONG:
                log.error(
                    "telegram: the bot was offline for %s (since %s); Telegram keeps updates "
                    "for 24 hours, so commands and button presses from then may be lost",
                    gap,
                    last,
                )

    # Receiving: long polling ----------------------------------------------------------

    async def _poll(self) -> None:
        bot = self.app.bot
        with contextlib.suppress(TelegramError):
            await bot.delete_webhook(drop_pending_updates=False)
        self.ready.set()
        delay = self.retry_base
        while True:
            try:
                updates = await bot.get_updates(
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
                log.error("telegram: another instance is polling this bot? %s", error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
                continue
            except (InvalidToken, NetworkError, TelegramError) as error:
                log.warning("telegram: getUpdates failed (%s); retrying in %.0fs", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
                continue
            delay = self.retry_base
            for update in updates:
                # Shielded: cancelling the bot lets this update finish (see run's finally).
                self._current = asyncio.ensure_future(self.process(update))
                await asyncio.shield(self._current)
                # Confirmed by the next getUpdates; a re-delivered old id never moves it back.
                self._offset = max(self._offset, update.update_id + 1)
            if updates:
                await self._note_progress()

    async def _note_progress(self) -> None:
        try:
            now = self.gather.clock.now().isoformat()
            await asyncio.to_thread(self.gather.set_cursor, PROGRESS_CURSOR, now)
        except Exception:
            log.exception("telegram: could not record progress")

    async def process(self, update: Update) -> None:
        """Handle one update through the Application (its errors go to `_on_error`)."""
        await self.app.process_update(update)

    # Receiving: webhook ---------------------------------------------------------------

    async def _serve_webhook(self) -> None:
        if not self.secret_token:
            raise ValueError("[telegram] webhook mode needs a secret token (secret_token_env)")
        path = urlparse(self.settings.webhook_url).path or "/"
        server = web.Application(client_max_size=1024 * 1024)
        server.router.add_post(path, self._webhook)
        self._runner = web.AppRunner(server, access_log=None, shutdown_timeout=15.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.listen, self.settings.port)
        await site.start()
        self.webhook_port = self._runner.addresses[0][1]
        delay = self.retry_base
        while True:
            try:
                await self.app.bot.set_webhook(
                    self.settings.webhook_url,
                    secret_token=self.secret_token,
                    allowed_updates=ALLOWED_UPDATES,
                    drop_pending_updates=False,
                    max_connections=10,
                )
                break
            except TelegramError as error:
                log.warning("telegram: setWebhook failed (%s); retrying in %.0fs", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 300.0)
        log.info(
            "telegram: webhook set; listening on %s:%s", self.settings.listen, self.webhook_port
        )
        self.ready.set()
        await asyncio.Event().wait()

    async def _webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), self.secret_token.encode()):
            log.warning("telegram: webhook call with a missing or wrong secret token refused")
            return web.Response(status=403)
        try:
            data = json.loads(await request.text())
            update = Update.de_json(data, self.app.bot)
        except (ValueError, TypeError, KeyError):
            return web.Response(status=400)
        # Handled before the 200: if we die first, Telegram delivers it again (deduplicated).
        await self.process(update)
        await self._note_progress()
        return web.Response(status=200)

    # Handling -------------------------------------------------------------------------

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram: handling an update failed", exc_info=context.error)

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        inbound = translate.translate(update, self.username)
        match inbound:
            case Command():
                await self._on_command(update, inbound)
            case translate.Press():
                await self._on_press(inbound)
            case translate.Moved(old_chat_id=old, new_chat_id=new):
                moved = await asyncio.to_thread(self.gather.move_room, "telegram", old, new)
                if moved:
                    log.info("telegram: chat %s became %s; its gatherings moved with it", old, new)
            case translate.Reachability(user_id=user_id, blocked=blocked):
                await self._set_blocked(user_id, blocked)

    async def _on_command(self, update: Update, command: Command) -> None:
        if command.room.is_private:
            await self._set_blocked(command.actor.native_id, False)
        if translate.needs_admin_check(command):
            admin = await self._is_admin(int(command.room.chat_id), command.actor.native_id)
            command = replace(command, actor_is_admin=admin)
        reply = await asyncio.to_thread(self.gather.handle, command)
        if reply.message is None:
            return  # a duplicate delivery: it was answered the first time
        message = update.message
        reply_to = message.message_id if message is not None else None
        owed = Owed(int(command.room.chat_id), reply.message, reply_to, command.actor)
        self._owed[owed] = None
        self._spawn(self._say(owed))

    async def _on_press(self, press: translate.Press) -> None:
        if press.command is None:
            await self._answer(press.query_id, STALE_BUTTON, alert=True)
            return
        reply = await asyncio.to_thread(self.gather.handle, press.command)
        if reply.message is None:
            return
        text = shorten(reply.message.plain(), ANSWER_LIMIT)
        url = None
        word = translate.command_word(press.command.text)
        if reply.ok and word in ("join", "guest") and reply.dm_status != "ok":
            code = reply.gathering_code or press.command.text.split()[-1]
            url = f"https://t.me/{self.username}?start=join-{code}"
        self._spawn(self._answer(press.query_id, text, alert=not reply.ok, url=url))

    async def _answer(
        self, query_id: str, text: str, *, alert: bool = False, url: str | None = None
    ) -> None:
        bot = self.app.bot
        try:
            await bot.answer_callback_query(query_id, text=text, show_alert=alert, url=url)
        except BadRequest as error:
            if url is not None and "query is too old" not in str(error).lower():
                # Some clients refuse the URL: say it in words instead.
                fallback = shorten(f"{text} To get reminders, open {url}", ANSWER_LIMIT)
                with contextlib.suppress(TelegramError):
                    await bot.answer_callback_query(query_id, text=fallback, show_alert=True)
            else:
                log.info("telegram: could not answer a button press: %s", error)
        except TelegramError as error:
            log.info("telegram: could not answer a button press: %s", error)

    async def _say(self, owed: Owed) -> None:
        """Answer in the chat where the command came, paced with the outbox's own sends. A
        reply still waiting for its turn when the bot stops stays owed (`_answer_owed`)."""
        if await self._send(owed, self.worker.turn):
            self._owed.pop(owed, None)

    async def _send(
        self, owed: Owed, turn: Callable[[list[tuple[Limit, Hashable]]], Awaitable[bool]]
    ) -> bool:
        """True when done with (sent, or refused for good); False when `turn` said no."""
        text = render(owed.message)
        chat_id, reply_to = owed.chat_id, owed.reply_to
        for _attempt in range(4):
            subjects = self.network.subjects(str(chat_id), dm=chat_id > 0)
            if not await turn(subjects):
                return False
            try:
                await self.app.bot.send_message(
                    chat_id,
                    text,
                    parse_mode=ParseMode.HTML,
                    reply_parameters=(
                        ReplyParameters(reply_to, allow_sending_without_reply=True)
                        if reply_to
                        else None
                    ),
                    link_preview_options=NO_PREVIEW,
                )
                return True
            except RetryAfter as error:
                until = time.monotonic() + retry_seconds(error.retry_after)
                for _limit, key in subjects:
                    self.worker.pacer.pause(key, until)
            except ChatMigrated as error:
                chat_id, reply_to = int(error.new_chat_id), None
                owed.chat_id, owed.reply_to = chat_id, None
            except (Forbidden, BadRequest, TimedOut) as error:
                log.info("telegram: could not reply in %s: %s", chat_id, error)
                return True
            except NetworkError as error:
                log.info("telegram: reply to %s failed (%s); trying again", chat_id, error)
                await asyncio.sleep(2)
        log.warning("telegram: gave up replying in %s", chat_id)
        return True

    async def _answer_owed(self, timeout: float) -> None:
        """On stop (the worker halted): the answers on their way finish (callback answers,
        replies on the wire); the replies that were waiting for their turn give it up and go
        together, one message per chat, naming each person. After `timeout`, whatever is still
        unsent is given up (and logged)."""
        deadline = time.monotonic() + timeout
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout)
        if not self._tasks:  # (otherwise out of time, and some may still be on the wire)
            chats: defaultdict[int, list[Owed]] = defaultdict(list)
            for owed in self._owed:
                chats[owed.chat_id].append(owed)
            for chat_id, replies in chats.items():
                if len(replies) == 1:  # as it would have gone
                    self._spawn(self._say_together(replies[0], replies))
                    continue
                for message, part in together(replies):
                    combined = Owed(chat_id, message, None, part[0].actor)
                    self._spawn(self._say_together(combined, part))
        while self._tasks and (left := deadline - time.monotonic()) > 0:
            await asyncio.wait(list(self._tasks), timeout=left)
        if self._owed or self._tasks:
            log.warning(
                "telegram: stopping with %d replies owed and %d sends unfinished",
                len(self._owed),
                len(self._tasks),
            )

    async def _say_together(self, together: Owed, owed: list[Owed]) -> None:
        if await self._send(together, self._paced):
            for each in owed:
                self._owed.pop(each, None)

    async def _paced(self, subjects: list[tuple[Limit, Hashable]]) -> bool:
        """Wait for the turn, stopping or not (the last answers before the client closes)."""
        while (wait := self.worker.pacer.reserve(time.monotonic(), subjects)) > 0:
            await asyncio.sleep(wait)
        return True

    def _spawn(self, work: Any) -> None:
        task: asyncio.Task[None] = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # Who may do what -------------------------------------------------------------------

    async def _is_admin(self, chat_id: int, native_id: str) -> bool:
        if not native_id.isdigit():
            return False
        key = (chat_id, int(native_id))
        cached = self._admins.get(key)
        now = time.monotonic()
        if cached is not None and cached[0] > now:
            return cached[1]
        try:
            member = await self.app.bot.get_chat_member(chat_id, int(native_id))
            admin = member.status in ("creator", "administrator")
        except TelegramError as error:
            log.info("telegram: could not check admins of %s: %s", chat_id, error)
            return False
        self._admins[key] = (now + self.settings.admin_cache_seconds, admin)
        return admin

    async def _is_blocked(self, native_id: str) -> bool:
        if native_id not in self._blocked:
            value = await asyncio.to_thread(self.gather.cursor, BLOCKED_CURSOR + native_id)
            self._blocked[native_id] = value == "1"
        return self._blocked[native_id]

    async def _set_blocked(self, native_id: str, blocked: bool) -> None:
        if not blocked and not await self._is_blocked(native_id):
            return
        self._blocked[native_id] = blocked
        await asyncio.to_thread(
            self.gather.set_cursor, BLOCKED_CURSOR + native_id, "1" if blocked else "0"
        )
