"""The demo's script: who does what, on which network, and what to wait for."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from adapters.cli import serve
from core.config import load
from core.storage.db import upgrade
from sandbox.demo.clock import ScriptedClock
from sandbox.demo.narrator import Narrator, until
from sandbox.demo.world import FakeWorld, fake_world
from sandbox.fakes.discord_server import FakeMember
from sandbox.fakes.telegram_server import FakeUser

ZONE = ZoneInfo("Europe/London")


def _day(moment: datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B}"


async def journey(folder: Path, out: TextIO, pause: float) -> None:
    database_url = f"sqlite:///{folder / 'demo.sqlite3'}"
    upgrade(database_url)
    today = datetime.now(ZONE).replace(hour=9, minute=0, second=0, microsecond=0)
    clock = ScriptedClock(today)
    async with fake_world() as world:
        config = folder / "bots.toml"
        config.write_text(world.bots_toml(database_url), encoding="utf-8")
        settings = load(config, world.environ)
        narrator = Narrator(world, out)
        print(
            "Gather demo: fake Telegram, Discord and Mastodon servers on 127.0.0.1, the real\n"
            "bots talking to them, a throwaway SQLite database, and a clock the script moves.\n"
            f"One community links Telegram #{world.group.title}, Discord #{world.channel.name}"
            f" and Mastodon (the bot posts publicly as @{world.m.bot.acct}@{world.m.domain}).",
            file=out,
        )
        task = asyncio.create_task(
            serve(settings, world.environ, ["telegram", "discord", "mastodon"], clock=clock)
        )
        try:
            await until(lambda: world.tg.commands and world.dc.global_commands)
            await until(lambda: world.m.open_streams >= 1)
            async with narrator.watching():
                await _story(world, narrator, clock, pause)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _story(world: FakeWorld, say: Narrator, clock: ScriptedClock, pause: float) -> None:
    tg, dc, m = world.tg, world.dc, world.m
    group = f"Telegram #{world.group.title}"
    channel = f"Discord #{world.channel.name}"
    alice, bob, lee = (tg.create_user(n, username=n.lower()) for n in ("Alice", "Bob", "Lee"))
    for person in (alice, bob, lee):
        tg.add_member(world.group, person)
    dana, cleo, lee_dc = (dc.add_member(world.guild, n) for n in ("dana", "cleo", "lee"))
    dc.close_dms(cleo)
    sam = m.create_account("sam")

    async def beat() -> None:
        await asyncio.sleep(pause)

    def dms_with(chat_id: int) -> list[str]:
        return [msg.text for msg in tg.bot_messages(tg.private_chat(tg.users[chat_id]))]

    say.step("Alice, Bob and Lee open a private chat with the bot on Telegram (so it may DM them).")
    for person in (alice, bob, lee):
        say.act(f"Telegram DM → {person.first_name}", f"{person.first_name}: /start")
        tg.user_starts_bot(person)
    await until(lambda: all(dms_with(p.id) for p in (alice, bob, lee)))
    await beat()

    when = datetime.now(ZONE) + timedelta(days=5)
    text = f"/gather Beach clean at Portobello beach, {_day(when)} 10am, need 5 people"
    say.step("Alice starts a gathering in the Telegram group.")
    say.act(group, f"Alice: {text}")
    tg.user_sends(world.group, alice, text)
    post = await _announced(world)
    code = post.split("Code: ")[1].split()[0]
    await beat()

    say.step("Dana presses I'm in on Discord.")
    say.act(channel, "dana pressed [I'm in]")
    answer = await _press(world, dana, code)
    say.act(channel, f"(only dana sees) bot: {answer}")
    await _everywhere(world, code, "2 going")
    await beat()

    say.step("Sam boosts the announcement on Mastodon: that is how you join there.")
    toot = next(s for s in m.posts_by() if f"Code: {code}" in s.text)
    say.act(f"Mastodon @{m.bot.acct}@{m.domain}", f"@{sam.acct}@{m.domain} boosted")
    m.boost(sam, toot.id)
    await _everywhere(world, code, "3 going")
    await beat()

    say.step("Bob taps I'm in on Telegram.")
    say.act(group, "Bob tapped [I'm in]")
    say.act(group, f"(pop-up for Bob) {await _tap(world, bob, code)}")
    await _everywhere(world, code, "4 going")
    await beat()

    say.step("Lee is on Telegram and Discord: they link the two, so they count once.")
    say.act("Telegram DM → Lee", "Lee: /link")
    tg.user_sends(tg.private_chat(lee), lee, "/link")
    reply = await _until_value(lambda: next((t for t in dms_with(lee.id) if "/link " in t), ""))
    link_code = reply.split("/link ", 1)[1].split()[0]
    say.act(channel, f"lee: /link {link_code}")
    handle = await dc.slash_command(world.guild, world.channel, lee_dc, "link", {"code": link_code})
    say.act(channel, f"(only lee sees) bot: {(await handle.followup(0, 10)).content}")
    say.act(channel, "lee pressed [I'm in]")
    say.act(channel, f"(only lee sees) bot: {await _press(world, lee_dc, code)}")
    await _everywhere(world, code, "It's on")
    say.act(group, "Lee tapped [I'm in] as well")
    say.act(group, f"(pop-up for Lee) {await _tap(world, lee, code)}")
    await until(lambda: sum("It's on!" in t for t in _all_dms(world)) >= 5)
    await beat()

    say.step("Cleo joins on Discord, but she does not accept DMs from server members.")
    say.act(channel, "cleo pressed [I'm in]")
    say.act(channel, f"(only cleo sees) bot: {await _press(world, cleo, code)}")
    await _everywhere(world, code, "6 going")
    await beat()

    later = when + timedelta(days=1)
    say.step("Alice moves it a day later: everyone who joined is told.")
    edit = f"/edit {code} when {_day(later)} 11am"
    say.act(group, f"Alice: {edit}")
    tg.user_sends(world.group, alice, edit)
    await until(lambda: sum("Changed:" in t for t in _all_dms(world)) >= 4)
    await beat()

    start = later.replace(hour=11, minute=0, second=0, microsecond=0)
    clock.set(start - timedelta(days=1))
    say.step(
        f"The clock jumps to {clock.now().astimezone(ZONE):%A %H:%M}: the day-before reminders."
    )
    await until(lambda: sum("Reminder:" in t for t in _all_dms(world)) >= 4)
    await until(lambda: any("a reminder" in t for t in _channel(world)))
    await beat()

    say.step("The forecast says storm. Alice cancels; everyone who joined hears it.")
    cancel = f"/cancel {code} storm forecast"
    say.act(group, f"Alice: {cancel}")
    tg.user_sends(world.group, alice, cancel)
    await _everywhere(world, code, "CANCELLED")
    await until(lambda: sum("storm forecast" in t for t in _all_dms(world)) >= 4)
    await asyncio.sleep(0.3)


def _channel(world: FakeWorld) -> list[str]:
    return [m.content for m in world.dc.channel_messages(world.channel) if not m.ephemeral]


def _all_dms(world: FakeWorld) -> list[str]:
    tg, dc, m = world.tg, world.dc, world.m
    texts = [
        msg.text
        for chat in list(tg.chats.values())
        if chat.type == "private"
        for msg in tg.bot_messages(chat)
    ]
    texts += [
        msg.content
        for channel in list(dc.channels.values())
        if channel.recipient is not None
        for msg in dc.channel_messages(channel)
    ]
    return texts + [status.text for status in m.dms()]


def _announcements(world: FakeWorld, code: str) -> list[str]:
    tg = [m.text for m in world.tg.bot_messages(world.group) if f"Code: {code}" in m.text]
    dc = [t for t in _channel(world) if f"Code: `{code}`" in t]
    m = [s.text for s in world.m.posts_by() if f"Code: {code}" in s.text]
    return [*tg[:1], *dc[:1], *m[:1]]


async def _everywhere(world: FakeWorld, code: str, text: str) -> None:
    await until(
        lambda: (
            (shown := _announcements(world, code))
            and len(shown) == 3
            and all(text in t for t in shown)
        )
    )


async def _announced(world: FakeWorld) -> str:
    def posted() -> str:
        for message in world.tg.bot_messages(world.group):
            if "Code: " in message.text:
                return message.text
        return ""

    text = await _until_value(posted)
    code = text.split("Code: ")[1].split()[0]
    await until(lambda: len(_announcements(world, code)) == 3)
    return text


async def _until_value(find: Callable[[], str]) -> str:
    found = [""]

    def check() -> str:
        found[0] = find()
        return found[0]

    await until(check)
    return found[0]


async def _press(world: FakeWorld, member: FakeMember, code: str) -> str:
    post = next(
        msg
        for msg in world.dc.channel_messages(world.channel)
        if not msg.ephemeral and f"Code: `{code}`" in msg.content
    )
    handle = await world.dc.press_button(world.channel, member, post.id, f"gather:join:{code}")
    return (await handle.followup(0, 10)).content


async def _tap(world: FakeWorld, user: FakeUser, code: str) -> str:
    post = next(m for m in world.tg.bot_messages(world.group) if f"Code: {code}" in m.text)
    update = world.tg.user_taps(world.group, user, post.message_id, f"j:{code}")
    query = update["callback_query"]["id"]
    await until(lambda: world.tg.callback_answer(query))
    answer = world.tg.callback_answer(query)
    return (answer.text or "") if answer else ""
