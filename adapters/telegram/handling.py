"""An update handled: translated once (translate.py), given to the core, answered.

Commands are answered in the chat (paced, owed until sent: replies.py); button presses with
a callback answer. Who is an admin of a group is asked of Telegram and kept for a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import replace

from telegram import Bot, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from adapters.runtime.inbound import Inbound, raise_if_failed
from adapters.telegram import translate
from adapters.telegram.replies import Owed, Replies
from adapters.telegram.settings import TelegramSettings
from core import Command, DmStatus, Gather

log = logging.getLogger(__name__)

ANSWER_LIMIT = 200  # answerCallbackQuery text


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class Handling:
    def __init__(
        self,
        gather: Gather,
        bot: Bot,
        settings: TelegramSettings,
        replies: Replies,
        username: Callable[[], str],
        inbound: Inbound | None = None,
    ) -> None:
        self.gather = gather
        self.bot = bot
        self.settings = settings
        self.replies = replies
        self.username = username
        self.inbound = inbound
        self._admins: dict[tuple[int, int], tuple[float, bool]] = {}
        self._blocked: dict[str, bool] = {}

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An update whose handling raised: acknowledged all the same, kept as a dead letter."""
        if isinstance(update, Update) and self.inbound is not None:
            await self.inbound.keep(f"update:{update.update_id}", update.to_dict(), context.error)
        else:
            log.error("telegram: handling an update failed", exc_info=context.error)

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        inbound = translate.translate(update, self.username())
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
        self.replies.owe(Owed(int(command.room.chat_id), reply.message, reply_to, command.actor))
        raise_if_failed(reply)  # answered "trouble"; kept and retried as a dead letter

    async def _on_press(self, press: translate.Press) -> None:
        if press.command is None:
            stale = self.gather.notice(press.room, "stale_button")
            await self._answer(press.query_id, stale, alert=True)
            return
        reply = await asyncio.to_thread(self.gather.handle, press.command)
        if reply.message is None:
            return
        text = shorten(reply.message.plain(), ANSWER_LIMIT)
        url = None
        word = translate.command_word(press.command.text)
        if reply.ok and word in ("join", "guest") and reply.dm_status != DmStatus.REACHABLE:
            code = reply.gathering_code or press.command.text.split()[1]
            url = f"https://t.me/{self.username()}?start=join-{code}"
        reminders = (
            self.gather.notice(press.command.room, "open_for_reminders", url=url) if url else ""
        )
        self.replies.spawn(
            self._answer(press.query_id, text, alert=not reply.ok, url=url, fallback=reminders)
        )
        raise_if_failed(reply)

    async def _answer(
        self,
        query_id: str,
        text: str,
        *,
        alert: bool = False,
        url: str | None = None,
        fallback: str = "",
    ) -> None:
        """Answer a press; `fallback` says the `url` in words for clients that refuse it."""
        try:
            await self.bot.answer_callback_query(query_id, text=text, show_alert=alert, url=url)
        except BadRequest as error:
            if url is not None and "query is too old" not in str(error).lower():
                # Some clients refuse the URL: say it in words instead.
                said = shorten(f"{text} {fallback}", ANSWER_LIMIT)
                with contextlib.suppress(TelegramError):
                    await self.bot.answer_callback_query(query_id, text=said, show_alert=True)
            else:
                log.info("telegram: could not answer a button press: %s", error)
        except TelegramError as error:
            log.info("telegram: could not answer a button press: %s", error)

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
            member = await self.bot.get_chat_member(chat_id, int(native_id))
            admin = member.status in ("creator", "administrator")
        except TelegramError as error:
            log.info("telegram: could not check admins of %s: %s", chat_id, error)
            return False
        self._admins[key] = (now + self.settings.admin_cache_seconds, admin)
        return admin

    async def is_blocked(self, native_id: str) -> bool:
        if native_id not in self._blocked:
            blocked = await asyncio.to_thread(self.gather.is_blocked, translate.NETWORK, native_id)
            self._blocked[native_id] = blocked
        return self._blocked[native_id]

    async def _set_blocked(self, native_id: str, blocked: bool) -> None:
        if not blocked and not await self.is_blocked(native_id):
            return
        self._blocked[native_id] = blocked
        await asyncio.to_thread(self.gather.note_blocked, translate.NETWORK, native_id, blocked)
