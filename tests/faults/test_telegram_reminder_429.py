"""FAULTS.md 9: Telegram answers 429 `retry_after` in the middle of a batch of reminders. The bot
waits at least that long before its next send, and every reminder arrives exactly once."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

import adapters.telegram  # noqa: F401  (sets PTB_TIMEDELTA before PTB is imported)
from adapters.runtime.outbox import OutboxWorker
from adapters.telegram.bot import TelegramBot
from adapters.telegram.settings import TelegramSettings
from core.app import Gather
from core.clock import FixedClock
from core.storage.db import Database
from sandbox.fakes.telegram_server import FakeTelegram
from tests.conftest import make_settings
from tests.domain.chat import Chat, code_in

START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
GATHER = "/gather Beach clean at the pier, Saturday 28 November 2026 10am, need 50 people"
RETRY_AFTER = 2
# Sends started before the 429's answer reached the bot: Telegram's pace is 30 a second, so
# one, or a few on a loaded machine.
IN_FLIGHT_AT_MOST = 3


async def test_a_429_in_a_reminder_batch_pauses_the_bot_and_loses_nothing(
    tg: FakeTelegram, database: Database
) -> None:
    group = tg.create_supergroup("Beach")
    people = [tg.create_user(f"P{i}") for i in range(12)]
    for user in people:
        tg.private_chat(user)
        user.started = True
    clock = FixedClock(START - timedelta(days=2))
    room = f"telegram:{group.id}"
    gather = Gather(make_settings(communities=[{"name": "c", "rooms": [room]}]), database, clock)
    gather.prepare()
    chat = Chat(gather)
    code = code_in(chat.say(f"telegram:{people[0].id}", GATHER, room=room))
    for user in people[1:]:
        chat.say(f"telegram:{user.id}", f"/join {code}", room=room)
    network = TelegramBot(gather, TelegramSettings(base_url=tg.base_url), tg.token)
    await network.app.bot.initialize()
    worker = OutboxWorker(gather, network, poll_seconds=0.02)

    async def tick() -> None:  # the core's clock follows the test's time
        while True:
            await asyncio.sleep(0.05)
            clock.advance(timedelta(seconds=0.05))

    ticking = asyncio.create_task(tick())
    task = asyncio.create_task(worker.run())
    try:
        await tg.wait_for(lambda: tg.bot_messages(group.id), 10)  # the announcement
        await asyncio.sleep(0.3)
        tg.fail_next(
            "sendMessage", times=1, error_code=429, parameters={"retry_after": RETRY_AFTER}
        )
        clock.set(START - timedelta(days=1))  # twelve day-before reminders fall due
        worker._wake.set()

        def reminded() -> list[int]:
            return [sum("tomorrow" in m.text for m in tg.bot_messages(user.id)) for user in people]

        await tg.wait_for(lambda: all(n >= 1 for n in reminded()), 20)
        await asyncio.sleep(0.5)
    finally:
        worker.stop()
        ticking.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)
        await network.app.bot.shutdown()
    assert reminded() == [1] * len(people)  # none lost, none twice
    sends = tg.calls("sendMessage")
    [refused] = [r for r in sends if r.status == 429]
    after = [r.time - refused.time for r in sends if r.time > refused.time]
    # The bot waited as it was told. A send already on the wire when the 429 came back (the
    # worker sends several at once, paced at Telegram's rate) may still arrive inside the
    # window; a bot that ignored retry_after would send all eleven others there.
    inside = [t for t in after if t < RETRY_AFTER * 0.95]
    assert len(inside) <= IN_FLIGHT_AT_MOST, inside
    assert len(after) - len(inside) >= len(people) - 1 - IN_FLIGHT_AT_MOST
