"""A fake Telegram Bot API server for tests: real HTTP on 127.0.0.1, real wire format.

    async with FakeTelegram() as tg:
        bot = telegram.Bot(tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url)
        alice = tg.create_user("Alice")
        group = tg.create_group("Picnic", members=[alice])
        tg.user_sends(group, alice, "/gather@GatherTestBot hello")
        ...

State and simulation helpers live in ``telegram_world.py``; text parsing and flood limits in
``telegram_wire.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from .telegram_wire import (
    FLOOD_COUNTED,
    JSON_FIELDS,
    METHODS_BY_LOWER,
    EntityParseError,
    FloodControl,
    RateLimits,
    format_text,
    utf16_len,
)
from .telegram_world import (
    ApiError,
    CallbackAnswer,
    FakeChat,
    FakeMessage,
    FakeUser,
    RecordedRequest,
    TelegramWorld,
)

__all__ = ["ApiError", "FakeChat", "FakeMessage", "FakeTelegram", "FakeUser", "RateLimits"]

NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message")
QUERY_INVALID = ("Bad Request: query is too old and response timeout expired or query ID is "
                 "invalid")
DEFAULT_DESCRIPTIONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
                        404: "Not Found", 409: "Conflict", 500: "Internal Server Error"}
NGINX_502 = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>"
             "502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n"
             "</html>\r\n")


SEND_OTHER = frozenset(m for m in FLOOD_COUNTED if m.startswith("send")) - {
    "sendMessage", "sendMediaGroup", "sendPaidMedia", "sendInvoice", "sendGame", "sendGift",
    "sendChecklist", "sendPoll"}


class FloodError(ApiError):
    """A 429 produced by flood control (counted in ``rate_limited_count``)."""


@dataclass
class _Fault:
    method: str
    times: int
    status: int
    body: dict[str, Any] | str


@dataclass
class _Delay:
    method: str
    seconds: float
    times: int
    after_processing: bool


class FakeTelegram(TelegramWorld):
    """Fake Bot API. ``rate_limits``: ``True`` (Telegram-like defaults), a ``RateLimits``, or
    ``None``/``False`` to disable flood control."""

    def __init__(self, token: str = "123456789:AAHfakeTokenForGatherTests_0123456789",
                 *, bot_username: str = "GatherTestBot", bot_first_name: str = "Gather",
                 rate_limits: RateLimits | bool | None = True, host: str = "127.0.0.1",
                 port: int = 0, callback_query_timeout: float | None = None) -> None:
        super().__init__(token, bot_username, bot_first_name)
        self.host, self.port = host, port
        self.callback_query_timeout = callback_query_timeout
        self.set_rate_limits(RateLimits() if rate_limits is True else rate_limits or None)
        self.webhook: dict[str, Any] | None = None
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.status_counts: Counter[int] = Counter()
        self.rate_limited_count = 0  # 429s produced by flood control (not by fail_next)
        self.internal_errors: list[BaseException] = []  # bugs in the fake itself
        self.webhook_deliveries: list[tuple[str, int]] = []  # (url, HTTP status)
        self._faults: list[_Fault] = []
        self._delays: list[_Delay] = []
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self._poll_generation = 0

    # --- lifecycle ----------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    async def start(self) -> FakeTelegram:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._closing = asyncio.Event()
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True,
                                     shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self._closing.set()
        self._notify()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

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
        self._flood = FloodControl(limits) if limits else None

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
            description = f"Too Many Requests: retry after {parameters['retry_after']}"
        if body is None and error_code >= 500 and description is None:
            body = NGINX_502 if error_code == 502 else f"{error_code} error"
        if body is None:
            body_json = ApiError(error_code, description or DEFAULT_DESCRIPTIONS.get(
                error_code, "Error"), parameters).body()
        self._faults.append(_Fault(method, times, error_code,
                                   body if body is not None else body_json))

    def slow_down(self, method: str = "*", seconds: float = 5.0, times: int = 1, *,
                  after_processing: bool = True) -> None:
        """Delay replies. ``after_processing=True``: the call takes effect (message stored)
        and the reply comes late: a client read timeout then hides a delivered message."""
        self._delays.append(_Delay(method, seconds, times, after_processing))

    def _take(self, items: list[Any], method: str) -> Any:
        for item in items:
            if item.method in ("*", method) and item.times > 0:
                item.times -= 1
                if item.times == 0:
                    items.remove(item)
                return item
        return None

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    # --- HTTP ---------------------------------------------------------------------------------
    async def _read_params(self, request: web.Request
                           ) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, tuple[str, bytes]] = {}
        if request.content_type == "application/json":
            body = await request.read()
            if body:
                params.update(json.loads(body))
        elif request.content_type in ("application/x-www-form-urlencoded",
                                      "multipart/form-data"):
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[key] = (value.filename, value.file.read())
                else:
                    params[key] = value
        for key, value in params.items():
            if key in JSON_FIELDS and isinstance(value, str) and value[:1] in "[{":
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(value)
        return params, files

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        m = re.fullmatch(r"/bot([^/]*)/([^/]+)", request.path)
        if not m:
            return self._reply(404, ApiError(404, "Not Found").body())
        token, raw_method = m.groups()
        method = METHODS_BY_LOWER.get(raw_method.lower(), raw_method)
        params, files = await self._read_params(request)
        rec = RecordedRequest(method, params, time.time(), token, files)
        self.requests.append(rec)
        try:
            if ":" not in token:
                raise ApiError(404, "Not Found")
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            if raw_method.lower() not in METHODS_BY_LOWER:
                raise ApiError(404, "Not Found")
            handler = getattr(self, f"_api_{method}", None)
            fault = self._take(self._faults, method)
            if fault is not None:
                return self._reply(fault.status, fault.body, rec)
            delay = self._take(self._delays, method)
            if delay is not None and not delay.after_processing:
                await self._sleep(delay.seconds)
            if handler is not None:
                result = await handler(params)
            elif method in SEND_OTHER:
                result = await self._send_other(method, params, files)
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
            self._notify()
            await self._sleep(delay.seconds)
        return self._reply(status, body, rec)

    def _reply(self, status: int, body: dict[str, Any] | str,
               rec: RecordedRequest | None = None) -> web.Response:
        self.status_counts[status] += 1
        if rec is not None:
            rec.status, rec.response = status, body
        self._notify()
        if isinstance(body, str):
            return web.Response(status=status, text=body, content_type="text/html")
        return web.Response(status=status, text=json.dumps(body), content_type="application/json")

    # --- parameter helpers --------------------------------------------------------------------
    @staticmethod
    def _int(params: dict[str, Any], key: str, default: int | None = None) -> int:
        value = params.get(key)
        if value in (None, ""):
            if default is None:
                raise ApiError(400, f"Bad Request: {key} is empty")
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ApiError(400, f"Bad Request: invalid {key} specified") from None

    @staticmethod
    def _flag(params: dict[str, Any], key: str) -> bool:
        return params.get(key) in (True, "true", "True", "1", 1)

    def _chat(self, params: dict[str, Any], *, sending: bool = False) -> FakeChat:
        raw = params.get("chat_id")
        if raw in (None, ""):
            raise ApiError(400, "Bad Request: chat_id is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            chat = next((c for c in self.chats.values()
                         if c.username and c.username.lower() == raw[1:].lower()), None)
        else:
            chat = self.chats.get(self._int(params, "chat_id"))
            if chat is None and self._int(params, "chat_id") in self.users:
                chat = self.private_chat(self.users[self._int(params, "chat_id")])
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat.migrated_to is not None:
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                           {"migrate_to_chat_id": chat.migrated_to})
        if chat.type == "private" and sending:  # reading (getChat, ...) still works
            user = self.users[chat.id]
            if user.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if user.is_bot:
                raise ApiError(403, "Forbidden: bot can't send messages to bots")
            if sending and not user.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        elif chat.bot_status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")
        elif chat.bot_status == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        return chat

    def _markup(self, params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return None  # reply keyboards are accepted but not echoed back by Telegram
        rows = markup["inline_keyboard"]
        for button in (b for row in rows for b in row):
            if not button.get("text"):
                raise ApiError(400, "Bad Request: text buttons are unallowed in the inline "
                                    "keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return {"inline_keyboard": rows} if any(rows) else None

    def _text(self, params: dict[str, Any], key: str = "text"
              ) -> tuple[str, list[dict[str, Any]]]:
        try:
            text, entities = format_text(str(params.get(key) or ""), params.get("parse_mode"),
                                         params.get("entities"))
        except EntityParseError as err:
            raise ApiError(400, str(err)) from None
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return text, entities

    def _check_flood(self, method: str, chat: FakeChat) -> None:
        if self._flood is None or method not in FLOOD_COUNTED:
            return
        retry_after = self._flood.check(chat.id, chat.is_group)
        if retry_after:
            raise FloodError(429, f"Too Many Requests: retry after {retry_after}",
                             {"retry_after": retry_after})

    def _own_message(self, params: dict[str, Any], chat: FakeChat, what: str) -> FakeMessage:
        msg = self.message(chat, self._int(params, "message_id"))
        if msg is None or msg.deleted:
            raise ApiError(400, f"Bad Request: message to {what} not found")
        if not msg.from_bot:
            raise ApiError(400, "Bad Request: message can't be edited")
        return msg

    # --- Bot API methods ----------------------------------------------------------------------
    async def _api_getMe(self, p: dict[str, Any]) -> dict[str, Any]:
        return {**self.bot.to_api(), "can_join_groups": True,
                "can_read_all_group_messages": False, "supports_inline_queries": False}

    async def _api_deleteWebhook(self, p: dict[str, Any]) -> bool:
        self.webhook = None
        if self._flag(p, "drop_pending_updates"):
            self.expire_pending_updates()
        return True

    async def _api_setWebhook(self, p: dict[str, Any]) -> bool:
        url = str(p.get("url") or "")
        if not url:
            return await self._api_deleteWebhook(p)
        if not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for "
                                "webhook")
        secret = p.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if isinstance(p.get("allowed_updates"), list):
            self.allowed_updates = p["allowed_updates"]
        if self._flag(p, "drop_pending_updates"):
            self.expire_pending_updates()
        self.webhook = {"url": url, "secret_token": secret,
                        "max_connections": self._int(p, "max_connections", 40),
                        "allowed_updates": p.get("allowed_updates"), "params": p}
        return True

    async def _api_getWebhookInfo(self, p: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {"url": self.webhook["url"] if self.webhook else "",
                                "has_custom_certificate": False,
                                "pending_update_count": len(self._queue)}
        if self.webhook:
            info["max_connections"] = self.webhook["max_connections"]
        return info

    async def _api_getUpdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        if isinstance(p.get("allowed_updates"), list):
            self.allowed_updates = p["allowed_updates"]
        limit = self._int(p, "limit", 100)
        timeout = float(p.get("timeout") or 0)
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # wakes (and so terminates) an older long poll
        self._confirm(self._int(p, "offset", 0))
        deadline = time.monotonic() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, "Conflict: terminated by other getUpdates request; make "
                                    "sure that only one bot instance is running")
            if any(True for q in self._queue if not (q.forced and q.delivered)
                   and self._allowed(q.kind)):
                return self._take_batch(max(1, min(limit, 100)))
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._closing.is_set():
                return []
            event = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def _api_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p, sending=True)
        text, entities = self._text(p)
        markup = self._markup(p)
        extra: dict[str, Any] = {}
        reply = p.get("reply_parameters") or {}
        reply_id = reply.get("message_id") if isinstance(reply, dict) else None
        reply_id = reply_id or p.get("reply_to_message_id")
        if reply_id:
            target = self.message(chat, int(reply_id))
            if target is None or target.deleted:
                if not (reply.get("allow_sending_without_reply")
                        or self._flag(p, "allow_sending_without_reply")):
                    raise ApiError(400, "Bad Request: message to be replied not found")
            else:
                extra["reply_to_message"] = target.to_api()
        self._check_flood("sendMessage", chat)
        msg = self._store_message(chat, self.bot.to_api(), text, entities, from_bot=True,
                                  extra=extra, params=p)
        msg.reply_markup = markup
        return msg.to_api()

    async def _send_other(self, method: str, p: dict[str, Any],
                          files: dict[str, tuple[str, bytes]]) -> dict[str, Any]:
        """send{Photo,Document,Location,...}: a Message with the caption (media as stubs)."""
        chat = self._chat(p, sending=True)
        caption, entities = ("", [])
        if p.get("caption"):
            try:
                caption, entities = format_text(str(p["caption"]), p.get("parse_mode"),
                                                p.get("caption_entities"))
            except EntityParseError as err:
                raise ApiError(400, str(err)) from None
            if utf16_len(caption) > 1024:
                raise ApiError(400, "Bad Request: message caption is too long")
        self._check_flood(method, chat)
        kind = method.removeprefix("send").lower()
        extra: dict[str, Any] = {}
        if caption:
            extra["caption"] = caption
        if entities:
            extra["caption_entities"] = entities
        ref = f"{kind}-{len(self.requests)}"
        if kind == "photo":
            extra["photo"] = [{"file_id": ref, "file_unique_id": ref, "width": 1, "height": 1}]
        elif kind == "document":
            name = files["document"][0] if "document" in files else None
            extra["document"] = {"file_id": ref, "file_unique_id": ref, **(
                {"file_name": name} if name else {})}
        msg = self._store_message(chat, self.bot.to_api(), "", from_bot=True, extra=extra,
                                  params=p)
        msg.reply_markup = self._markup(p)
        msg.files = files
        return msg.to_api()

    async def _api_editMessageText(self, p: dict[str, Any]) -> dict[str, Any] | bool:
        if p.get("inline_message_id"):
            return True
        chat = self._chat(p, sending=True)
        msg = self._own_message(p, chat, "edit")
        text, entities = self._text(p)
        markup = self._markup(p)  # no reply_markup in an edit removes the inline keyboard
        if (text, entities, markup) == (msg.text, msg.entities, msg.reply_markup):
            raise ApiError(400, NOT_MODIFIED)
        self._check_flood("editMessageText", chat)
        msg.history.append((msg.text, msg.reply_markup))
        msg.text, msg.entities, msg.reply_markup = text, entities, markup
        msg.edit_date = int(time.time())
        return msg.to_api()

    async def _api_editMessageReplyMarkup(self, p: dict[str, Any]) -> dict[str, Any] | bool:
        if p.get("inline_message_id"):
            return True
        chat = self._chat(p, sending=True)
        msg = self._own_message(p, chat, "edit")
        markup = self._markup(p)
        if markup == msg.reply_markup:
            raise ApiError(400, NOT_MODIFIED)
        self._check_flood("editMessageReplyMarkup", chat)
        msg.history.append((msg.text, msg.reply_markup))
        msg.reply_markup = markup
        msg.edit_date = int(time.time())
        return msg.to_api()

    async def _api_deleteMessage(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        msg = self.message(chat, self._int(p, "message_id"))
        if msg is None or msg.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        if chat.is_group and not msg.from_bot and chat.bot_status != "administrator":
            raise ApiError(400, "Bad Request: message can't be deleted")
        msg.deleted = True
        return True

    async def _api_answerCallbackQuery(self, p: dict[str, Any]) -> bool:
        qid = str(p.get("callback_query_id") or "")
        query = self.callback_queries.get(qid)
        too_old = (query is not None and self.callback_query_timeout is not None
                   and time.monotonic() - query["time"] > self.callback_query_timeout)
        if query is None or query["answered"] or too_old:
            raise ApiError(400, QUERY_INVALID)
        query["answered"] = True
        self.callback_answers.append(CallbackAnswer(
            qid, p.get("text"), self._flag(p, "show_alert"), p.get("url"),
            int(p["cache_time"]) if p.get("cache_time") not in (None, "") else None,
            time.time()))
        return True

    @staticmethod
    def _scope_key(p: dict[str, Any]) -> tuple[str, str]:
        scope = p.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(p.get("language_code") or "")

    async def _api_setMyCommands(self, p: dict[str, Any]) -> bool:
        commands = p.get("commands") or []
        for c in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(c.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(c.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._scope_key(p)] = list(commands)
        return True

    async def _api_getMyCommands(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands.get(self._scope_key(p), [])

    async def _api_deleteMyCommands(self, p: dict[str, Any]) -> bool:
        self.commands.pop(self._scope_key(p), None)
        return True

    def _member(self, chat: FakeChat, user: FakeUser) -> dict[str, Any]:
        if user.id == self.bot.id:
            status = chat.bot_status
        elif chat.type == "private":
            status = "member" if user.id == chat.id else "left"
        else:
            status = chat.admins.get(user.id) or ("member" if user.id in chat.members
                                                  else "left")
        d: dict[str, Any] = {"status": status, "user": user.to_api()}
        if status == "creator":
            d["is_anonymous"] = False
        elif status == "administrator":
            d.update({"can_be_edited": False, "is_anonymous": False, **dict.fromkeys((
                "can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                "can_restrict_members", "can_promote_members", "can_change_info",
                "can_invite_users", "can_post_stories", "can_edit_stories",
                "can_delete_stories", "can_pin_messages"), True)})
        elif status == "kicked":
            d["until_date"] = 0
        return d

    async def _api_getChatMember(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        user = self.bot if self._int(p, "user_id") == self.bot.id else \
            self.users.get(self._int(p, "user_id"))
        if user is None:
            raise ApiError(400, "Bad Request: user not found")
        return self._member(chat, user)

    async def _api_getChatAdministrators(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        chat = self._chat(p)
        if not chat.is_group:
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        ids = sorted(chat.admins, key=lambda uid: chat.admins[uid] != "creator")
        admins = [self._member(chat, self.users[uid]) for uid in ids]
        if chat.bot_status == "administrator":
            admins.append(self._member(chat, self.bot))
        return admins

    async def _api_getChatMemberCount(self, p: dict[str, Any]) -> int:
        return len(self._chat(p).members) + 1

    async def _api_getChat(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts",
                               "premium_subscription", "gifts_from_channels"), False)
        return {**chat.to_api(), "accent_color_id": 0, "max_reaction_count": 11,
                "accepted_gift_types": gifts}

    async def _api_leaveChat(self, p: dict[str, Any]) -> bool:
        self._chat(p).bot_status = "left"
        return True

    # --- webhooks -----------------------------------------------------------------------------
    async def deliver_webhook(self, url: str, update: dict[str, Any],
                              secret_token: str | None = None, *, timeout: float = 10.0
                              ) -> tuple[int, str]:
        """POST one update to a bot's webhook the way Telegram does; returns (status, body)."""
        headers = {"Content-Type": "application/json"}
        if secret_token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret_token
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as s, \
                s.post(url, data=json.dumps(update), headers=headers) as resp:
            text = await resp.text()
        self.webhook_deliveries.append((url, resp.status))
        self._notify()
        return resp.status, text

    async def flush_webhook(self, url: str | None = None) -> list[int]:
        """Deliver every pending update to the webhook set with setWebhook (or to ``url``,
        e.g. the bot's local listener), with its secret; 2xx confirms an update."""
        assert self.webhook is not None, "no webhook set"
        statuses = []
        for update in self._take_batch(100):
            status, _ = await self.deliver_webhook(url or self.webhook["url"], update,
                                                   self.webhook["secret_token"])
            statuses.append(status)
            if 200 <= status < 300:
                self._queue = [q for q in self._queue if q.update is not update]
        return statuses

