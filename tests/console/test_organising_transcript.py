"""The organiser's tools as a console transcript: /tell reaching a pledger, /list saying how
many more there are, and the call for more framed by progress (docs/organising.md)."""

from __future__ import annotations

from datetime import timedelta

from core.app import Gather
from core.clock import FixedClock
from tests.conftest import START
from tests.console.test_console_transcript import code_from, transcript

BEACH = "/gather Beach clean at Portobello beach next Saturday 10am, need 4 people"


async def test_tell_reaches_the_pledger_and_answers_with_counts(gather: Gather) -> None:
    code = code_from(await transcript(gather, [BEACH]))
    await transcript(gather, ["/as bob", f"/join {code}"])
    printed = await transcript(gather, [f"/tell {code} Meet at the north gate, bring gloves"])
    text = "\n".join(printed)
    assert "Sent to 1 person: 1 by direct message, 0 by a mention in the room." in text
    assert "[bot → bob (DM)] 📣 A message about Beach clean" in text
    assert "Meet at the north gate, bring gloves" in text
    refused = await transcript(gather, ["/as bob", f"/tell {code} Party at mine"])
    assert "Only the organiser or an admin can send a message" in refused[-1]


async def test_list_says_how_many_more_and_the_call_says_how_close(
    gather: Gather, clock: FixedClock
) -> None:
    codes = []
    for i in range(12):
        line = f"/gather Quiz night number {i} at the Espy, Sunday 29 November 2026 {i % 9 + 1}pm"
        codes.append(code_from(await transcript(gather, [f"/as host{i % 3}", line])))
        clock.advance(timedelta(minutes=6))
    listed = "\n".join(await transcript(gather, ["/list"]))
    assert "… and 2 more: /list all lists them all." in listed
    code = code_from(await transcript(gather, ["/as alice", BEACH]))
    await transcript(gather, ["/as bob", f"/join {code}", "/as cara", f"/join {code}"])
    clock.set(START.replace(day=28, hour=9))  # an hour before: 3 of 4, so close
    printed = "\n".join(await transcript(gather, ["/as dora", "/help"]))
    assert "Almost there for Beach clean, with 3 in: just 1 more and it's on!" in printed
