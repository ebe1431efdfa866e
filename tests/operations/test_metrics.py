"""What the metrics count: reconnections from heartbeats, 429s among the retries, and how late
reminders went; and that the exposition reads the database at each scrape."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from core.app import Gather
from core.clock import FixedClock
from core.delivery.outbox import RetryLater, Sent
from core.storage.db import Database
from core.storage.traffic import OutboxMessage
from tests.domain.chat import Chat

GATHER = "/gather Beach clean at Portobello beach, 12 June 2031 10am, need 3 people"


def value(gather: Gather, name: str, **labels: str) -> float:
    found = gather.operations.metrics.registry.get_sample_value(name, labels)
    return found or 0.0


def test_a_reconnection_is_a_disconnect_then_a_connect(gather: Gather) -> None:
    operations = gather.operations
    operations.beat("discord", "host:1", connected=True)  # the first connection: none
    operations.beat("discord", "host:1", connected=True)
    assert value(gather, "gather_reconnects_total", network="discord") == 0
    operations.beat("discord", "host:1", connected=False)
    operations.beat("discord", "host:1", connected=True)
    assert value(gather, "gather_reconnects_total", network="discord") == 1


def test_rate_limits_and_reminder_lateness(
    gather: Gather, clock: FixedClock, database: Database
) -> None:
    chat = Chat(gather)
    chat.say("telegram:alice", GATHER, room="telegram:-100200")
    (first, *_rest) = gather.claim("telegram", "worker")
    gather.complete(first, RetryLater(3.0, "telegram: too many requests"))
    assert value(gather, "gather_rate_limited_total", network="telegram") == 1
    assert value(gather, "gather_sends_total", network="telegram", outcome="retry") == 1

    # The day-before reminder, sent 90 s after it fell due.
    due = database.read(
        lambda s: s.scalar(
            select(func.min(OutboxMessage.not_before)).where(OutboxMessage.purpose == "reminder")
        )
    )
    clock.set(due + timedelta(seconds=90))
    reminders = [
        d for d in gather.claim("telegram", "worker", limit=100) if d.purpose == "reminder"
    ]
    assert reminders
    (reminder, *_) = reminders
    gather.complete(reminder, Sent("7"))
    assert value(gather, "gather_reminder_lateness_seconds_count") == 1
    assert value(gather, "gather_reminder_lateness_seconds_sum") == 90
    exposition = gather.operations.metrics.exposition().decode()
    assert "gather_outbox_rows{" in exposition and "gather_network_up" in exposition
