"""A long Telegram outage, with the real adapter and outbox worker against the fake Bot API.

The core's clock is injected: six hours pass in a few seconds. What was owed when the network
went away is delivered once it is back, each message once, as long as it is still useful."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

import adapters.telegram  # noqa: F401  (sets PTB_TIMEDELTA before PTB is imported)
from adapters.runtime.outbox import OutboxWorker
from adapters.telegram.bot import LAST_UPDATE_CURSOR, TelegramBot
from adapters.telegram.settings import TelegramSettings
from core.app import Gather
from core.clock import FixedClock
from core.storage.db import Database
from core.storage.traffic import OutboxMessage
from sandbox.fakes.telegram_server import FakeTelegram, FakeUser
from tests.conftest import make_settings
from tests.domain.chat import Chat, code_in
from tests.telegram.harness import running, section

START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
GATHER = "/gather Beach clean at the pier, Saturday 28 November 2026 10am, need 3 people"


def dms(tg: FakeTelegram, user: FakeUser, words: str) -> int:
    return sum(1 for m in tg.bot_messages(user.id) if words in m.text)


async def test_six_hours_down_then_everything_still_useful_arrives_once(
    tg: FakeTelegram, database: Database
) -> None:
    group = tg.create_supergroup("Beach")
    people = [tg.create_user(name) for name in ("Alice", "Bob", "Carol")]
    for user in people:
        tg.private_chat(user)
        user.started = True
    clock = FixedClock(START - timedelta(hours=10))
    settings = make_settings(communities=[{"name": "c", "rooms": [f"telegram:{group.id}"]}])
    gather = Gather(settings, database, clock)
    gather.prepare()
    network = TelegramBot(gather, TelegramSettings(base_url=tg.base_url), tg.token)
    await network.app.bot.initialize()
    worker = OutboxWorker(gather, network, poll_seconds=0.02, outage_first=0.05, outage_cap=0.2)
    await tg.go_offline()
    task = asyncio.create_task(worker.run())
    try:
        room = f"telegram:{group.id}"
        chat = Chat(gather)
        code = code_in(chat.say(f"telegram:{people[0].id}", GATHER, room=room))
        for user in people[1:]:
            chat.say(f"telegram:{user.id}", f"/join {code}", room=room)  # the third: it's on
        # Six hours without Telegram, in ten-minute steps of the core's clock.
        for _ in range(36):
            await asyncio.sleep(0.1)
            clock.advance(timedelta(minutes=10))
        assert worker.down
        with database.session() as session:
            rows = list(session.scalars(select(OutboxMessage)))
        assert rows and {row.status for row in rows} <= {"pending", "claimed"}
        assert all(row.attempts == 0 for row in rows)  # waiting is not a refusal
        await tg.go_online()
        await tg.wait_for(lambda: all(dms(tg, u, "It's on") == 1 for u in people), 10)
        await tg.wait_for(lambda: tg.bot_messages(group.id), 10)
        clock.set(START - timedelta(hours=2))  # the two-hour reminders fall due
        worker._wake.set()
        await tg.wait_for(lambda: all(dms(tg, u, "starts in 2 hours") == 1 for u in people), 10)
        await asyncio.sleep(0.3)
    finally:
        worker.stop()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)
        await network.app.bot.shutdown()
    posts = Counter(m.text.split("\n")[0] for m in tg.bot_messages(group.id))
    assert all(n == 1 for n in posts.values()), posts  # one announcement post, edited
    for user in people:
        assert dms(tg, user, "It's on") == 1 and dms(tg, user, "starts in 2 hours") == 1
    with database.session() as session:
        due = select(OutboxMessage.status).where(OutboxMessage.not_before <= clock.now())
        statuses = Counter(session.scalars(due))
    assert set(statuses) <= {"sent", "skipped"}, statuses


async def test_the_offline_alarm_fires_only_when_updates_were_missed(
    tg: FakeTelegram, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    group = tg.create_supergroup("Beach")
    alice = tg.create_user("Alice")
    tg.add_member(group, alice)
    clock = FixedClock(START - timedelta(days=5))
    rooms = [{"name": "c", "rooms": [f"telegram:{group.id}"]}]
    gather = Gather(make_settings(communities=rooms, telegram=section(tg)), database, clock)
    gather.prepare()

    async def a_message_is_handled() -> None:
        async with running(tg, gather):
            update = tg.user_sends(group, alice, "/help")
            for _ in range(200):
                if gather.cursor(LAST_UPDATE_CURSOR) == str(update["update_id"]):
                    return
                await asyncio.sleep(0.05)
            raise AssertionError("the update was not handled")

    def alarms() -> int:
        return sum("offline for" in r.getMessage() for r in caplog.records)

    await a_message_is_handled()
    clock.advance(timedelta(hours=30))  # a quiet day and more: nobody wrote
    await a_message_is_handled()
    assert alarms() == 0
    tg.user_sends(group, alice, "/help")  # while the bot is away...
    tg.world.expire_pending_updates()  # ...and Telegram drops it after 24 hours
    clock.advance(timedelta(hours=30))
    await a_message_is_handled()
    assert alarms() == 1
