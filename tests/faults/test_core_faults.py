"""Faults met by the core alone, driven through `Gather` with an injected clock (FAULTS.md 31, 37,
45, 50): clock jumps, join/leave toggles, floods and codes from another community."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from core.app import Gather
from core.clock import FixedClock
from core.storage.db import Database
from core.storage.models import Gathering, Pledge
from core.words import i18n
from tests.domain.chat import Chat, code_in, text_of
from tests.domain.test_reminders import BEACH, START, joined, reminders_sent


def going(database: Database) -> int:
    return database.transact(
        lambda s: int(
            s.scalar(select(func.count()).select_from(Pledge).where(Pledge.state == "going")) or 0
        )
    )


def test_a_clock_that_jumps_forward_then_back_sends_each_due_reminder_once(
    gather: Gather, clock: FixedClock
) -> None:
    """37: an NTP step of two hours forward makes the due reminders go once; stepping back
    re-sends nothing, because `sent` is a stored status and not a timer."""
    chat, _code = joined(gather)
    clock.set(START - timedelta(days=1))
    assert len(reminders_sent(chat)) == 2  # the day-before ones, in their time
    clock.set(START - timedelta(hours=4))
    assert reminders_sent(chat) == []
    clock.advance(timedelta(hours=2))  # the jump: now exactly two hours before
    first = reminders_sent(chat)
    assert sorted(d.recipient.native_id for d in first if d.recipient) == ["alice", "bob"]
    clock.advance(timedelta(hours=-2))  # and back
    assert reminders_sent(chat) == []
    clock.advance(timedelta(hours=2))  # the same instant again
    assert reminders_sent(chat) == []


def test_join_leave_toggles_end_in_the_state_of_the_last_command(
    gather: Gather, database: Database
) -> None:
    """45: rapid toggles are applied in the order the platform delivered them: the last wins,
    and a repeated event (same key) is ignored whenever it arrives."""
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    for i in range(20):
        chat.say("bob", f"/join {code}", event_key=f"bob-{2 * i}")
        chat.say("bob", f"/leave {code}", event_key=f"bob-{2 * i + 1}")
    assert going(database) == 1  # Alice only: Bob's last word was a leave
    chat.say("bob", f"/join {code}", event_key="bob-final")
    chat.say("bob", f"/leave {code}", event_key="bob-3")  # a late replay of an old leave
    assert going(database) == 2


def test_a_flood_of_gatherings_is_refused_and_toggles_amplify_no_dms(
    gather: Gather, database: Database
) -> None:
    """50: one person cannot open 100 gatherings in a minute, and 1,000 toggles of a pledge do
    not turn into a DM for each."""
    chat = Chat(gather)
    replies = [
        chat.say("alice", f"/gather Quiz number {i} at the Espy, Sunday 7pm") for i in range(100)
    ]
    accepted = [r for r in replies if r.ok]
    assert 1 <= len(accepted) <= 10
    refusals = {text_of(r) for r in replies if not r.ok}
    assert refusals == {i18n.text("en", "gather.too_many_by_person")}
    assert database.transact(lambda s: s.scalar(select(func.count(Gathering.id)))) == len(accepted)
    code = code_in(accepted[0])
    chat.deliver_all()
    for _ in range(500):
        chat.say("bob", f"/join {code}")
        chat.say("bob", f"/leave {code}")
    dms = [
        d
        for d in chat.deliver_all()
        if d.kind == "dm" and d.recipient and d.recipient.native_id == "bob"
    ]
    assert len(dms) <= 3


def test_a_code_from_another_community_gives_no_power_there(gather: Gather) -> None:
    """31: an admin of a room outside the gathering's community may not cancel or edit it (the
    same call a forged button makes); an admin of one of its own rooms may. Joining by code
    from anywhere stays open on purpose: a code is a public invitation (docs/faults.md)."""
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    for text in (f"/cancel {code}", f"/edit {code} when Sunday 29 November 2026 2pm"):
        reply = chat.say("mallory", text, room="telegram:-999", admin=True)
        assert not reply.ok, text
    assert "Saturday" in text_of(chat.say("bob", f"/who {code}"))
    assert chat.say("zed", f"/join {code}", room="telegram:-999").ok
    assert chat.say("meg", f"/cancel {code}", room="discord:300", admin=True).ok
