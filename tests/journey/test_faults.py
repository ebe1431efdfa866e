"""Bad input and faults across the three networks, each tried with the real adapters running
on the fakes (one process, an injected clock)."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.cli import main
from sandbox.demo.clock import ScriptedClock
from sandbox.demo.world import FakeWorld
from sandbox.fakes.telegram_server import FakeUser
from tests.journey.harness import (
    all_show,
    announcements,
    code_in,
    code_of,
    dc_announcement,
    eventually,
    m_announcement,
    press,
    running,
    slash,
    tap,
    tg_announcement,
    tg_says,
    write_settings,
)

START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
SETTLE = 2.0  # seconds: a few outbox polls, for "nothing more happens" checks


async def _gather_on_telegram(world: FakeWorld, organiser: FakeUser, text: str) -> str:
    await tg_says(world, organiser, text)
    post = await eventually(lambda: tg_announcement(world), 15, "Telegram announcement")
    code = code_of(post)
    await eventually(lambda: all(announcements(world, code).values()), 15, "announced on all three")
    return code


async def test_duplicated_and_replayed_events_count_once(
    world: FakeWorld, tmp_path: Path, database_url: str
) -> None:
    tg, dc, m = world.tg, world.dc, world.m
    alice, bob = tg.create_user("Alice"), tg.create_user("Bob")
    dana = dc.add_member(world.guild, "dana")
    sam = m.create_account("sam")
    settings = write_settings(world, tmp_path, database_url)
    clock = ScriptedClock(START)
    async with running(world, settings, clock):
        gather_update = tg.user_sends(
            world.group, alice, "/gather Beach clean, next Saturday 10am, need 10 people"
        )
        post = await eventually(lambda: tg_announcement(world), 15, "announcement")
        code = code_of(post)
        await eventually(lambda: all(announcements(world, code).values()), 15, "announced")
        tapped = tg.user_taps(world.group, bob, post.message_id, f"j:{code}")
        discord_post = dc_announcement(world, code)
        assert discord_post is not None
        pressed = await dc.press_button(world.channel, dana, discord_post.id, f"gather:join:{code}")
        toot = m_announcement(world, code)
        assert toot is not None
        m.boost(sam, toot.id)
        expected = "4 going of 10 needed (Discord 1, Mastodon 1, Telegram 2)"
        await all_show(world, code, expected)

        # Replays, late and out of order: Bob's tap, then the /gather itself, on Telegram;
        # Dana's press on Discord; Mastodon's stream drops, so its catch-up reads the
        # notifications again; and Sam boosts once more (Mastodon ignores it: idempotent).
        tg.duplicate_update(tapped["update_id"])
        tg.duplicate_update(gather_update["update_id"])
        dc.dispatch("INTERACTION_CREATE", pressed.payload)
        seen = len(m.requests_to("GET", r"/notifications$"))
        m.drop_streams()
        m.boost(sam, toot.id)
        await eventually(lambda: len(m.requests_to("GET", r"/notifications$")) > seen, 15)
        await eventually(lambda: not tg.pending_updates, 15, "Telegram delivered the replays")
        await asyncio.sleep(SETTLE)
        await all_show(world, code, expected)
    # And after a restart of everything (buttons, boosts and cursors read afresh): still 4.
    async with running(world, settings, clock):
        seen = len(m.requests_to("GET", r"/notifications$"))
        await eventually(lambda: len(m.requests_to("GET", r"/notifications$")) > seen, 15)
        await asyncio.sleep(SETTLE)
        await all_show(world, code, expected)
        assert "You're already in" in await press(world, dana, code)
        await all_show(world, code, expected)
    # One announcement per network, one gathering: the replayed /gather made nothing new.
    assert len([msg for msg in tg.bot_messages(world.group) if "Code: " in msg.text]) == 1
    assert len([msg for msg in dc.channel_messages(world.channel) if "Code: " in msg.content]) == 1
    assert len([s for s in m.posts_by() if "Code: " in s.text]) == 1
    # Each interaction was answered once (the replay was not answered a second time).
    assert all(len(h.callbacks) == 1 for h in dc.interactions.values())


async def test_join_on_one_network_leave_on_another_after_linking(
    world: FakeWorld, tmp_path: Path, database_url: str
) -> None:
    tg, dc = world.tg, world.dc
    alice, lee_tg = tg.create_user("Alice"), tg.create_user("Lee")
    lee_dc = dc.add_member(world.guild, "lee")
    settings = write_settings(world, tmp_path, database_url)
    async with running(world, settings, ScriptedClock(START)):
        tg.user_starts_bot(lee_tg)
        code = await _gather_on_telegram(
            world, alice, "/gather Litter pick, next Saturday 10am, need 5 people"
        )
        link = code_in(await tg_says(world, lee_tg, "/link", private=True))
        assert "Linked" in await slash(world, lee_dc, "link", {"code": link})

        assert "You're in" in await press(world, lee_dc, code)
        await all_show(world, code, "2 going of 5 needed (Discord 1, Telegram 1)")
        # Lee leaves on Telegram: the pledge made on Discord is withdrawn.
        left = await tap(world, lee_tg, code, "l")
        assert "out" in left.lower() or "left" in left.lower(), left
        await all_show(world, code, "👥 1 going of 5 needed\n")
        assert not any("Discord" in text for text in announcements(world, code).values())
        # Back in, on Telegram this time: counted on Telegram, once.
        assert "You're in" in await tap(world, lee_tg, code)
        await all_show(world, code, "👥 2 going of 5 needed\n")
        assert "already" in (await press(world, lee_dc, code)).lower()
        await asyncio.sleep(SETTLE)
        await all_show(world, code, "👥 2 going of 5 needed\n")
        assert not any("Discord" in text for text in announcements(world, code).values())


async def test_telegram_down_for_a_while(
    world: FakeWorld, tmp_path: Path, database_url: str
) -> None:
    tg, dc, m = world.tg, world.dc, world.m
    olga = dc.add_member(world.guild, "olga")
    sam = m.create_account("sam")
    settings = write_settings(world, tmp_path, database_url)
    clock = ScriptedClock(START)
    async with running(world, settings, clock):
        await tg.go_offline()
        try:
            answer = await slash(
                world, olga, "gather", {"text": "Litter pick in the park, next Sunday 2pm, need 3"}
            )
            code = answer.split("`")[1]
            # Discord and Mastodon announce and count while Telegram is unreachable.
            await eventually(lambda: dc_announcement(world, code) and m_announcement(world, code))
            toot = m_announcement(world, code)
            assert toot is not None
            m.boost(sam, toot.id)
            await eventually(
                lambda: all(
                    "2 going of 3 needed (Discord 1, Mastodon 1)" in text
                    for network, text in announcements(world, code).items()
                    if network != "telegram"
                ),
                15,
            )
            assert tg_announcement(world, code) is None
        finally:
            await tg.go_online()
        # Time passes (the sender's retry falls due): the announcement catches up, as it is now.
        clock.advance(timedelta(minutes=10))
        await all_show(world, code, "2 going of 3 needed (Discord 1, Mastodon 1)", timeout=25)
        assert len([msg for msg in tg.bot_messages(world.group) if "Code: " in msg.text]) == 1


HOSTILE = "<b>x</b> & @everyone @victim@mastodon.social **bold** <@&123> `tick`"


async def test_hostile_titles_are_shown_literally_and_ping_nobody(
    world: FakeWorld, tmp_path: Path, database_url: str
) -> None:
    dc, m = world.dc, world.m
    olga = dc.add_member(world.guild, "olga")
    victim = m.create_account("victim", "mastodon.social")
    settings = write_settings(world, tmp_path, database_url)
    async with running(world, settings, ScriptedClock(START)):
        answer = await slash(
            world, olga, "gather", {"text": "Picnic at the park, next Sunday 2pm, need 3"}
        )
        code = re.findall(r"`([A-Z0-9]{4,})`", answer)[0]
        await eventually(lambda: all(announcements(world, code).values()), 15)
        # (/gather tidies a title; /edit title takes it exactly as typed.)
        edited = await slash(world, olga, "edit", {"code": code, "change": f"title {HOSTILE}"})
        assert "Updated" in edited
        await eventually(
            lambda: all("📣 Picnic" not in t for t in announcements(world, code).values()), 15
        )

        # Telegram: the HTML was escaped (shown as text, no bold), and no one is mentioned.
        post = tg_announcement(world, code)
        assert post is not None
        assert HOSTILE in post.text.replace("\u2060", ""), post.text
        assert "@everyone" not in post.text  # a word joiner keeps it from being a mention
        # The code and the link to the gathering's page; no bold, mention, or other link.
        assert [e["type"] for e in post.entities] == ["code", "text_link"]
        assert "/g/" + code in post.entities[1]["url"]
        # Discord: escaped markdown and mentions, and allowed_mentions none: nobody pinged.
        message = dc_announcement(world, code)
        assert message is not None
        assert message.payload["mentions"] == [] and message.payload["mention_roles"] == []
        assert message.payload["mention_everyone"] is False
        assert message.allowed_mentions == {"parse": []}
        shown = message.content.replace("\\", "").replace("\u200b", "")
        assert HOSTILE in shown, message.content
        assert "\\*\\*bold\\*\\*" in message.content and "@\u200beveryone" in message.content
        # Mastodon: a full-width at sign, so neither @everyone nor the victim is notified.
        toot = m_announcement(world, code)
        assert toot is not None
        assert HOSTILE in toot.text.replace("＠", "@"), toot.text
        assert all(account is not victim for _, account in m.notified_by_bot())
        assert not [n for n in m.notifications(victim)]


@pytest.mark.parametrize("command", ["check", "run"])
def test_a_room_on_an_unconfigured_network_stops_start_up(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bots.toml"
    path.write_text(
        f'[gather]\ndatabase_url = "sqlite:///{tmp_path / "g.sqlite3"}"\n'
        '[[communities]]\nname = "portobello"\n'
        'rooms = ["telegram:-100200", "mastodon:public"]\n'
        '[telegram]\ntoken_env = "NOT_SET_ANYWHERE"\n',
        encoding="utf-8",
    )
    assert main(["--config", str(path), command]) == 2
    err = capsys.readouterr().err
    assert (
        "community portobello: room mastodon:public is on mastodon, "
        "but bots.toml has no [mastodon] section"
    ) in err
    assert not (tmp_path / "g.sqlite3").exists()  # nothing was started, not even the database
