""""Still coming?" on the console, as a transcript: the day-before reminder asks, one person
confirms, two give their places up, the waitlist moves up and the rooms hear a place opened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.app import Gather
from core.clock import FixedClock
from tests.console.test_console_transcript import code_from, transcript

GATHER = "/gather Beach clean at Portobello beach, Saturday 28 November 2026 10am, max 3"
DAY_BEFORE = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


async def test_still_coming_from_the_question_to_the_place_that_opened(
    gather: Gather, clock: FixedClock
) -> None:
    printed = await transcript(gather, [GATHER])
    code = code_from(printed)
    for who in ("bob", "carol", "dave"):
        await transcript(gather, [f"/as {who}", f"/join {code}"])

    clock.set(DAY_BEFORE)
    asked = "\n".join(await transcript(gather, ["/as bob"]))
    assert "[bot → bob (DM)]" in asked or "[bot → bob]" in asked
    assert "Still coming? Tap an answer" in asked
    assert (
        f"[ Yes, see you there ]  [ Can't make it now ]   (/still {code} yes, /still {code} no)"
        in asked
    )

    answers = "\n".join(
        await transcript(
            gather,
            [f"/still {code} yes", f"/still {code} yes", "/as carol", f"/still {code} no"],
        )
    )
    assert "you're confirmed for Beach clean" in answers
    assert "You had already confirmed Beach clean: nothing changed." in answers
    assert "your place at Beach clean is free for someone else now" in answers
    assert "You're in!" in answers  # dave, off the waitlist, told at once

    clock.advance(timedelta(minutes=1))
    await transcript(gather, ["/as dave", f"/still {code} no"])
    clock.advance(timedelta(minutes=5))
    later = "\n".join(await transcript(gather, ["/as alice", f"/who {code}"]))
    assert later.count("1 place has opened at Beach clean.") == 2  # #beach and #park, once each
    assert "2 going (max 3), 1 confirmed" in later
    assert "1 person has not answered “Still coming?” yet" in later  # alice herself
