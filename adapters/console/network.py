"""The console network: chat with the bot in a terminal, as several people in several rooms.

It is a real network to the core (its own rooms, identities and outbox), so what works here
works on the others. Lines starting with /as, /room and /admin change who and where you are.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
from collections.abc import Callable, Hashable

from adapters.console.render import render
from adapters.runtime.outbox import OutboxWorker
from core import (
    Command,
    Delivery,
    Gather,
    Identity,
    Limit,
    Message,
    Notice,
    Outcome,
    Recipient,
    RoomRef,
    Sent,
)


class ConsoleNetwork:
    name = "console"

    def __init__(
        self,
        gather: Gather,
        *,
        user: str = "alice",
        room: str = "#beach",
        out: Callable[[str], None] = print,
    ) -> None:
        self.gather = gather
        self.user = user
        self.room = room
        self.is_admin = False
        self.out = out
        self._ids = itertools.count(1)
        self.worker = OutboxWorker(gather, self, poll_seconds=0.5)

    @property
    def prompt(self) -> str:
        return f"[{self.user} @ {self.room}] > "

    async def say(self, line: str) -> bool:
        """Handle one typed line, then deliver whatever it caused. False means quit."""
        line = line.strip()
        if not line:
            return True
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if word == "/quit":
            return False
        if word == "/as":
            self.user = _name(rest) or self.user
            self.out(self._notice("console_as", person=self.user))
        elif word == "/room":
            self.room = "#" + (_name(rest.lstrip("#")) or self.room.lstrip("#"))
            self.out(self._notice("console_room", chat=self.room))
        elif word == "/admin":
            self.is_admin = not self.is_admin
            admin: Notice = "console_admin_on" if self.is_admin else "console_admin_off"
            self.out(self._notice(admin, person=self.user))
        elif word in ("/consolehelp", "/console"):
            self.out(self._notice("console_help"))
        else:
            command = Command(
                actor=Identity("console", self.user, self.user, self.user),
                room=RoomRef("console", self.room, title=self.room),
                text=line,
                # A typed line is never delivered twice, so it needs no deduplication key.
                actor_is_admin=self.is_admin,
            )
            reply = await asyncio.to_thread(self.gather.handle, command)
            if reply.message is not None:
                self.out(f"[bot → {self.user}] " + render(reply.message))
        await self.worker.drain()
        return True

    async def run(self) -> None:
        self.out(self._notice("console_help"))
        worker = asyncio.create_task(self.worker.run())
        try:
            while True:
                try:
                    line = await asyncio.to_thread(input, self.prompt)
                except EOFError:
                    return
                if not await self.say(line):
                    return
        finally:
            worker.cancel()

    def _notice(self, notice: Notice, **values: object) -> str:
        """The console's own lines, in the language of the room you are in."""
        return self.gather.notice(RoomRef("console", self.room), notice, **values)

    # Outbound ---------------------------------------------------------------------------

    def limits_for(self, delivery: Delivery) -> list[tuple[Limit, Hashable]]:
        return []  # a terminal takes whatever it is given

    async def announce(self, delivery: Delivery) -> Outcome:
        chat_id, message_id = delivery.chat_id, delivery.message_id
        if message_id is None:
            message_id = str(next(self._ids))
            self.out(f"[bot → {chat_id}] (post {message_id})\n{render(delivery.message)}")
        else:
            self.out(f"[bot edits post {message_id} in {chat_id}]\n{render(delivery.message)}")
        return Sent(message_id)

    async def send_to_chat(self, chat_id: str, message: Message) -> Outcome:
        self.out(f"[bot → {chat_id}] {render(message)}")
        return Sent(str(next(self._ids)))

    async def send_dm(self, recipient: Recipient, message: Message) -> Outcome:
        self.out(f"[bot → {recipient.native_id} (DM)] {render(message)}")
        return Sent(str(next(self._ids)))


def _name(text: str) -> str:
    cleaned = "".join(ch for ch in text.split()[0] if ch.isalnum() or ch in "_-.") if text else ""
    return cleaned[:40]


def is_interactive() -> bool:
    return sys.stdin.isatty()
