"""A whole gathering in a guild channel, as its members see it on Discord."""

from __future__ import annotations

from core.storage.db import Database
from tests.discord.harness import World, code_of, running

TEXT = "Beach clean at Portobello beach, Saturday 10am, need 3 people"


async def test_a_gathering_from_slash_command_to_cancellation(
    world: World, database: Database
) -> None:
    dc = world.dc
    gather = world.gather(database)
    async with running(gather, world) as network:
        assert {c["name"] for c in dc.global_commands} >= {"gather", "join", "cancel", "help"}
        reply = await world.slash(world.organiser, "gather", {"text": TEXT})
        assert reply.ephemeral and "Beach clean" in reply.content
        code = code_of(reply)

        post = await world.announcement(code)
        assert "1 going of 3 needed" in post.content
        assert post.custom_ids() == [
            f"gather:join:{code}",
            f"gather:leave:{code}",
            f"gather:guest:{code}",
        ]
        assert post.allowed_mentions == {"parse": []}

        answer = await world.press(world.member, post, "join", code)
        assert answer.ephemeral and "You're in" in answer.content
        await world.announcement(code, lambda m: "2 going of 3 needed" in m.content)

        await world.press(world.manager, post, "guest", code)
        post = await world.announcement(code, lambda m: "It's on" in m.content)
        assert "4 going of 3 needed" in post.content  # the manager and a friend
        for person in (world.organiser, world.member, world.manager):
            await dc.wait_for(lambda p=person: any("It's on" in t for t in world.dms(p)))

        edited = await world.slash(world.organiser, "edit", {"code": code, "change": "need 10"})
        assert edited.ephemeral
        await world.announcement(code, lambda m: "of 10 needed" in m.content)

        cancelled = await world.slash(world.organiser, "cancel", {"code": code, "reason": "storm"})
        assert cancelled.ephemeral
        post = await world.announcement(code, lambda m: "CANCELLED" in m.content)
        assert post.custom_ids() == []
        assert len([m for m in world.announcements()]) == 1  # edited in place, never re-posted
        await dc.wait_for(lambda: any("storm" in t for t in world.dms(world.member)))
    assert network.ready_count == 1 and dc.identify_count == 1
    assert dc.rate_limit_hits == 0 and dc.invalid_requests == 0
    # Every interaction answered once, first with a deferral.
    for handle in dc.interactions.values():
        assert len(handle.callbacks) == 1 and handle.callbacks[0]["type"] == 5
