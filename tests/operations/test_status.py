"""`gather status` from the database alone: what it counts, and the three conditions that need
someone (a network down over 5 minutes, a due message waiting over 10, failures in the hour)."""

from __future__ import annotations

from datetime import timedelta

from alembic.script import ScriptDirectory

from core.app import Gather
from core.clock import FixedClock
from core.delivery.outbox import Failed, Sent
from core.operations import dead_letters
from core.storage.db import MIGRATIONS
from tests.domain.chat import Chat

GATHER = "/gather Beach clean at Portobello beach, Saturday 10am, need 3 people"


def test_a_quiet_healthy_bot_needs_nobody(gather: Gather, clock: FixedClock) -> None:
    gather.operations.beat("telegram", "host:1", connected=True)
    status = gather.operations.status()
    assert [(s.network, s.connected) for s in status.networks] == [("telegram", True)]
    assert status.attention() == []
    assert status.schema_version == ScriptDirectory(str(MIGRATIONS)).get_current_head()


def test_a_network_silent_for_six_minutes_needs_attention(
    gather: Gather, clock: FixedClock
) -> None:
    gather.operations.beat("telegram", "host:1", connected=True)
    clock.advance(timedelta(minutes=4))
    status = gather.operations.status()
    # Its last beat is stale (the process died), but not for long enough to alarm anyone.
    assert not status.networks[0].connected and status.attention() == []
    clock.advance(timedelta(minutes=2))
    assert "telegram has been down" in " ".join(gather.operations.status().attention())
    gather.operations.beat("telegram", "host:2", connected=True)  # another process took over
    assert gather.operations.status().attention() == []


def test_a_disconnect_counts_from_when_it_was_said(gather: Gather, clock: FixedClock) -> None:
    gather.operations.beat("discord", "host:1", connected=True)
    clock.advance(timedelta(hours=1))
    gather.operations.beat("discord", "host:1", connected=False)
    clock.advance(timedelta(minutes=5, seconds=1))
    gather.operations.beat("discord", "host:1", connected=False)  # still beating, still down
    (state,) = gather.operations.status().networks
    assert not state.connected and clock.now() - state.since > timedelta(minutes=5)
    assert gather.operations.status().attention()


def test_outbox_counts_the_oldest_due_row_and_failures(gather: Gather, clock: FixedClock) -> None:
    chat = Chat(gather)
    assert chat.say("telegram:alice", GATHER, room="telegram:-100200").ok
    status = gather.operations.status()
    assert status.outbox["telegram"]["pending"] >= 1
    assert status.attention() == []

    clock.advance(timedelta(minutes=11))
    status = gather.operations.status()
    assert status.oldest_pending["telegram"] >= timedelta(minutes=11)
    assert any("oldest due message" in reason for reason in status.attention())

    (first, *rest) = gather.claim("telegram", "worker")
    gather.complete(first, Failed("bad request: chat not found"))
    for network in ("console", "discord", "mastodon"):
        rest += gather.claim(network, "worker")
    for delivery in rest:
        gather.complete(delivery, Sent("1"))
    status = gather.operations.status()
    (trouble,) = status.troubles
    assert (trouble.network, trouble.status, trouble.count) == ("telegram", "failed", 1)
    assert "chat not found" in trouble.reason
    assert any("failed" in reason for reason in status.attention())
    clock.advance(timedelta(hours=2))  # still listed for a day, no longer alarming
    status = gather.operations.status()
    assert status.troubles and status.attention() == []


def test_dead_letters_back_off_then_are_kept_for_the_operator(
    gather: Gather, clock: FixedClock
) -> None:
    operations = gather.operations
    operations.keep_dead_letter("telegram", "update:7", '{"update_id": 7}', "Boom")
    operations.keep_dead_letter("telegram", "update:7", '{"update_id": 7}', "Boom again")
    (letter,) = operations.dead_letters()
    assert letter.attempts == 1 and letter.error == "Boom again"  # a redelivery: one row
    assert operations.due_dead_letters("telegram") == []  # first retry after 30 s
    waits = []
    for _ in range(dead_letters.MAX_ATTEMPTS - 1):
        (letter,) = operations.dead_letters()
        assert letter.next_attempt_at is not None
        waits.append(letter.next_attempt_at - clock.now())
        clock.set(letter.next_attempt_at)
        (due,) = operations.due_dead_letters("telegram")
        assert operations.due_dead_letters("telegram") == []  # claimed: not twice
        operations.dead_letter_failed_again(due.id, "still broken")
    assert waits == [timedelta(seconds=30 * 4**n) for n in range(dead_letters.MAX_ATTEMPTS - 1)]
    (letter,) = operations.dead_letters()
    assert letter.next_attempt_at is None and letter.attempts == dead_letters.MAX_ATTEMPTS
    assert gather.operations.status().dead_letters == {"telegram": (0, 1)}
    assert operations.retry_dead_letters() == 1
    assert [d.event_key for d in operations.due_dead_letters("telegram")] == ["update:7"]
    assert operations.drop_dead_letters(letter.id) == 1 and operations.dead_letters() == []
