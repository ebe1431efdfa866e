"""Roles on Discord: a button per role on the announcement; pressing one joins that role,
another moves you; the post counts each role against its target, and says when it is on."""

from __future__ import annotations

from core.storage.db import Database
from tests.discord.harness import World, code_of, running

TEXT = "Beach clean at Portobello beach, Saturday 10am, need 2 pickers and 1 driver"


async def test_pressing_a_role_button_joins_that_role(world: World, database: Database) -> None:
    dc = world.dc
    gather = world.gather(database)
    async with running(gather, world):
        reply = await world.slash(world.organiser, "gather", {"text": TEXT})
        code = code_of(reply)
        post = await world.announcement(code)
        assert "Pickers 1/2 · Driver 0/1" in post.content
        assert post.custom_ids() == [
            f"gather:join:{code}:pickers",
            f"gather:join:{code}:driver",
            f"gather:leave:{code}",
            f"gather:guest:{code}",
        ]

        pressed = await dc.press_button(
            world.channel, world.member, post.id, f"gather:join:{code}:driver")
        answer = await pressed.followup(0)
        assert answer.ephemeral and "Your role: Driver" in answer.content
        post = await world.announcement(code, lambda m: "Driver 1/1" in m.content)
        assert "Still needed: Pickers: 1." in post.content and "It's on" not in post.content

        # The manager takes the last picker's place: every role has its people, it's on.
        pressed = await dc.press_button(
            world.channel, world.manager, post.id, f"gather:join:{code}:pickers")
        await pressed.followup(0)
        post = await world.announcement(code, lambda m: "It's on" in m.content)
        assert "Pickers 2/2 · Driver 1/1" in post.content

        # /join with the role option, and no code: the channel's latest gathering.
        said = await world.slash(world.manager, "join", {"role": "drivers"})
        assert "Your role: Driver" in said.content
        await world.announcement(code, lambda m: "Pickers 1/2 · Driver 2/1" in m.content)
        pressed = await dc.press_button(
            world.channel, world.manager, post.id, f"gather:join:{code}:pickers")
        await pressed.followup(0)

        # The member moves to picking: the driver's place is empty again.
        pressed = await dc.press_button(
            world.channel, world.member, post.id, f"gather:join:{code}:pickers")
        assert "Your role: Pickers" in (await pressed.followup(0)).content
        await world.announcement(code, lambda m: "Pickers 3/2 · Driver 0/1" in m.content)
