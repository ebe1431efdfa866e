"""Bot API methods that send, edit and delete messages and answer button taps."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .telegram_models import ApiError, CallbackAnswer, FakeChat, FakeMessage, FloodError
from .telegram_params import ApiMethod, find_chat, flag, int_param
from .telegram_wire import (
    FLOOD_COUNTED,
    EntityParseError,
    FloodControl,
    format_text,
    utf16_len,
)
from .telegram_world import TelegramWorld

NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message")
QUERY_INVALID = ("Bad Request: query is too old and response timeout expired or query ID is "
                 "invalid")
# Other send* methods answer a Message with the caption; their media are stubs.
SEND_OTHER = frozenset(m for m in FLOOD_COUNTED if m.startswith("send")) - {
    "sendMessage", "sendMediaGroup", "sendPaidMedia", "sendInvoice", "sendGame", "sendGift",
    "sendChecklist", "sendPoll"}


class MessageMethods:
    """``flood`` enforces Telegram's flood limits (None: no limits)."""

    def __init__(self, world: TelegramWorld, request_count: Callable[[], int], *,
                 flood: FloodControl | None, callback_query_timeout: float | None) -> None:
        self.world = world
        self.request_count = request_count  # numbers the stub files of sent media
        self.flood = flood
        self.callback_query_timeout = callback_query_timeout

    def methods(self) -> dict[str, ApiMethod]:
        return {
            "sendMessage": self._api_sendMessage,
            "editMessageText": self._api_editMessageText,
            "editMessageReplyMarkup": self._api_editMessageReplyMarkup,
            "deleteMessage": self._api_deleteMessage,
            "answerCallbackQuery": self._api_answerCallbackQuery,
        }

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
        if self.flood is None or method not in FLOOD_COUNTED:
            return
        retry_after = self.flood.check(chat.id, chat.is_group)
        if retry_after:
            raise FloodError(429, f"Too Many Requests: retry after {retry_after}",
                             {"retry_after": retry_after})

    def _own_message(self, params: dict[str, Any], chat: FakeChat, what: str) -> FakeMessage:
        msg = self.world.message(chat, int_param(params, "message_id"))
        if msg is None or msg.deleted:
            raise ApiError(400, f"Bad Request: message to {what} not found")
        if not msg.from_bot:
            raise ApiError(400, "Bad Request: message can't be edited")
        return msg


    async def _api_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = find_chat(self.world, p, sending=True)
        text, entities = self._text(p)
        markup = self._markup(p)
        extra: dict[str, Any] = {}
        reply = p.get("reply_parameters") or {}
        reply_id = reply.get("message_id") if isinstance(reply, dict) else None
        reply_id = reply_id or p.get("reply_to_message_id")
        if reply_id:
            target = self.world.message(chat, int(reply_id))
            if target is None or target.deleted:
                if not (reply.get("allow_sending_without_reply")
                        or flag(p, "allow_sending_without_reply")):
                    raise ApiError(400, "Bad Request: message to be replied not found")
            else:
                extra["reply_to_message"] = target.to_api()
        self._check_flood("sendMessage", chat)
        msg = self.world.store_message(chat, self.world.bot.to_api(), text, entities, from_bot=True,
                                  extra=extra, params=p)
        msg.reply_markup = markup
        return msg.to_api()

    async def send_other(self, method: str, p: dict[str, Any],
                          files: dict[str, tuple[str, bytes]]) -> dict[str, Any]:
        """send{Photo,Document,Location,...}: a Message with the caption (media as stubs)."""
        chat = find_chat(self.world, p, sending=True)
        caption, entities = "", list[dict[str, Any]]()
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
        ref = f"{kind}-{self.request_count()}"
        if kind == "photo":
            extra["photo"] = [{"file_id": ref, "file_unique_id": ref, "width": 1, "height": 1}]
        elif kind == "document":
            name = files["document"][0] if "document" in files else None
            extra["document"] = {"file_id": ref, "file_unique_id": ref, **(
                {"file_name": name} if name else {})}
        msg = self.world.store_message(chat, self.world.bot.to_api(), "", from_bot=True, extra=extra,
                                  params=p)
        msg.reply_markup = self._markup(p)
        msg.files = files
        return msg.to_api()

    async def _api_editMessageText(self, p: dict[str, Any]) -> dict[str, Any] | bool:
        if p.get("inline_message_id"):
            return True
        chat = find_chat(self.world, p, sending=True)
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
        chat = find_chat(self.world, p, sending=True)
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
        chat = find_chat(self.world, p)
        msg = self.world.message(chat, int_param(p, "message_id"))
        if msg is None or msg.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        if chat.is_group and not msg.from_bot and chat.bot_status != "administrator":
            raise ApiError(400, "Bad Request: message can't be deleted")
        msg.deleted = True
        return True

    async def _api_answerCallbackQuery(self, p: dict[str, Any]) -> bool:
        qid = str(p.get("callback_query_id") or "")
        query = self.world.callback_queries.get(qid)
        too_old = (query is not None and self.callback_query_timeout is not None
                   and time.monotonic() - query["time"] > self.callback_query_timeout)
        if query is None or query["answered"] or too_old:
            raise ApiError(400, QUERY_INVALID)
        query["answered"] = True
        self.world.callback_answers.append(CallbackAnswer(
            qid, p.get("text"), flag(p, "show_alert"), p.get("url"),
            int(p["cache_time"]) if p.get("cache_time") not in (None, "") else None,
            time.time()))
        return True

