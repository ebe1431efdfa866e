"""One-tap corrections on Discord: the organiser's ephemeral confirmation of a reading by the
fallback reader carries a button per other reading; pressing one moves the gathering and the
announcement in the channel is edited to the new day and time."""

from __future__ import annotations

from datetime import datetime

from core.storage.db import Database
from sandbox.fakes.discord_server import StoredMessage
from tests.discord.harness import World, code_of, running

# "o 7" alone: dateparser reads it as July; the Saturdays and the evening are offered.
POLISH = "Sprzątanie plaży w sobotę o 7 przy molo"


def shown(token: str) -> str:
    """'20261212T0700' as an announcement shows it: '12 December 2026, 07:00'."""
    moment = datetime.strptime(token, "%Y%m%dT%H%M")
    return f"{moment.day} {moment:%B %Y, %H:%M}"


def fix_ids(message: StoredMessage) -> list[str]:
    return [custom for custom in message.custom_ids() if custom.startswith("gather:fix:")]


async def test_the_organiser_presses_a_reading_and_the_announcement_moves(
    world: World, database: Database
) -> None:
    gather = world.gather(database, languages=("pl", "en"))
    async with running(gather, world):
        reply = await world.slash(world.organiser, "gather", {"text": POLISH})
        assert reply.ephemeral and "Sprzątanie plaży" in reply.content, reply.content
        code = code_of(reply)
        offered = fix_ids(reply)
        assert offered and all(custom.startswith(f"gather:fix:{code}:") for custom in offered)
        post = await world.announcement(code)
        token = offered[0].rsplit(":", 1)[1]
        assert shown(token) not in post.content

        # Someone else may not; the organiser may, once.
        refused = await world.press(world.member, reply, "fix", f"{code}:{token}")
        assert refused.ephemeral and "organiser" in refused.content
        answer = await world.press(world.organiser, reply, "fix", f"{code}:{token}")
        assert answer.ephemeral and shown(token) in answer.content, answer.content
        await world.announcement(code, lambda m: shown(token) in m.content)
        again = await world.press(world.organiser, reply, "fix", f"{code}:{token}")
        assert "already" in again.content
    assert world.dc.invalid_requests == 0
