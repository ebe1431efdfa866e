"""A fake Telegram Bot API server for tests: real HTTP on 127.0.0.1, real wire format.

    async with FakeTelegram() as tg:
        bot = telegram.Bot(tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url)
        alice = tg.create_user("Alice")
        group = tg.create_group("Picnic", members=[alice])
        tg.user_sends(group, alice, "/gather@GatherTestBot hello")
        ...

``FakeTelegram`` serves a ``TelegramWorld`` (telegram_world.py: users, chats, messages, the
update queue) through the Bot API methods of telegram_messages.py, telegram_chats.py and
telegram_updates.py; this module routes requests, injects faults and delays, and is the API
tests use. Text parsing and flood limits are in telegram_wire.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .server import CannedReply, FakeServer, Faults
from .telegram_chats import ChatMethods
from .telegram_messages import SEND_OTHER, MessageMethods
from .telegram_models import (
    ApiError,
    CallbackAnswer,
    FakeChat,
    FakeMessage,
    FakeUser,
    FloodError,
    RecordedRequest,
)
from .telegram_params import ApiMethod, read_params
from .telegram_updates import UpdateMethods
from .telegram_wire import METHODS_BY_LOWER, FloodControl, RateLimits
from .telegram_world import TelegramWorld

__all__ = ["ApiError", "FakeChat", "FakeMessage", "FakeTelegram", "FakeUser", "RateLimits"]

DEFAULT_DESCRIPTIONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
                        404: "Not Found", 409: "Conflict", 500: "Internal Server Error"}
NGINX_502 = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>"
             "502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n"
             "</html>\r\n")


@dataclass
class Delay:
    seconds: float
    after_processing: bool


class FakeTelegram(FakeServer[RecordedRequest]):
    """Fake Bot API. ``rate_limits``: ``True`` (Telegram-like defaults), a ``RateLimits``, or
    ``None``/``False`` to disable flood control."""

    name = "fake Telegram"
    cancel_handlers_on_disconnect = True

    def __init__(self, token: str = "123456789:AAHfakeTokenForGatherTests_0123456789",
                 *, bot_username: str = "GatherTestBot", bot_first_name: str = "Gather",
                 rate_limits: RateLimits | bool | None = True, host: str = "127.0.0.1",
                 port: int = 0, callback_query_timeout: float | None = None) -> None:
        super().__init__(host, port)
        self.token = token
        self.world = TelegramWorld(token, bot_username, bot_first_name, self.notify)
        self.status_counts: Counter[int] = Counter()
        self.rate_limited_count = 0  # 429s produced by flood control (not by fail_next)
        self.internal_errors: list[BaseException] = []  # bugs in the fake itself
        self.faults = Faults[CannedReply]()
        self.delays = Faults[Delay]()
        self._closing = asyncio.Event()
        self.message_methods = MessageMethods(
            self.world, lambda: len(self.requests), flood=None,
            callback_query_timeout=callback_query_timeout)
        self.chat_methods = ChatMethods(self.world)
        self.update_methods = UpdateMethods(
            self.world, notify=self.notify, changed=self.changed, closing=self._closing.is_set)
        self._methods: dict[str, ApiMethod] = {
            **self.message_methods.methods(), **self.chat_methods.methods(),
            **self.update_methods.methods()}
        self.set_rate_limits(RateLimits() if rate_limits is True else rate_limits or None)

    # --- lifecycle ----------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    def application(self) -> web.Application:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._closing.clear()
        return app

    async def close_connections(self) -> None:
        self._closing.set()  # ends long polls and delays
        self.notify()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
        if self.internal_errors and exc[0] is None:
            raise AssertionError(f"FakeTelegram crashed: {self.internal_errors!r}")

    async def go_offline(self) -> None:
        """Network down: the port refuses connections (state is kept) until go_online()."""
        await self.stop()

    async def go_online(self) -> None:
        await self.start()

    @contextlib.asynccontextmanager
    async def offline(self) -> AsyncIterator[None]:
        await self.go_offline()
        try:
            yield
        finally:
            await self.go_online()

    # --- faults -------------------------------------------------------------------------------
    def set_rate_limits(self, limits: RateLimits | None) -> None:
        self.rate_limits = limits
        self.message_methods.flood = FloodControl(limits) if limits else None

    def fail_next(self, method: str = "*", times: int = 1, error_code: int = 429,
                  description: str | None = None, parameters: dict[str, Any] | None = None,
                  *, body: str | None = None) -> None:
        """The next ``times`` calls of ``method`` ("*" = any) fail before doing anything.

        429 defaults to ``retry_after=3``; 5xx without a description return nginx's HTML page,
        as Telegram's front end does; ``body`` sends raw text instead of JSON.
        """
        if error_code == 429 and parameters is None:
            parameters = {"retry_after": 3}
        if error_code == 429 and description is None:
            description = f"Too Many Requests: retry after {(parameters or {})['retry_after']}"
        if body is None and error_code >= 500 and description is None:
            body = NGINX_502 if error_code == 502 else f"{error_code} error"
        answer: dict[str, Any] | str = body if body is not None else ApiError(
            error_code, description or DEFAULT_DESCRIPTIONS.get(error_code, "Error"),
            parameters).body()
        self.faults.add(method, CannedReply(error_code, answer), times=times)

    def slow_down(self, method: str = "*", seconds: float = 5.0, times: int = 1, *,
                  after_processing: bool = True) -> None:
        """Delay replies. ``after_processing=True``: the call takes effect (message stored)
        and the reply comes late: a client read timeout then hides a delivered message."""
        self.delays.add(method, Delay(seconds, after_processing), times=times)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    # --- HTTP ---------------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        m = re.fullmatch(r"/bot([^/]*)/([^/]+)", request.path)
        if not m:
            return self._reply(404, ApiError(404, "Not Found").body())
        token, raw_method = m.groups()
        method = METHODS_BY_LOWER.get(raw_method.lower(), raw_method)
        params, files = await read_params(request)
        rec = RecordedRequest(method, params, time.time(), token, files)
        self.requests.append(rec)
        try:
            if ":" not in token:
                raise ApiError(404, "Not Found")
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            if raw_method.lower() not in METHODS_BY_LOWER:
                raise ApiError(404, "Not Found")
            handler = self._methods.get(method)
            fault = self.faults.take(method)
            if fault is not None:
                return self._reply(fault.status, fault.body, rec)
            delay = self.delays.take(method)
            if delay is not None and not delay.after_processing:
                await self._sleep(delay.seconds)
            if handler is not None:
                result = await handler(params)
            elif method in SEND_OTHER:
                result = await self.message_methods.send_other(method, params, files)
            else:
                result = True
            body: dict[str, Any] = {"ok": True, "result": result}
            status = 200
        except ApiError as err:
            status, body, delay = err.code, err.body(), None
            if isinstance(err, FloodError):
                self.rate_limited_count += 1
        except Exception as exc:  # a bug in the fake: surface it in the test
            self.internal_errors.append(exc)
            status, body, delay = 500, ApiError(500, f"Internal Server Error: {exc!r}").body(), None
        if delay is not None and delay.after_processing:
            self.notify()
            await self._sleep(delay.seconds)
        return self._reply(status, body, rec)

    def _reply(self, status: int, body: dict[str, Any] | str,
               rec: RecordedRequest | None = None) -> web.Response:
        self.status_counts[status] += 1
        if rec is not None:
            rec.status, rec.response = status, body
        self.notify()
        if isinstance(body, str):
            return web.Response(status=status, text=body, content_type="text/html")
        return web.Response(status=status, text=json.dumps(body), content_type="application/json")


    # --- the world: people, chats and messages (telegram_world.py) ---------------------------
    @property
    def bot(self) -> FakeUser:
        return self.world.bot

    @property
    def users(self) -> dict[int, FakeUser]:
        return self.world.users

    @property
    def chats(self) -> dict[int, FakeChat]:
        return self.world.chats

    def create_user(self, first_name: str = "User", *, username: str | None = None,
                    last_name: str | None = None, language_code: str | None = "en",
                    user_id: int | None = None, is_bot: bool = False) -> FakeUser:
        return self.world.create_user(first_name, username=username, last_name=last_name,
                                      language_code=language_code, user_id=user_id,
                                      is_bot=is_bot)

    def private_chat(self, user: FakeUser) -> FakeChat:
        return self.world.private_chat(user)

    def create_group(self, title: str = "Group", *, members: Sequence[FakeUser] = (),
                     admins: Sequence[FakeUser] = (), creator: FakeUser | None = None,
                     supergroup: bool = False, username: str | None = None,
                     bot_is_admin: bool = False) -> FakeChat:
        """A (super)group with the bot in it. ``admins`` may include the creator."""
        return self.world.create_group(title, members=members, admins=admins, creator=creator,
                                       supergroup=supergroup, username=username,
                                       bot_is_admin=bot_is_admin)

    def create_supergroup(self, title: str = "Supergroup", **options: Any) -> FakeChat:
        return self.world.create_group(title, supergroup=True, **options)

    def add_member(self, chat: FakeChat, user: FakeUser, *, admin: bool = False) -> None:
        self.world.add_member(chat, user, admin=admin)

    def messages(self, chat: FakeChat | int, *, include_deleted: bool = False
                 ) -> list[FakeMessage]:
        return self.world.messages(chat, include_deleted=include_deleted)

    def bot_messages(self, chat: FakeChat | int) -> list[FakeMessage]:
        return self.world.bot_messages(chat)

    def last_bot_message(self, chat: FakeChat | int) -> FakeMessage | None:
        return self.world.last_bot_message(chat)

    def message(self, chat: FakeChat | int, message_id: int) -> FakeMessage | None:
        return self.world.message(chat, message_id)

    # --- what people do -----------------------------------------------------------------------
    def user_sends(self, chat: FakeChat, user: FakeUser, text: str, *,
                   reply_to: int | None = None, sender_chat: FakeChat | None = None
                   ) -> dict[str, Any]:
        """A user writes ``text`` in ``chat``; returns the queued ``message`` update."""
        return self.world.user_sends(chat, user, text, reply_to=reply_to,
                                     sender_chat=sender_chat)

    def user_starts_bot(self, user: FakeUser, payload: str | None = None) -> dict[str, Any]:
        return self.world.user_starts_bot(user, payload)

    def deep_link(self, payload: str) -> str:
        return self.world.deep_link(payload)

    def user_blocks_bot(self, user: FakeUser) -> dict[str, Any]:
        return self.world.user_blocks_bot(user)

    def anonymous_admin_sends(self, chat: FakeChat, text: str) -> dict[str, Any]:
        return self.world.anonymous_admin_sends(chat, text)

    def user_taps(self, chat: FakeChat, user: FakeUser, message_id: int,
                  callback_data: str) -> dict[str, Any]:
        """The user presses an inline button; returns the ``callback_query`` update."""
        return self.world.user_taps(chat, user, message_id, callback_data)

    def migrate_to_supergroup(self, chat: FakeChat, by: FakeUser | None = None) -> FakeChat:
        return self.world.migrate_to_supergroup(chat, by)

    def duplicate_update(self, update_id: int) -> None:
        self.world.duplicate_update(update_id)

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        return self.world.pending_updates

    # --- what the bot did ---------------------------------------------------------------------
    def calls(self, method: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method]

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        return self.world.callback_answers

    def callback_answer(self, callback_query_id: str) -> CallbackAnswer | None:
        return self.world.callback_answer(callback_query_id)

    @property
    def commands(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        return self.chat_methods.commands

    @property
    def webhook(self) -> dict[str, Any] | None:
        return self.update_methods.webhook

    async def deliver_webhook(self, url: str, update: dict[str, Any],
                              secret_token: str | None = None, *, timeout: float = 10.0
                              ) -> tuple[int, str]:
        return await self.update_methods.deliver_webhook(url, update, secret_token,
                                                         timeout=timeout)

    async def flush_webhook(self, url: str | None = None) -> list[int]:
        return await self.update_methods.flush_webhook(url)
