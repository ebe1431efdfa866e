"""The adapter under real conditions: restarts, refused DMs, gateway drops, rate limits,
hostile text, permissions, tampered and repeated interactions."""

from __future__ import annotations

import asyncio
import copy
import re

from core.storage.db import Database
from core.words import i18n
from sandbox.fakes.discord_interactions import InteractionHandle
from sandbox.fakes.discord_models import snowflake
from sandbox.fakes.discord_server import FakeMember, StoredMessage
from tests.discord.harness import World, code_of, running, until

DM_HINT = i18n.text("en", "network.dm_settings_hint")
EXPIRED_BUTTON = i18n.text("en", "network.stale_button")

TEXT = "Picnic at the Meadows, Sunday 2pm, need 30 people"


async def start(world: World, text: str = TEXT) -> tuple[str, StoredMessage]:
    reply = await world.slash(world.organiser, "gather", {"text": text})
    code = code_of(reply)
    return code, await world.announcement(code)


def going(n: int) -> object:
    return lambda m: f"👥 {n} going" in m.content


async def test_buttons_on_a_post_from_before_a_restart_still_count(
    world: World, database: Database
) -> None:
    gather = world.gather(database)
    async with running(gather, world):
        code, post = await start(world)
    async with running(gather, world) as again:
        answer = await world.press(world.member, post, "join", code)
        assert "You're in" in answer.content
        await world.announcement(code, going(2))
    assert world.dc.identify_count == 2 and again.ready_count == 1
    # The tree was synced by each process once (a PUT of the same commands is idempotent).
    assert len(world.dc.requests_to("PUT", r"/commands$")) == 2


async def test_a_refused_dm_keeps_the_pledge_is_not_retried_and_is_explained_once(
    world: World, database: Database
) -> None:
    dc = world.dc
    gather = world.gather(database)
    async with running(gather, world):
        code, post = await start(world, "Picnic at the Meadows, Sunday 2pm, need 2 people")
        await world.press(world.closed, post, "join", code)
        await world.announcement(code, lambda m: "It's on" in m.content and going(2)(m))
        dm = dc.dm_channel(world.closed).id
        refused = await dc.wait_for(lambda: dc.requests_to("POST", f"/channels/{dm}/messages"))
        assert refused[0].status == 403
        await until(lambda: gather.dm_status("discord", str(world.closed.user.id)) == "unreachable")
        await asyncio.sleep(0.3)
        assert len(dc.requests_to("POST", f"/channels/{dm}/messages")) == 1  # never retried
        assert any("It's on" in t for t in world.dms(world.organiser))

        first = await world.slash(world.closed, "who", {"code": code})
        assert first.ephemeral and _plain(DM_HINT) in _plain(first.content)
        second = await world.slash(world.closed, "who", {"code": code})
        assert "Direct Messages" not in second.content
        await world.announcement(code, going(2))
    assert dc.invalid_requests == 1  # only the refused DM


async def test_a_gateway_drop_in_a_burst_of_joins_loses_and_doubles_nothing(
    world: World, database: Database
) -> None:
    dc = world.dc
    gather = world.gather(database)
    people = [dc.add_member(world.guild, f"p{i}") for i in range(30)]
    async with running(gather, world):
        code, post = await start(world)
        handles = []
        for i, person in enumerate(people):
            if i == 12:
                await dc.drop_gateway()
            handles.append(
                await dc.press_button(world.channel, person, post.id, f"gather:join:{code}")
            )
        await dc.wait_for(lambda: dc.resume_count == 1)
        for handle in handles:
            assert "You're in" in (await handle.followup(0)).content
        await world.announcement(code, going(31), timeout=30)  # converges; speed is benched
    assert dc.identify_count == 1
    assert all(len(h.callbacks) == 1 for h in handles)


HOSTILE = "@everyone <@&123456789012345678> **loud** @\u202eeveryone _x_ at the pier, Sunday 2pm"


async def test_hostile_titles_ping_nobody_and_render_literally(
    world: World, database: Database
) -> None:
    dc = world.dc
    gather = world.gather(database)
    async with running(gather, world):
        code, post = await start(world, HOSTILE)
        [(_, title)] = gather.open_gatherings_in("discord", str(world.channel.id), code)
        assert "**loud**" in title and "_x_" in title and "everyone" in title
        assert _plain(post.content.splitlines()[0]) == "📣 " + title  # literally, as stored
        assert "**loud**" not in post.content  # escaped: not bold
        long_title = "Long " + "word " * 500 + "at the pier, Sunday 3pm"
        answer = await world.slash(world.organiser, "gather", {"text": long_title})
        assert answer.ephemeral and "too long" in answer.content
        await asyncio.sleep(0.2)
        assert len(world.announcements()) == 1  # the core refused it: nothing announced
    for message in dc.channel_messages(world.channel):
        assert message.allowed_mentions == {"parse": []}
        assert not message.payload["mention_everyone"]
        assert message.payload["mentions"] == [] and message.payload["mention_roles"] == []
        assert len(message.content) <= 2000
    assert code


