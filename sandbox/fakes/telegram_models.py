"""What the fake Telegram's world is made of, as the Bot API shows it: users, chats,
messages, error replies, and the record of requests and callback answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ApiError(Exception):
    """An error reply of the Bot API: ``{"ok": false, "error_code": ..., ...}``."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.code,
                                "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass(eq=False)
class FakeUser:
    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = "en"
    is_bot: bool = False
    started: bool = False  # pressed Start / wrote to the bot in private
    blocked: bool = False  # blocked the bot

    def to_api(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                d[key] = getattr(self, key)
        return d


@dataclass(eq=False)
class FakeChat:
    id: int
    type: str  # private | group | supergroup | channel
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    members: set[int] = field(default_factory=set)
    admins: dict[int, str] = field(default_factory=dict)  # user id -> creator | administrator
    bot_status: str = "member"  # member | administrator | left | kicked
    migrated_to: int | None = None

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    def to_api(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            if getattr(self, key):
                d[key] = getattr(self, key)
        return d


@dataclass(eq=False)
class FakeMessage:
    message_id: int
    chat: FakeChat
    sender: dict[str, Any]  # the "from" user object
    date: int
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None  # inline keyboard only, as Telegram returns it
    from_bot: bool = False
    edit_date: int | None = None
    deleted: bool = False
    history: list[tuple[str, dict[str, Any] | None]] = field(default_factory=list)  # old versions
    extra: dict[str, Any] = field(default_factory=dict)  # sender_chat, reply_to_message, ...
    params: dict[str, Any] = field(default_factory=dict)  # request params that created it
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # uploads (name, bytes)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b for row in rows for b in row]

    def to_api(self) -> dict[str, Any]:
        d: dict[str, Any] = {"message_id": self.message_id, "from": self.sender,
                             "chat": self.chat.to_api(), "date": self.date, **self.extra}
        if self.text:  # service messages (migration, ...) have no text
            d["text"] = self.text
        if self.entities:
            d["entities"] = self.entities
        if self.edit_date:
            d["edit_date"] = self.edit_date
        if self.reply_markup:
            d["reply_markup"] = self.reply_markup
        return d


@dataclass
class RecordedRequest:
    method: str
    params: dict[str, Any]
    time: float
    token: str = ""
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    status: int | None = None
    response: Any = None


@dataclass
class CallbackAnswer:
    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None
    time: float


class FloodError(ApiError):
    """A 429 produced by flood control (counted in ``rate_limited_count``)."""
