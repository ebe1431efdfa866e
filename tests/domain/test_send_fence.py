"""The fence at send time: a claimed message that stopped being true is not sent.

Each test claims the reminders (they are rendered), changes the world while the lease still
runs, and then asks to send them, as a worker that waited for its turn under a rate limit
would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.app import Gather
from core.clock import FixedClock
from core.delivery.outbox import Delivery, RetryLater, Sent
from core.storage.traffic import OutboxMessage
from tests.domain.chat import Chat, code_in

BEACH = "/gather Beach clean at Portobello beach, Saturday 28 November 2026 10am, need 5 people"
START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def claimed_reminders(gather: Gather, clock: FixedClock) -> tuple[Chat, str, list[Delivery]]:
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.say("bob", f"/join {code}")
    chat.deliver_all()
    clock.set(START - timedelta(hours=2))
    claimed = [d for d in gather.claim("console", "w1", 100) if d.purpose == "reminder"]
    assert len(claimed) == 2
    return chat, code, claimed


def statuses(gather: Gather) -> dict[str, str]:
    with gather._database.session() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "reminder"))
        return {f"{row.person_id}:{row.not_before:%H:%M}": row.status for row in rows}


@pytest.mark.parametrize(
    "change",
    [
        lambda chat, code: chat.say("alice", f"/cancel {code}"),
        lambda chat, code: (
            chat.say("bob", f"/leave {code}") and chat.say("alice", f"/leave {code}")
        ),
        lambda chat, code: chat.say("bob", "/forget") and chat.say("alice", "/forget"),
    ],
    ids=["cancel", "leave", "forget"],
)
def test_a_claimed_reminder_is_not_sent_after(
    gather: Gather, clock: FixedClock, change: Callable[[Chat, str], object]
) -> None:
    chat, code, claimed = claimed_reminders(gather, clock)
    change(chat, code)
    assert [gather.begin_send(d) for d in claimed] == [False, False]
    assert "sending" not in statuses(gather).values()


def test_a_claimed_reminder_is_not_sent_after_a_reschedule_and_fresh_ones_come(
    gather: Gather, clock: FixedClock
) -> None:
    chat, code, claimed = claimed_reminders(gather, clock)
    assert chat.say("alice", f"/edit {code} when Sunday 29 November 2026 2pm").ok
    assert [gather.begin_send(d) for d in claimed] == [False, False]
    assert [d for d in chat.deliver("console") if d.purpose == "reminder"] == []
    clock.set(datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    fresh = [d for d in chat.deliver("console") if d.purpose == "reminder"]
    assert len(fresh) == 2 and all("14:00" in d.message.plain() for d in fresh)


def test_a_reminder_put_off_by_an_outage_goes_until_the_start_and_never_after(
    gather: Gather, clock: FixedClock
) -> None:
    chat, _code, claimed = claimed_reminders(gather, clock)
    first, second = claimed
    for delivery in claimed:
        assert gather.begin_send(delivery)
    gather.complete(first, RetryLater(5, "not connected", outage=True))
    gather.complete(second, RetryLater(5, "not connected", outage=True))
    clock.set(START - timedelta(minutes=20))  # 100 minutes of outage
    late = [d for d in gather.claim("console", "w1", 100) if d.purpose == "reminder"]
    assert len(late) == 2
    assert all("starts in 20 minutes" in d.message.plain() for d in late)
    assert gather.begin_send(late[0]) and gather.begin_send(late[1])
    gather.complete(late[0], Sent())
    gather.complete(late[1], RetryLater(5, "not connected", outage=True))
    clock.set(START + timedelta(minutes=1))
    assert [d for d in chat.deliver("console") if d.purpose == "reminder"] == []
    assert sorted(statuses(gather).values()).count("sent") == 1
    assert "pending" not in statuses(gather).values()
    with gather._database.session() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.deferrals > 0))
        tried = sorted((row.status, row.attempts, row.deferrals) for row in rows)
    # Put off twice, it was never refused: no attempt used; skipped at the start.
    assert tried == [("sent", 1, 1), ("skipped", 0, 2)]


def test_an_hour_not_connected_uses_no_attempt_and_the_message_still_goes(
    gather: Gather, clock: FixedClock
) -> None:
    """Discord's "not connected" used to fail a message after 8 tries (about 40 s)."""
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.say("bob", f"/join {code}")
    chat.deliver_all()
    assert chat.say("alice", f"/cancel {code} storm").ok
    for _ in range(30):  # two minutes apart: an hour without a connection
        for delivery in gather.claim("console", "w", 50):
            assert gather.begin_send(delivery)
            gather.complete(delivery, RetryLater(5, "not connected", outage=True))
        clock.advance(timedelta(minutes=2))
    told = [d for d in chat.deliver("console") if d.purpose == "cancelled"]
    assert len(told) == 1 and "storm" in told[0].message.plain()
    with gather._database.session() as session:
        row = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "cancelled"))
        assert [(r.status, r.attempts, r.deferrals) for r in row] == [("sent", 1, 30)]
