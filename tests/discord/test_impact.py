"""What a gathering achieved, on Discord: the "how did it go?" DM reaches the organiser at
the end (saying to answer with /report: the bot hears slash commands only), /report records
it and /impact shows the totals. discord.py against the fake; the core's clock is injected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.clock import FixedClock
from core.storage.db import Database
from tests.discord.harness import World, code_of, running

TEXT = "Beach clean at Portobello beach, Saturday 28 November 2026 10am-1pm, need 3 people"
ENDS = datetime(2026, 11, 28, 13, 0, tzinfo=UTC)


async def test_the_question_arrives_report_is_read_and_impact_answers(
    world: World, database: Database
) -> None:
    dc = world.dc
    clock = FixedClock(ENDS - timedelta(days=3))
    gather = world.gather(database, clock)
    async with running(gather, world):
        assert {"report", "impact"} <= {c["name"] for c in dc.global_commands}
        code = code_of(await world.slash(world.organiser, "gather", {"text": TEXT}))
        await world.press(world.member, await world.announcement(code), "join", code)

        clock.set(ENDS)
        await dc.wait_for(lambda: any("How did" in t for t in world.dms(world.organiser)), 10)
        [asked] = [t for t in world.dms(world.organiser) if "How did" in t]
        assert f"/report {code}" in asked and "Just answer" not in asked

        noted = await world.slash(
            world.organiser, "report", {"code": code, "text": "about 20 of us, 3 bins"}
        )
        assert noted.ephemeral and "20 people came" in noted.content, noted.content
        refused = await world.slash(world.member, "report", {"code": code, "text": "99 people"})
        assert "Only the organiser" in refused.content

        shown = await world.slash(world.member, "impact")
        assert "1 gathering held" in shown.content and "60 volunteer hours" in shown.content
        assert "3 bins" in shown.content and "olga" not in shown.content.lower()
    assert len([t for t in world.dms(world.organiser) if "How did" in t]) == 1
