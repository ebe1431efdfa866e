"""Reading Bot API parameters the way Telegram does, with its error replies."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from .telegram_models import ApiError, FakeChat
from .telegram_wire import JSON_FIELDS
from .telegram_world import TelegramWorld

# A Bot API method's implementation: the request's parameters in, the "result" out.
ApiMethod = Callable[[dict[str, Any]], Awaitable[Any]]


def int_param(params: dict[str, Any], key: str, default: int | None = None) -> int:
    value = params.get(key)
    if value in (None, ""):
        if default is None:
            raise ApiError(400, f"Bad Request: {key} is empty")
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"Bad Request: invalid {key} specified") from None


def flag(params: dict[str, Any], key: str) -> bool:
    return params.get(key) in (True, "true", "True", "1", 1)


def find_chat(world: TelegramWorld, params: dict[str, Any], *, sending: bool = False
              ) -> FakeChat:
    """The chat ``chat_id`` names, or the error Telegram answers (403s only when ``sending``)."""
    raw = params.get("chat_id")
    if raw in (None, ""):
        raise ApiError(400, "Bad Request: chat_id is empty")
    if isinstance(raw, str) and raw.startswith("@"):
        chat = next((c for c in world.chats.values()
                     if c.username and c.username.lower() == raw[1:].lower()), None)
    else:
        chat = world.chats.get(int_param(params, "chat_id"))
        if chat is None and int_param(params, "chat_id") in world.users:
            chat = world.private_chat(world.users[int_param(params, "chat_id")])
    if chat is None:
        raise ApiError(400, "Bad Request: chat not found")
    if chat.migrated_to is not None:
        raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                       {"migrate_to_chat_id": chat.migrated_to})
    if chat.type == "private" and sending:  # reading (getChat, ...) still works
        user = world.users[chat.id]
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


async def read_params(request: web.Request
                      ) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """A request's parameters (query, JSON or form; JSON-encoded fields decoded) and its
    uploaded files as (file name, bytes)."""
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
