"""Replies to commands: paced with the outbox's own sends, and owed until they went.

A second delivery of an update is silent, so a handled update must be answered by this
process: on stop, the replies still waiting for their turn under a chat's rate limit go
together, one message per chat, naming each person (`answer_owed`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine, Hashable
from dataclasses import dataclass
from typing import Any

from telegram import Bot, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from adapters.runtime.backoff import Backoff
from adapters.runtime.outbox import OutboxWorker
from adapters.telegram.keyboards import keyboard
from adapters.telegram.render import render
from adapters.telegram.sends import NO_PREVIEW, TelegramSends, retry_seconds
from core import Identity, Limit, Message, MessageBuilder, Span

log = logging.getLogger(__name__)
# On stop: how long the answers owed may take, all together, before the client closes.
ANSWER_SECONDS = 8.0
TOGETHER_LIMIT = 3500  # visible characters of one message carrying several answers
SEND_ATTEMPTS = 4

Turn = Callable[[list[tuple[Limit, Hashable]]], Awaitable[bool]]


@dataclass(eq=False)
class Owed:
    """A reply to a command, owed until it is sent (or refused for good)."""

    chat_id: int
    message: Message
    reply_to: int | None
    actor: Identity


class Replies:
    """The replies (and button answers) this process owes, and the tasks sending them."""

    def __init__(self, bot: Bot, sends: TelegramSends, worker: OutboxWorker) -> None:
        self.bot = bot
        self.sends = sends
        self.worker = worker
        self.tasks: set[asyncio.Task[None]] = set()
        self._owed: dict[Owed, None] = {}  # in order

    def owe(self, owed: Owed) -> None:
        """Send `owed` in its turn (paced with the outbox), keeping it owed until it went."""
        self._owed[owed] = None
        self.spawn(self._say(owed))

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task: asyncio.Task[None] = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _say(self, owed: Owed) -> None:
        """A reply still waiting for its turn when the bot stops stays owed (`answer_owed`)."""
        if await self._send(owed, self.worker.turn):
            self._owed.pop(owed, None)

    async def _send(self, owed: Owed, turn: Turn) -> bool:
        """True when done with (sent, or refused for good); False when `turn` said no."""
        text = render(owed.message)
        chat_id, reply_to = owed.chat_id, owed.reply_to
        backoff = Backoff(first=2.0, cap=8.0)
        for _attempt in range(SEND_ATTEMPTS):
            subjects = self.sends.subjects(str(chat_id), dm=chat_id > 0)
            if not await turn(subjects):
                return False
            try:
                await self.bot.send_message(
                    chat_id,
                    text,
                    parse_mode=ParseMode.HTML,
                    reply_parameters=(
                        ReplyParameters(reply_to, allow_sending_without_reply=True)
                        if reply_to
                        else None
                    ),
                    link_preview_options=NO_PREVIEW,
                    # a reply may carry buttons too (the readings to correct a gathering to)
                    reply_markup=keyboard(owed.message.buttons),
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
                await asyncio.sleep(backoff.next())
        log.warning("telegram: gave up replying in %s", chat_id)
        return True

    async def answer_owed(self, timeout: float = ANSWER_SECONDS) -> None:
        """On stop (the worker halted): the answers on their way finish (callback answers,
        replies on the wire); the replies that were waiting for their turn give it up and go
        together, one message per chat, naming each person. After `timeout`, whatever is still
        unsent is given up (and logged)."""
        deadline = time.monotonic() + timeout
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=timeout)
        if not self.tasks:  # (otherwise out of time, and some may still be on the wire)
            chats: defaultdict[int, list[Owed]] = defaultdict(list)
            for owed in self._owed:
                chats[owed.chat_id].append(owed)
            for chat_id, replies in chats.items():
                if len(replies) == 1:  # as it would have gone
                    self.spawn(self._say_together(replies[0], replies))
                    continue
                for message, part in together(replies):
                    combined = Owed(chat_id, message, None, part[0].actor)
                    self.spawn(self._say_together(combined, part))
        while self.tasks and (left := deadline - time.monotonic()) > 0:
            await asyncio.wait(list(self.tasks), timeout=left)
        if self._owed or self.tasks:
            log.warning(
                "telegram: stopping with %d replies owed and %d sends unfinished",
                len(self._owed),
                len(self.tasks),
            )

    async def abandon(self) -> None:
        """Cancel what `answer_owed` gave up on."""
        tasks = list(self.tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _say_together(self, combined: Owed, owed: list[Owed]) -> None:
        if await self._send(combined, self._paced):
            for each in owed:
                self._owed.pop(each, None)

    async def _paced(self, subjects: list[tuple[Limit, Hashable]]) -> bool:
        """Wait for the turn, stopping or not (the last answers before the client closes)."""
        while (wait := self.worker.pacer.reserve(time.monotonic(), subjects)) > 0:
            await asyncio.sleep(wait)
        return True


def together(owed: list[Owed]) -> list[tuple[Message, list[Owed]]]:
    """Replies owed in one chat as few messages as they fit in, each answer headed by the
    name of the person it answers when there are several (a mention: they are notified, as by
    a reply)."""
    named = len({each.actor.native_id for each in owed}) > 1
    parts: list[tuple[Message, list[Owed]]] = []
    members: list[Owed] = []
    builder, size = MessageBuilder(), 0
    for each in owed:
        actor = each.actor
        first, *rest = each.message.paragraphs or ((),)
        if named:
            name = actor.display_name or actor.native_id
            first = (Span(name, "mention", f"telegram:{actor.native_id}"), Span(": "), *first)
        paragraphs = [first, *rest]
        length = sum(len(span.text) + 1 for paragraph in paragraphs for span in paragraph)
        if members and size + length > TOGETHER_LIMIT:
            parts.append((builder.build(), members))
            builder, members, size = MessageBuilder(), [], 0
        if members:
            builder.line()
        for paragraph in paragraphs:
            builder.line(*paragraph)
        members.append(each)
        size += length
    if members:
        parts.append((builder.build(), members))
    return parts
