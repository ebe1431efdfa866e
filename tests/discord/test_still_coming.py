""" "Still coming?" on Discord: buttons on the reminder DM, and on the channel post for someone
whose DMs are closed, answered ephemerally; discord.py against the fake Discord."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.clock import FixedClock
from core.storage.db import Database
from sandbox.fakes.discord_server import StoredMessage
from tests.discord.harness import World, code_of, running

START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
TEXT = "Beach clean at Portobello beach, Saturday 28 November 2026 10am, max 3"


def asking(messages: list[StoredMessage]) -> StoredMessage | None:
    return next((m for m in messages if "Still coming?" in m.content and m.custom_ids()), None)


async def test_the_buttons_on_the_dm_and_in_the_channel_answer_privately(
    world: World, database: Database
) -> None:
    dc = world.dc
    clock = FixedClock(START - timedelta(days=3))
    gather = world.gather(database, clock)
    async with running(gather, world):
        code = code_of(await world.slash(world.organiser, "gather", {"text": TEXT}))
        post = await world.announcement(code)
        await world.press(world.member, post, "join", code)
        await world.press(world.closed, post, "join", code)  # cleo: DMs closed
        await world.announcement(code, lambda m: "3 going" in m.content)

        clock.set(START - timedelta(days=1))
        dm = dc.dm_channel(world.member)
        question = await dc.wait_for(lambda: asking(dc.channel_messages(dm)), 10)
        assert question.custom_ids() == [f"gather:still:{code}:yes", f"gather:still:{code}:no"]
        pressed = await dc.press_button(dm, world.member, question.id, f"gather:still:{code}:yes")
        said = await pressed.followup(0)
        assert said.ephemeral and "you're confirmed for Beach clean" in said.content
        await world.announcement(code, lambda m: "1 confirmed" in m.content)

        # Cleo's DM is refused: she is asked in the channel, with the buttons.
        clock.advance(timedelta(minutes=2))
        in_channel = await dc.wait_for(lambda: asking(dc.channel_messages(world.channel)), 10)
        assert f"<@{world.closed.user.id}>" in in_channel.content
        pressed = await dc.press_button(
            world.channel, world.closed, in_channel.id, f"gather:still:{code}:no"
        )
        said = await pressed.followup(0)
        assert said.ephemeral and "free for someone else" in said.content
        await world.announcement(code, lambda m: "2 going" in m.content)

        clock.advance(timedelta(minutes=5))
        opened = await dc.wait_for(
            lambda: next(
                (m for m in dc.channel_messages(world.channel) if "place has opened" in m.content),
                None,
            ),
            10,
        )
        assert opened.custom_ids() == [f"gather:join:{code}"]
