"""/tell on Discord, for real against the fake server: a pledger hears it by DM, and one whose
DMs are closed hears it by a mention in the channel (issue 16 §4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.storage.db import Database
from sandbox.demo.clock import ScriptedClock
from tests.discord.harness import World, code_of, running, until

TEXT = "Picnic at the Meadows, Sunday 2pm, need 30 people"
SAID = "Meet at the oak tree, bring a blanket"


async def test_tell_reaches_a_pledger_by_dm_and_a_closed_dm_by_a_mention(
    world: World, database: Database
) -> None:
    dc = world.dc
    clock = ScriptedClock(datetime.now(UTC))
    gather = world.gather(database, clock)
    async with running(gather, world):
        code = code_of(await world.slash(world.organiser, "gather", {"text": TEXT}))
        post = await world.announcement(code)
        await world.press(world.member, post, "join", code)
        await world.press(world.closed, post, "join", code)
        answer = await world.slash(world.organiser, "tell", {"code": code, "message": SAID})
        assert answer.ephemeral
        assert "Sent to 2 people: 2 by direct message, 0 by a mention" in answer.content
        assert "cleo" not in answer.content and "mo" not in answer.content.split()
        await dc.wait_for(lambda: any(SAID in t for t in world.dms(world.member)))
        # Cleo's DM is refused: she is told in the channel, once the refusals have settled.
        closed = str(world.closed.user.id)
        await until(lambda: gather.dm_status("discord", closed) == "unreachable")
        clock.advance(timedelta(minutes=2))
        mention = await dc.wait_for(
            lambda: next(
                (
                    m
                    for m in dc.channel_messages(world.channel)
                    if not m.ephemeral and f"<@{closed}>" in m.content and SAID in m.content
                ),
                None,
            ),
            timeout=10,
        )
        assert "@everyone" not in mention.content
        # Known to be unreachable now: the next /tell says so in its count.
        again = await world.slash(world.organiser, "tell", {"code": code, "message": "Rain plan"})
        assert "Sent to 2 people: 1 by direct message, 1 by a mention" in again.content
