"""The console network as a transcript: lines typed in, lines the bot prints out."""

from __future__ import annotations

import re

from adapters.console.network import ConsoleNetwork
from core.app import Gather
from core.clock import FixedClock
from core.storage.db import Database
from tests.conftest import START, make_settings


async def transcript(gather: Gather, lines: list[str]) -> list[str]:
    printed: list[str] = []
    console = ConsoleNetwork(gather, out=printed.append)
    for line in lines:
        printed.append(console.prompt + line)
        await console.say(line)
    return printed


def code_from(printed: list[str]) -> str:
    for line in printed:
        match = re.search(r"Code: ([A-Z2-9]{4})", line)
        if match:
            return match.group(1)
    raise AssertionError("no code announced:\n" + "\n".join(printed))


async def test_the_quick_start_conversation(gather: Gather) -> None:
    printed = await transcript(
        gather,
        ["/gather Beach clean at Portobello beach next Saturday 10am, need 3 people"],
    )
    text = "\n".join(printed)
    assert "[bot → #beach] (post " in text
    assert "[bot → #park] (post " in text
    assert "Saturday 28 November 2026, 10:00 GMT" in text
    assert "1 going of 3 needed" in text
    code = code_from(printed)

    more = await transcript(gather, ["/as bob", f"/join {code}", "/room #park", "/list"])
    text = "\n".join(more)
    assert "(you are now bob)" in text
    assert "You're in for Beach clean" in text
    assert "2 going of 3 needed" in text
    assert "[bot edits post" in text
    assert "Coming up:" in text and code in text.split("Coming up:")[1]


async def test_hostile_text_is_printed_inert(gather: Gather) -> None:
    printed = await transcript(gather, ["/gather <b>Party</b>\x1b[31m at the pier, Sunday 2pm"])
    bot_lines = "\n".join(line for line in printed if line.startswith("[bot"))
    assert "Party" in bot_lines
    assert "\x1b" not in bot_lines


async def test_console_commands_change_speaker_and_room(gather: Gather) -> None:
    printed = await transcript(gather, ["/as dora", "/room park", "/help"])
    assert printed[-1].startswith("[bot → dora] Gather gets people")
    assert "(you are now in #park)" in printed


async def test_a_gathering_with_roles(gather: Gather) -> None:
    printed = await transcript(gather, [
        "/gather Beach clean at Portobello beach next Saturday 10am, "
        "need 2 pickers, 1 driver and a first-aider"])
    text = "\n".join(printed)
    assert "Pickers 1/2 · Driver 0/1 · First-aider 0/1" in text
    assert "Still needed: Pickers: 1, 1 Driver and 1 First-aider." in text
    code = code_from(printed)
    assert f"(/join {code} pickers, /join {code} driver, /join {code} first-aider, " in text

    more = await transcript(gather, [
        "/as bob", f"/join {code} driver", "/as cara", f"/join {code} first aider",
        "/as dev", f"/join {code}", "/as alice", f"/edit {code} need 3 pickers", f"/who {code}"])
    text = "\n".join(more)
    assert "Your role: Driver" in text and "Your role: First-aider" in text
    assert "it's on" in text  # dev made the second picker: every role had its people
    assert "Pickers: 3 needed now." in text
    assert "• Pickers 2/3" in text and "• Driver 1/1" in text


async def test_a_doubtful_reading_prints_its_corrections_as_buttons_to_type(
    database: Database,
) -> None:
    settings = make_settings(
        gather={"time_zone": "Europe/Warsaw", "languages": ["pl", "en"], "reminders": ["1d"]}
    )
    polish = Gather(settings, database, FixedClock(START))
    polish.prepare()
    printed = await transcript(polish, ["/gather Sprzątanie plaży w sobotę o 7 przy molo"])
    code = code_from(printed)
    text = "\n".join(printed)
    assert "Saturday 28 November 2026, 07:00" in text and "[ 🗓 Sat 5 Dec, 07:00 ]" in text
    assert f"/fix {code} 20261205T0700" in text and f"/join {code}, /leave {code})" in text
    fixed = "\n".join(await transcript(polish, [f"/fix {code} 20261205T0700"]))
    assert "Saturday 5 December 2026, 07:00" in fixed and "[bot edits post" in fixed
