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
from core.storage.models import Announcement
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


def claimed_edit(gather: Gather, lease: timedelta = timedelta(seconds=60)) -> Delivery:
    """Bob's join, claimed as the edit of the posted announcement that shows it."""
    chat = Chat(gather)
    code = code_in(chat.say("alice", BEACH))
    chat.deliver_all()
    chat.say("bob", f"/join {code}")
    [edit] = [d for d in gather.claim("console", "w1", 100, lease) if d.chat_id == "#beach"]
    assert edit.message_id is not None and "2 going" in edit.message.plain()
    return edit


def edit_row(gather: Gather, delivery: Delivery) -> tuple[str, str | None, str | None]:
    with gather._database.session() as session:
        row = session.get(OutboxMessage, delivery.id)
        assert row is not None and row.announcement_id is not None
        shown = session.get(Announcement, row.announcement_id)
        return row.status, row.last_error, shown.shown_digest if shown else None


def test_an_edit_taken_over_is_sent_and_recorded_only_by_the_new_holder(
    gather: Gather, clock: FixedClock
) -> None:
    """A sender that stalled past its lease neither sends nor records: the process that took
    the row over does, once."""
    stalled = claimed_edit(gather)
    clock.advance(timedelta(seconds=61))
    [taken] = [d for d in gather.claim("console", "w2", 100) if d.chat_id == "#beach"]
    assert taken.id == stalled.id and taken.token != stalled.token
    assert not gather.begin_send(stalled)
    assert gather.begin_send(taken)
    gather.complete(stalled, Sent(stalled.message_id))
    assert edit_row(gather, taken)[:2] == ("sending", None)
    gather.complete(taken, Sent(taken.message_id))
    assert edit_row(gather, taken) == ("sent", None, taken.digest)
    assert not gather.begin_send(taken)  # a report is final: no second send
    with gather._database.session() as session:
        row = session.get(OutboxMessage, taken.id)
        assert row is not None and row.attempts == 1  # one send, by the new holder


def test_an_edit_whose_gathering_changed_meanwhile_still_goes(
    gather: Gather, clock: FixedClock
) -> None:
    """The one-statement fence needs the details as rendered; after an edit of the details the
    general fence decides, and an announcement edit is worth sending (a fresh one follows)."""
    edit = claimed_edit(gather)
    code = edit.gathering.code if edit.gathering else ""
    assert Chat(gather).say("alice", f"/edit {code} title Beach clean and picnic").ok
    assert gather.begin_send(edit)
    gather.complete(edit, Sent(edit.message_id))
    assert edit_row(gather, edit)[0] == "sent"
    fresh = Chat(gather).deliver("console")
    assert any("picnic" in d.message.plain() for d in fresh if d.kind == "announcement")


def test_an_edit_rendered_before_its_gathering_moved_and_ended_is_skipped(
    gather: Gather, clock: FixedClock
) -> None:
    """The edit was rendered when the gathering was on the 28th; moved to the 22nd, it has
    ended by the time the edit is sent. The end time the edit carries is stale, so the
    one-statement fence must see the new details version and leave it to the general one."""
    edit = claimed_edit(gather, lease=timedelta(days=30))
    code = edit.gathering.code if edit.gathering else ""
    assert Chat(gather).say("alice", f"/edit {code} when Sunday 22 November 2026 10am").ok
    clock.set(datetime(2026, 11, 22, 12, 1, tzinfo=UTC))
    assert not gather.begin_send(edit)
    status, why, _shown = edit_row(gather, edit)
    assert status == "skipped" and why is not None and "no longer useful" in why


def test_an_edit_held_past_the_gatherings_end_is_skipped(
    gather: Gather, clock: FixedClock
) -> None:
    edit = claimed_edit(gather, lease=timedelta(days=30))
    clock.set(datetime(2026, 11, 28, 12, 1, tzinfo=UTC))  # ended: 10am and two hours
    assert not gather.begin_send(edit)
    status, why, _shown = edit_row(gather, edit)
    assert status == "skipped" and why is not None and "no longer useful" in why
