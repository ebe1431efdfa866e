"""Issue 8: one gathering, three networks, end to end.

The real adapters (python-telegram-bot, discord.py, Mastodon.py), started by the composition
root (`adapters.cli.serve`) from a bots.toml that points them at the three fake servers, on
one core with an injected clock. Every assertion is on what people see on a fake.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from sandbox.demo.clock import ScriptedClock
from sandbox.demo.world import FakeWorld
from sandbox.fakes.telegram_server import FakeMessage
from tests.journey.harness import (
    Cast,
    all_show,
    announcements,
    code_in,
    code_of,
    count,
    dc_announcement,
    dc_dms,
    eventually,
    m_announcement,
    m_dms,
    press,
    running,
    slash,
    tap,
    tg_announcement,
    tg_dms,
    tg_says,
    write_settings,
)

# Saturday 21 November 2026, 09:00 in London (GMT).
START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
GATHER = "/gather Beach clean at Portobello beach, next Saturday 10am, need 6 people"


async def test_one_gathering_on_three_networks(
    world: FakeWorld, tmp_path: Path, database_url: str
) -> None:
    tg, dc, m = world.tg, world.dc, world.m
    # Telegram: Alice organises; Bob has started the bot; Lee will link Telegram and Discord.
    alice = tg.create_user("Alice", username="alice")
    bob = tg.create_user("Bob", username="bob")
    lee_tg = tg.create_user("Lee", username="lee")
    for person in (alice, bob, lee_tg):
        tg.add_member(world.group, person)
    # Discord: Dana; Cleo, whose DMs are closed; Lee again.
    dana = dc.add_member(world.guild, "dana")
    cleo = dc.add_member(world.guild, "cleo")
    dc.close_dms(cleo)
    lee_dc = dc.add_member(world.guild, "lee")
    # Mastodon: Sam, on the same instance as the bot.
    sam = m.create_account("sam")

    clock = ScriptedClock(START)
    settings = write_settings(world, tmp_path, database_url)
    async with running(world, settings, clock):
        for person in (alice, bob, lee_tg):
            tg.user_starts_bot(person)
        await eventually(lambda: all(tg_dms(world, p) for p in (alice, bob, lee_tg)))

        # The organiser posts in the Telegram group: announced in all three rooms.
        started = await tg_says(world, alice, GATHER)
        assert "Started Beach clean" in started
        post = await eventually(lambda: tg_announcement(world), 15, "Telegram announcement")
        code = code_of(post)
        await all_show(world, code, "1 going of 6 needed")
        shown = announcements(world, code)
        for network, text in shown.items():
            assert "Beach clean" in text and "Portobello beach" in text, network
            assert "Saturday 28 November 2026, 10:00 GMT" in text, network
        assert [b["text"] for b in post.buttons] == ["I'm in", "Can't make it", "+1 guest"]
        discord_post = dc_announcement(world, code)
        assert discord_post is not None
        assert discord_post.custom_ids()[0] == f"gather:join:{code}"
        assert "Boost this post to join" in shown["mastodon"]

        # A Discord member presses I'm in.
        assert "You're in" in await press(world, dana, code)
        await all_show(world, code, "2 going of 6 needed (Discord 1, Telegram 1)")

        # A Mastodon user boosts the post.
        mastodon_post = m_announcement(world, code)
        assert mastodon_post is not None
        m.boost(sam, mastodon_post.id)
        await all_show(world, code, "3 going of 6 needed (Discord 1, Mastodon 1, Telegram 1)")

        # A Telegram member taps the button.
        assert "You're in" in await tap(world, bob, code)
        await all_show(world, code, "4 going of 6 needed (Discord 1, Mastodon 1, Telegram 2)")

        # Lee links Telegram and Discord, then joins on both: counted once.
        link_code = code_in(await tg_says(world, lee_tg, "/link", private=True))
        linked = await slash(world, lee_dc, "link", {"code": link_code})
        assert "link" in linked.lower(), linked
        assert "You're in" in await press(world, lee_dc, code)
        await all_show(world, code, "5 going of 6 needed (Discord 2, Mastodon 1, Telegram 2)")
        again = await tap(world, lee_tg, code)
        assert "already" in again.lower(), again

        # Cleo (DMs closed) makes six: it's on, everywhere. (Lee's second tap was settled
        # before its answer came back, so had it counted, this count would read Telegram 3.)
        assert "You're in" in await press(world, cleo, code)
        await all_show(world, code, "6 going of 6 needed (Discord 3, Mastodon 1, Telegram 2)")
        await all_show(world, code, "It's on")

        # Everyone who can be messaged hears it by DM, on their own network, once.
        def told(needle: str) -> dict[str, int]:
            return Cast(
                telegram={"alice": alice, "bob": bob, "lee": lee_tg},
                discord={"lee": lee_dc, "dana": dana},
                mastodon={"sam": sam},
            ).told(world, needle)

        await eventually(lambda: all(told("It's on!").values()), 15, "it's on DMs")
        assert told("It's on!") == dict.fromkeys(told("It's on!"), 1)
        assert dc_dms(world, cleo) == []  # closed: nothing could reach her

        # The organiser moves the time: everyone is told, and the reminders move with it.
        moved = await tg_says(world, alice, f"/edit {code} when Sunday 29 November 11am")
        assert "Sunday 29 November 2026, 11:00 GMT" in moved, moved
        await all_show(world, code, "Sunday 29 November 2026, 11:00 GMT")
        # (The organiser made the change: everyone else is told.)
        await eventually(
            lambda: all(n for who, n in told("Changed:").items() if who != "alice"), 15, "changes"
        )
        assert told("Changed:") == {"alice": 0, "bob": 1, "lee": 1, "dana": 1, "sam": 1}
        assert any("Sunday 29 November 2026, 11:00 GMT" in t for t in m_dms(world, sam))

        # When the old reminders were due, nothing is sent...
        clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
        await asyncio.sleep(2.5)  # workers poll every second
        assert not any(told("Reminder:").values())
        # ...and at the new ones, everyone is reminded by DM on their own network.
        clock.set(datetime(2026, 11, 28, 11, 0, tzinfo=UTC))
        await eventually(lambda: all(told("Reminder:").values()), 15, "reminders")
        assert told("Reminder:") == dict.fromkeys(told("Reminder:"), 1)
        reminder = next(t for t in tg_dms(world, bob) if "Reminder" in t)
        assert "starts tomorrow at 11:00" in reminder, reminder
        # Cleo cannot get DMs: she is reminded in the channel, mentioned (and only she).
        in_room = await eventually(
            lambda: [
                msg
                for msg in dc.channel_messages(world.channel)
                if "a reminder" in msg.content and not msg.ephemeral
            ],
            15,
            "the reminder in the room",
        )
        assert len(in_room) == 1
        assert f"<@{cleo.user.id}>" in in_room[0].content
        pinged = [int(u["id"]) for u in in_room[0].payload["mentions"]]
        assert pinged == [cleo.user.id] and not in_room[0].payload["mention_everyone"]

        # A second gathering: three people pledge, the organiser cancels, all of them hear it.
        await tg_says(
            world, alice, "/gather Litter pick in the park, Sunday 6 December 2pm, need 10"
        )

        def second_post() -> FakeMessage | None:
            latest = tg_announcement(world)
            return latest if latest is not None and code not in latest.text else None

        second = await eventually(second_post, 15, "second announcement")
        code2 = code_of(second)
        await all_show(world, code2, "1 going of 10 needed")
        assert "You're in" in await press(world, dana, code2)
        second_toot = m_announcement(world, code2)
        assert second_toot is not None
        m.boost(sam, second_toot.id)
        assert "You're in" in await tap(world, bob, code2)
        await all_show(world, code2, "4 going of 10 needed (Discord 1, Mastodon 1, Telegram 2)")
        cancelled = await tg_says(world, alice, f"/cancel {code2} rain all day")
        assert "ancel" in cancelled
        await all_show(world, code2, "CANCELLED")

        def cancel_heard() -> bool:
            return (
                count(dc_dms(world, dana), "Litter pick") > 0
                and count(m_dms(world, sam), "Litter pick") > 0
                and any("Cancelled" in t and "Litter pick" in t for t in tg_dms(world, bob))
            )

        await eventually(cancel_heard, 15, "cancellation DMs")
        assert any("rain all day" in t for t in dc_dms(world, dana))
        # The first gathering is untouched.
        assert "CANCELLED" not in announcements(world, code)["discord"]
