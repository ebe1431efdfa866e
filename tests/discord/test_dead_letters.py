"""Discord: a press whose handling raises is answered, kept, and counted once on retry; the
receiver's heartbeat says connected while it runs and not after it stops."""

from __future__ import annotations

from datetime import timedelta

from core.storage.db import Database
from tests.discord.harness import World, code_of, running, until
from tests.operations.refusing import allow_writes, refuse_writes

TEXT = "Beach clean at Portobello beach, Saturday 10am, need 3 people"


async def test_a_failed_press_is_kept_and_counted_once_on_retry(
    world: World, database: Database
) -> None:
    gather = world.gather(database)
    async with running(gather, world) as network:
        receiving = network.interactions.inbound
        receiving.first_retry = timedelta(0)
        await until(lambda: [s.connected for s in gather.operations.status().networks] == [True])
        code = code_of(await world.slash(world.organiser, "gather", {"text": TEXT}))
        post = await world.announcement(code)

        refuse_writes(database, "pledges")
        answer = await world.press(world.member, post, "join", code)
        assert "You're in" not in answer.content
        (letter,) = gather.operations.dead_letters("discord")
        assert letter.event_key.startswith("interaction:")

        allow_writes(database, "pledges")
        assert await receiving.retry_due() == 1
        await world.announcement(code, lambda m: "2 going of 3 needed" in m.content)
        assert await receiving.retry_due() == 0
        assert gather.operations.dead_letters() == []
    (state,) = gather.operations.status().networks
    assert not state.connected  # stopped: it says so at once, not after a stale beat