async def test_only_the_organiser_or_an_event_manager_may_cancel(
    world: World, database: Database
) -> None:
    gather = world.gather(database)
    async with running(gather, world):
        code, post = await start(world)
        refused = await world.slash(world.member, "cancel", {"code": code})
        assert refused.ephemeral and "CANCELLED" not in (await world.announcement(code)).content
        assert post.custom_ids()
        allowed = await world.slash(world.manager, "cancel", {"code": code})
        assert allowed.content != refused.content
        post = await world.announcement(code, lambda m: "CANCELLED" in m.content)
        assert post.custom_ids() == []


async def test_tampered_or_unknown_buttons_get_a_clear_answer_and_change_nothing(
    world: World, database: Database
) -> None:
    dc = world.dc
    gather = world.gather(database)
    async with running(gather, world):
        code, post = await start(world)
        real = await dc.press_button(world.channel, world.member, post.id, f"gather:join:{code}")
        await real.followup(0)
        await world.announcement(code, going(2))
        for custom in (
            "evil:payload",
            f"gather:explode:{code}",
            "gather:join:K7QF'; DROP",
            "gather:join:ZZZZ",
        ):
            fake = _forged(dc, real, custom, world.manager)
            answer = await fake.followup(0)
            assert answer.ephemeral
            assert EXPIRED_BUTTON in answer.content or "ZZZZ" in answer.content
        await asyncio.sleep(0.2)
        assert going(2)(await world.announcement(code))


async def test_the_same_interaction_twice_is_answered_once_and_counted_once(
    world: World, database: Database
) -> None:
    dc = world.dc
    gather = world.gather(database)
    async with running(gather, world):
        code, post = await start(world)
        press = await dc.press_button(world.channel, world.member, post.id, f"gather:guest:{code}")
        await press.followup(0)
        dc.dispatch("INTERACTION_CREATE", press.payload)
        again = await dc.press_button(world.channel, world.member, post.id, f"gather:join:{code}")
        await again.followup(0)
        await world.announcement(code, going(3))  # organiser, mo and one friend
        await asyncio.sleep(0.3)
        assert len(press.callbacks) == 1 and len(press.followups) == 1
        assert going(3)(await world.announcement(code))
    assert not [r for r in dc.requests if r.status == 400]


async def test_a_429_on_the_announcement_edit_is_honoured_and_it_converges(
    world: World, database: Database
) -> None:
    dc = world.dc
    gather = world.gather(database)
    async with running(gather, world):
        code, post = await start(world)
        dc.fail_next("PATCH", r"^/channels/\d+/messages/\d+$", 429, retry_after=0.3)
        await world.press(world.member, post, "join", code)
        await world.press(world.manager, post, "join", code)
        await world.announcement(code, going(3))
    edits = dc.requests_to("PATCH", r"^/channels/\d+/messages/\d+$")
    assert edits[0].status == 429 and edits[-1].status == 200
    assert edits[1].time - edits[0].time >= 0.29


async def test_autocomplete_offers_the_open_gatherings_of_the_channel(
    world: World, database: Database
) -> None:
    dc = world.dc
    gather = world.gather(database)
    async with running(gather, world):
        code, _ = await start(world)
        handle = await dc.autocomplete(
            world.guild, world.channel, world.member, "join", {"code": ""}, focused="code"
        )
        body = await handle.response()
    assert body["type"] == 8
    assert [c["value"] for c in body["data"]["choices"]] == [code]
    assert body["data"]["choices"][0]["name"].startswith(f"{code} · Picnic")


def _forged(dc: object, real: InteractionHandle, custom: str, who: FakeMember) -> InteractionHandle:
    """A component interaction whose custom_id was changed (and the post it sits on, too)."""
    payload = copy.deepcopy(real.payload)
    payload["id"] = str(snowflake())
    payload["token"] = f"itoken-{snowflake():x}"
    payload["member"] = who.payload(with_permissions=True)
    payload["data"]["custom_id"] = custom
    if custom.startswith("gather:"):
        payload["message"]["components"][0]["components"][0]["custom_id"] = custom
    handle = InteractionHandle(real.server, payload, real.channel, real.message)
    real.server.interactions[handle.id] = handle
    real.server.dispatch("INTERACTION_CREATE", payload)
    return handle


def _plain(content: str) -> str:
    """What a person reads: markdown escapes and zero-width spaces are invisible."""
    return re.sub(r"\\(.)", r"\1", content).replace("\u200b", "")


async def test_stopping_in_a_burst_still_answers_every_press_it_acknowledged(
    world: World, database: Database
) -> None:
    dc = world.dc
    gather = world.gather(database)
    people = [dc.add_member(world.guild, f"p{i}") for i in range(40)]
    async with running(gather, world):
        code, post = await start(world)
        handles = [
            await dc.press_button(world.channel, person, post.id, f"gather:join:{code}")
            for person in people
        ]
        await dc.wait_for(lambda: any(h.acknowledged for h in handles))
        # Leaving the block stops the adapter at once, as SIGTERM does, presses in flight.
    acknowledged = [h for h in handles if h.acknowledged]
    assert acknowledged
    for handle in acknowledged:
        answer = await handle.followup(0, timeout=10)
        assert "You're in" in answer.content
