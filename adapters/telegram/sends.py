"""Outbound: the outbox worker's sends put on the wire, PTB errors mapped to outcomes."""

from __future__ import annotations

import datetime as dtm
import logging
from collections.abc import Awaitable, Callable, Hashable

import httpx
from telegram import Bot, LinkPreviewOptions
from telegram import Message as TgMessage
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from adapters.runtime.backoff import Backoff
from adapters.telegram.keyboards import keyboard
from adapters.telegram.render import render
from core import (
    ChatMoved,
    Delivery,
    Failed,
    Limit,
    Message,
    Outcome,
    Recipient,
    RetryLater,
    Sent,
    Uncertain,
    Unreachable,
)

log = logging.getLogger(__name__)

NETWORK = "telegram"
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def retry_seconds(value: int | float | dtm.timedelta) -> float:
    """RetryAfter.retry_after is a timedelta with PTB_TIMEDELTA=true, else int seconds."""
    if isinstance(value, dtm.timedelta):
        return value.total_seconds()
    return float(value)


def is_group_chat(chat_id: str) -> bool:
    """Groups, supergroups and channels have negative ids; people have positive ones."""
    return chat_id.startswith("-")


def make_limits(
    global_per_second: float = 29, chat_per_second: float = 1, group_per_minute: float = 19
) -> list[tuple[Limit, str]]:
    """The pacing limits, for OutboxWorker's scopes "all", "chat" and "group".

    Telegram allows about 30 messages/s overall, 1/s per chat and 20/min per group (edits
    count). The group default is 19/min: send times jitter by a few milliseconds, and at
    exactly 20/min a sliding minute can then hold 21 sends.
    """
    return [
        (Limit("global", global_per_second, 1), "all"),
        (Limit("chat", chat_per_second, 1), "chat"),
        (Limit("group", group_per_minute / 60, 1), "group"),
    ]


LIMITS = make_limits()


def subjects_for(
    chat_id: str, *, dm: bool, limits: list[tuple[Limit, str]] | None = None
) -> list[tuple[Limit, Hashable]]:
    """The limits one send counts against (the keys OutboxWorker uses); the group limit only
    for groups (negative ids), never for a person's private chat."""
    subjects: list[tuple[Limit, Hashable]] = []
    for limit, scope in limits or LIMITS:
        if scope == "all":
            subjects.append((limit, "all"))
        elif scope == "chat":
            subjects.append((limit, ("chat", chat_id)))
        elif scope == "group" and not dm and is_group_chat(chat_id):
            subjects.append((limit, ("group", chat_id)))
    return subjects


async def _never(_native_id: str) -> bool:
    return False


class TelegramSends:
    """What `TelegramBot` does for the outbox worker: the sends, paced and mapped."""

    def __init__(
        self,
        bot: Bot,
        *,
        is_blocked: Callable[[str], Awaitable[bool]] | None = None,
        limits: list[tuple[Limit, str]] | None = None,
    ) -> None:
        self.bot = bot
        self.limits = limits or LIMITS
        self.is_blocked = is_blocked or _never
        self._network_trouble = Backoff(first=2.0, cap=60.0)

    def limits_for(self, delivery: Delivery) -> list[tuple[Limit, Hashable]]:
        if delivery.kind == "dm" and delivery.recipient is not None:
            return self.subjects(delivery.recipient.native_id, dm=True)
        return self.subjects(delivery.chat_id or "", dm=False)

    def subjects(self, chat_id: str, *, dm: bool) -> list[tuple[Limit, Hashable]]:
        return subjects_for(chat_id, dm=dm, limits=self.limits)

    # Sends ------------------------------------------------------------------------------

    async def announce(self, delivery: Delivery) -> Outcome:
        assert delivery.chat_id is not None
        if delivery.message_id is None:
            return await self.send_to_chat(delivery.chat_id, delivery.message)
        return await self.edit_announcement(delivery.chat_id, delivery.message_id, delivery.message)

    async def edit_announcement(self, chat_id: str, message_id: str, message: Message) -> Outcome:
        async def call() -> TgMessage | bool:
            return await self.bot.edit_message_text(
                render(message),
                chat_id=int(chat_id),
                message_id=int(message_id),
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(message.buttons),
                link_preview_options=NO_PREVIEW,
            )

        return await self._attempt(call, dm=False, edit_of=message_id)

    async def send_to_chat(self, chat_id: str, message: Message) -> Outcome:
        async def call() -> TgMessage | bool:
            return await self.bot.send_message(
                int(chat_id),
                render(message),
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(message.buttons),
                link_preview_options=NO_PREVIEW,
            )

        return await self._attempt(call, dm=False)

    async def send_dm(self, recipient: Recipient, message: Message) -> Outcome:
        native = recipient.native_id
        if not native.isdigit():
            # An anonymous admin or channel acts as a chat: a "DM" would post in the group.
            return Unreachable("not a person's chat")
        if await self.is_blocked(native):
            return Unreachable("the person blocked the bot")

        async def call() -> TgMessage | bool:
            return await self.bot.send_message(
                int(native),
                render(message),
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(message.buttons),
                link_preview_options=NO_PREVIEW,
            )

        return await self._attempt(call, dm=True)

    # Error mapping ----------------------------------------------------------------------

    async def _attempt(
        self,
        call: Callable[[], Awaitable[TgMessage | bool]],
        *,
        dm: bool,
        edit_of: str | None = None,
    ) -> Outcome:
        try:
            result = await call()
        except TelegramError as error:
            return self.outcome_of(error, dm=dm, edit_of=edit_of)
        self._network_trouble = Backoff(first=2.0, cap=60.0)
        if isinstance(result, TgMessage):
            return Sent(str(result.message_id))
        return Sent(edit_of)

    def outcome_of(self, error: TelegramError, *, dm: bool, edit_of: str | None = None) -> Outcome:
        """The outcome for a PTB error (PTB capitalises only the first letter: match lower)."""
        text = str(error).lower()
        match error:
            case RetryAfter():
                return RetryLater(retry_seconds(error.retry_after), "telegram: too many requests")
            case ChatMigrated():
                return ChatMoved(str(error.new_chat_id))
            case Forbidden():
                if dm:
                    return Unreachable(text[:200])
                return Failed(f"forbidden: {text}"[:300])
            case InvalidToken():
                log.error("telegram: the bot token was rejected; is it revoked? retrying later")
                return RetryLater(60.0, "token rejected")
            case TimedOut():
                cause = error.__cause__
                if isinstance(cause, httpx.ConnectTimeout | httpx.PoolTimeout) or (
                    "pool timeout" in text
                ):
                    return self._backoff(f"could not connect: {text}")
                # The request went out; Telegram may have it. Never resent blindly.
                return Uncertain(f"no answer from telegram: {text}"[:300])
            case BadRequest():
                if "message is not modified" in text:
                    return Sent(edit_of)
                if "message to edit not found" in text or "message can't be edited" in text:
                    return Failed(text[:300], message_gone=True)
                if "chat not found" in text and dm:
                    return Unreachable(text[:200])
                return Failed(f"bad request: {text}"[:300])
            case NetworkError():
                return self._backoff(text)
        return Failed(f"{type(error).__name__}: {text}"[:300])

    def _backoff(self, reason: str) -> RetryLater:
        seconds = self._network_trouble.next()
        log.warning("telegram: network trouble (%s); retrying in %.0fs", reason, seconds)
        return RetryLater(seconds, f"network: {reason}"[:300], outage=True)
