"""Watches the three fake networks and prints what people there would see, as it happens."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TextIO

from sandbox.demo.world import FakeWorld

# Lines of an edited announcement worth repeating: the count, "it's on", the time, cancelled.
_NEWS = ("👥", "✅", "🗓", "CANCELLED")
MAX_LINES = 8  # longer messages (the /start greeting) are shortened in the transcript
_MENTION = re.compile(r"<@!?(\d+)>")  # a Discord mention, shown as the name it pings


class Narrator:
    """Prints every bot message on each fake once, and every edit as the lines that changed."""

    def __init__(self, world: FakeWorld, out: TextIO) -> None:
        self.world = world
        self.out = out
        self._seen: dict[tuple[str, int | str], str] = {}
        self._printed: set[str] = set()

    def say(self, where: str, text: str) -> None:
        text = _MENTION.sub(self._mentioned, text)
        lines = text.splitlines() or [""]
        if len(lines) > 1 and text in self._printed:
            lines = [lines[0] + " …(as above)"]
        self._printed.add(text)
        if len(lines) > MAX_LINES:
            lines = [*lines[: MAX_LINES - 1], f"… ({len(lines) - MAX_LINES + 1} more lines)"]
        print(f"[{where}] {lines[0]}", file=self.out)
        for line in lines[1:]:
            print(f"    {line}", file=self.out)
        self.out.flush()

    def act(self, where: str, text: str) -> None:
        """Something a person does: printed after whatever the bots have shown until now."""
        self.observe()
        self.say(where, text)

    def _mentioned(self, match: re.Match[str]) -> str:
        user = self.world.dc.users.get(int(match.group(1)))
        return f"@{user.username} (pinged)" if user else match.group(0)

    def step(self, text: str) -> None:
        self.observe()
        print(f"\n— {text}", file=self.out)
        self.out.flush()

    def observe(self) -> None:
        """Print what is new since the last look."""
        for key, where, text in self._everything():
            before = self._seen.get(key)
            if before == text:
                continue
            self._seen[key] = text
            if before is None:
                self.say(where, f"bot: {text}")
            else:
                old = set(before.splitlines())
                changed = [line for line in text.splitlines() if line not in old]
                news = [line for line in changed if line.lstrip("*_").startswith(_NEWS)]
                self.say(where, "bot edited the announcement: " + " | ".join(news or changed))

    def _everything(self) -> Iterator[tuple[tuple[str, int | str], str, str]]:
        w = self.world
        for chat in list(w.tg.chats.values()):
            if chat.id == w.group.id:
                where = f"Telegram #{w.group.title}"
            elif chat.type == "private":
                where = f"Telegram DM → {chat.first_name}"
            else:
                continue
            for message in w.tg.bot_messages(chat):
                yield ("tg", f"{chat.id}:{message.message_id}"), where, message.text
        for channel in list(w.dc.channels.values()):
            if channel.id == w.channel.id:
                where = f"Discord #{w.channel.name}"
            elif channel.recipient is not None:
                where = f"Discord DM → {channel.recipient.username}"
            else:
                continue
            for posted in w.dc.channel_messages(channel):
                if not posted.ephemeral and posted.content:
                    yield ("dc", posted.id), where, posted.content
        for status in w.m.posts_by():
            if status.visibility == "direct":
                to = ", ".join(f"@{a.acct}" for a in status.mentions) or "?"
                where = f"Mastodon DM → {to}"
            elif status.in_reply_to is not None:
                where = f"Mastodon reply to @{status.in_reply_to.account.acct}"
            else:
                where = f"Mastodon @{w.m.bot.acct}@{w.m.domain}"
            yield ("m", status.id), where, status.text

    @contextlib.asynccontextmanager
    async def watching(self, every: float = 0.05) -> AsyncIterator[None]:
        async def loop() -> None:
            while True:
                self.observe()
                await asyncio.sleep(every)

        task = asyncio.create_task(loop())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            self.observe()


async def until(predicate: Callable[[], object], timeout: float = 20.0) -> None:
    """Wait for something to show on a fake (the adapters and their workers take a moment)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError(f"the demo waited {timeout:g}s and it did not happen")
        await asyncio.sleep(0.05)
