"""What people see on each fake network, and the real `gather` composition running on them."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from adapters.cli import serve
from core.clock import Clock
from core.config import Settings, load
from sandbox.demo.world import FakeWorld
from sandbox.fakes.discord_server import FakeMember, StoredMessage
from sandbox.fakes.mastodon_entities import Account, Status
from sandbox.fakes.telegram_server import FakeMessage, FakeUser

T = TypeVar("T")
NETWORKS = ["telegram", "discord", "mastodon"]


async def eventually(predicate: Callable[[], T | None], timeout: float = 15.0, what: str = "") -> T:
    """Wait until `predicate()` is truthy (whichever fake it looks at) and return it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (result := predicate()):
        if loop.time() > deadline:
            raise AssertionError(f"not seen within {timeout}s: {what or predicate}")
        await asyncio.sleep(0.05)
    assert result is not None
    return result


def write_settings(world: FakeWorld, tmp_path: Path, database_url: str, **kw: Any) -> Settings:
    path = tmp_path / "bots.toml"
    path.write_text(world.bots_toml(database_url, **kw), encoding="utf-8")
    return load(path, world.environ)


async def ready(world: FakeWorld, networks: list[str] = NETWORKS, timeout: float = 15.0) -> None:
    """Every adapter has connected: commands registered, gateway and stream open."""
    if "telegram" in networks:
        await eventually(lambda: world.tg.commands, timeout, "Telegram setMyCommands")
    if "discord" in networks:
        await eventually(
            lambda: world.dc.global_commands and world.dc.live_sessions(), timeout, "Discord ready"
        )
    if "mastodon" in networks:
        await eventually(lambda: world.m.open_streams >= 1, timeout, "Mastodon stream")


@contextlib.asynccontextmanager
async def running(
    world: FakeWorld, settings: Settings, clock: Clock, networks: list[str] = NETWORKS
) -> AsyncIterator[asyncio.Task[None]]:
    """`gather run` in this process (adapters.cli.serve), on an injected clock."""
    task = asyncio.create_task(serve(settings, world.environ, networks, clock=clock))
    try:
        await ready(world, networks)
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


# What people see ------------------------------------------------------------------------


def tg_announcement(world: FakeWorld, code: str | None = None) -> FakeMessage | None:
    """The bot's announcement in the Telegram group (of `code`, or the latest)."""
    found = None
    for message in world.tg.bot_messages(world.group):
        texts = [message.text, *(text for text, _ in message.history)]
        wanted = f"Code: {code}" if code else "Code: "
        if any(wanted in t for t in texts):
            found = message
    return found


def code_of(post: FakeMessage) -> str:
    """The gathering's code, as its Telegram announcement shows it."""
    return post.text.split("Code: ")[1].split()[0]


def dc_announcement(world: FakeWorld, code: str) -> StoredMessage | None:
    for message in world.dc.channel_messages(world.channel):
        if not message.ephemeral and f"Code: `{code}`" in message.content:
            return message
    return None


def m_announcement(world: FakeWorld, code: str) -> Status | None:
    for status in world.m.posts_by():
        if status.visibility == "public" and f"Code: {code}" in status.text:
            return world.m.status(status.id)
    return None


def announcements(world: FakeWorld, code: str) -> dict[str, str]:
    """The announcement of `code` as it reads now on each network ('' where not posted)."""
    tg, dc, m = (
        tg_announcement(world, code),
        dc_announcement(world, code),
        m_announcement(world, code),
    )
    return {
        "telegram": tg.text if tg else "",
        "discord": dc.content if dc else "",
        "mastodon": m.text if m else "",
    }


async def all_show(world: FakeWorld, code: str, text: str, timeout: float = 15.0) -> None:
    """Wait until the announcement on every network contains `text`."""
    try:
        await eventually(
            lambda: all(text in t for t in announcements(world, code).values()), timeout
        )
    except AssertionError:
        raise AssertionError(
            f"{text!r} not shown everywhere: {announcements(world, code)}"
        ) from None


def tg_dms(world: FakeWorld, user: FakeUser) -> list[str]:
    return [m.text for m in world.tg.bot_messages(world.tg.private_chat(user))]


def dc_dms(world: FakeWorld, member: FakeMember) -> list[str]:
    return [m.content for m in world.dc.channel_messages(world.dc.dm_channel(member))]


def m_dms(world: FakeWorld, account: Account) -> list[str]:
    return [s.text for s in world.m.dms() if account in s.mentions]


def count(texts: list[str], needle: str) -> int:
    return sum(needle.lower() in t.lower() for t in texts)


@dataclass(frozen=True)
class Cast:
    """Who is who on each network (a person may be on several), to count what each person
    was told by DM, wherever it reached them."""

    telegram: dict[str, FakeUser]
    discord: dict[str, FakeMember]
    mastodon: dict[str, Account]

    def told(self, world: FakeWorld, needle: str) -> dict[str, int]:
        counts = dict.fromkeys([*self.telegram, *self.discord, *self.mastodon], 0)
        for name, user in self.telegram.items():
            counts[name] += count(tg_dms(world, user), needle)
        for name, member in self.discord.items():
            counts[name] += count(dc_dms(world, member), needle)
        for name, account in self.mastodon.items():
            counts[name] += count(m_dms(world, account), needle)
        return counts


def code_in(text: str) -> str:
    match = re.search(r"/link ([A-Z0-9]{4,12})", text)
    assert match, text
    return match.group(1)


async def press(world: FakeWorld, member: FakeMember, code: str, action: str = "join") -> str:
    """A Discord member presses a button on the announcement; the answer only they see."""
    post = await eventually(lambda: dc_announcement(world, code), 15, "Discord announcement")
    handle = await world.dc.press_button(world.channel, member, post.id, f"gather:{action}:{code}")
    return (await handle.followup(0, timeout=10)).content


async def slash(world: FakeWorld, member: FakeMember, name: str, options: Any = None) -> str:
    handle = await world.dc.slash_command(world.guild, world.channel, member, name, options)
    return (await handle.followup(0, timeout=10)).content


async def tap(world: FakeWorld, user: FakeUser, code: str, action: str = "j") -> str:
    """A Telegram member taps a button on the announcement; the pop-up they see."""
    post = await eventually(lambda: tg_announcement(world, code), 15, "Telegram announcement")
    update = world.tg.user_taps(world.group, user, post.message_id, f"{action}:{code}")
    query = update["callback_query"]["id"]
    answer = await eventually(lambda: world.tg.callback_answer(query), 10, "callback answer")
    assert answer is not None
    return answer.text or ""


async def tg_says(world: FakeWorld, user: FakeUser, text: str, *, private: bool = False) -> str:
    """A Telegram user sends `text` (in the group, or privately); the bot's reply."""
    chat = world.tg.private_chat(user) if private else world.group
    before = len(world.tg.bot_messages(chat))
    sent = world.tg.user_sends(chat, user, text)["message"]["message_id"]

    def reply() -> str:
        for message in world.tg.bot_messages(chat)[before:]:
            replied = message.params.get("reply_parameters") or {}
            if private or (isinstance(replied, dict) and replied.get("message_id") == sent):
                return message.text
        return ""

    return await eventually(reply, 15, f"Telegram reply to {text!r}")
