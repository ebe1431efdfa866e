"""Gatherings mirrored as Discord scheduled events (`scheduled_events = true`)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import pytest

from adapters.discord.events import Mirrored
from core.app import Gather
from core.storage.db import Database
from sandbox.fakes.discord_server import Perm
from tests.discord.harness import World, code_of, running, until

TEXT = "Picnic at the Meadows, Sunday 2pm, need 30 people"
EVENTS = r"/guilds/\d+/scheduled-events"


def events(world: World) -> list[dict[str, Any]]:
    return list(world.dc.scheduled_events[world.guild.id].values())


def event_requests(world: World, method: str) -> list[Any]:
    return world.dc.requests_to(method, EVENTS)


async def start(world: World, text: str = TEXT) -> tuple[str, Any]:
    code = code_of(await world.slash(world.organiser, "gather", {"text": text}))
    return code, await world.announcement(code)


async def test_a_gathering_becomes_an_event_that_follows_edits_and_cancellation(
    world: World, database: Database
) -> None:
    dc = world.dc
    gather = world.gather(database)
    async with running(gather, world, scheduled_events=True):
        code, post = await start(world)
        [event] = await dc.wait_for(lambda: events(world))
        start_time = datetime.fromisoformat(event["scheduled_start_time"])
        end_time = datetime.fromisoformat(event["scheduled_end_time"])
        assert event["name"] == "Picnic"
        assert event["entity_type"] == 3 and event["privacy_level"] == 2
        assert event["entity_metadata"] == {"location": "the Meadows"}
        assert start_time.weekday() == 6 and end_time - start_time == timedelta(hours=2)
        assert code in event["description"]
        assert f"/{world.channel.id}/{post.id}" in event["description"]

        # Joining changes the announcement's count, never the event.
        for member in (world.member, world.manager):
            await world.press(member, post, "join", code)
        await world.announcement(code, lambda m: "👥 3 going" in m.content)
        # An edit of the place: its mirroring comes after the joins' (the worker takes the
        # next batch only when this one is through), so by then they would have patched.
        await world.slash(world.organiser, "edit", {"code": code, "change": "where the Links"})
        await dc.wait_for(lambda: events(world)[0]["entity_metadata"]["location"] == "the Links")
        assert len(event_requests(world, "PATCH")) == 1

    # After a restart the mirror remembers its event: edits change it, nothing is doubled.
    async with running(gather, world, scheduled_events=True):
        # The same day two hours later, by its date: "Sunday 4pm" would be today on a Sunday
        # between 2pm and 4pm (the bot runs on the real clock here).
        later = f"when {start_time:%d %B %Y} 4pm"
        await world.slash(world.organiser, "edit", {"code": code, "change": later})
        await dc.wait_for(
            lambda: (
                datetime.fromisoformat(events(world)[0]["scheduled_start_time"])
                == start_time + timedelta(hours=2)
            )
        )
        await world.slash(world.organiser, "cancel", {"code": code})
        await dc.wait_for(lambda: events(world)[0]["status"] == 4)
    assert len(events(world)) == 1
    assert len(event_requests(world, "POST")) == 1
    assert len(event_requests(world, "PATCH")) == 3  # the two edits and the cancellation


async def test_without_the_setting_there_are_no_events(world: World, database: Database) -> None:
    gather = world.gather(database)
    async with running(gather, world):
        code, post = await start(world)
        await world.press(world.member, post, "join", code)
        await world.announcement(code, lambda m: "👥 2 going" in m.content)
    assert events(world) == [] and event_requests(world, "POST") == []


async def test_a_guild_that_refuses_events_is_told_once_and_left_alone(
    world: World, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    dc = world.dc
    bot = world.guild.members[dc.bot_user.id]
    for role in bot.roles:
        role.permissions &= ~(Perm.MANAGE_EVENTS | Perm.CREATE_EVENTS)
    gather = world.gather(database)
    with caplog.at_level(logging.WARNING, logger="adapters.discord.events"):
        async with running(gather, world, scheduled_events=True):
            code, post = await start(world)
            await dc.wait_for(lambda: event_requests(world, "POST"))
            await world.slash(world.organiser, "edit", {"code": code, "change": "when Sunday 4pm"})
            await world.announcement(code, lambda m: "16:00" in m.content)
            await world.press(world.member, post, "join", code)
            await world.announcement(code, lambda m: "👥 2 going" in m.content)
    [refused] = event_requests(world, "POST")
    assert refused.status == 403
    assert dc.invalid_requests == 1  # asked once, then left alone
    assert [r.message for r in caplog.records].count(
        "discord: no scheduled events in Gatherers: the bot needs the Manage Events "
        "permission there (or set scheduled_events = false)"
    ) == 1


async def test_an_event_a_moderator_deleted_is_not_made_again(
    world: World, database: Database
) -> None:
    dc = world.dc
    gather = world.gather(database)
    async with running(gather, world, scheduled_events=True):
        code, post = await start(world)
        [event] = await dc.wait_for(lambda: events(world))
        del dc.scheduled_events[world.guild.id][int(event["id"])]
        await world.slash(world.organiser, "edit", {"code": code, "change": "when Sunday 4pm"})
        await world.announcement(code, lambda m: "16:00" in m.content)
        await dc.wait_for(lambda: dc.requests_to("GET", EVENTS + r"/\d+"))
        # It remembers that the event is gone, so later edits leave it alone.
        await until(lambda: _mirrored(gather, world, code).status == "gone")
        await world.slash(world.organiser, "edit", {"code": code, "change": "when Sunday 5pm"})
        await world.announcement(code, lambda m: "17:00" in m.content)
        # A join after it: the worker takes its edit only once the 5pm edit's mirroring is
        # through, so a second look at the event would have been made by then.
        await world.press(world.member, post, "join", code)
        await world.announcement(code, lambda m: "👥 2 going" in m.content)
    assert events(world) == []
    assert len(event_requests(world, "POST")) == 1
    assert len(dc.requests_to("GET", EVENTS + r"/\d+")) == 1  # then it stopped asking


def _mirrored(gather: Gather, world: World, code: str) -> Mirrored:
    stored = Mirrored.parse(gather.mirror("discord", str(world.channel.id), code))
    return stored or Mirrored(-1, 0, "none")
