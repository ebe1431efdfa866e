"""Prometheus metrics: what this process did (counters), and what the database holds (read at
each scrape, so every process reports the same outbox and dead letters: take max() of them).

Each Gather has its own registry; nothing is registered globally or at import time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.delivery.outbox import Delivery, Outcome, RetryLater, Sent
from core.operations import status as status_report
from core.storage.statuses import OutboxStatus
from core.storage.traffic import OutboxMessage

# Lateness of reminders: most go within seconds; an outage makes hours.
LATENESS_BUCKETS = (1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600)
# The words networks use when a send met a rate limit (HTTP 429 or the platform's own limit).
RATE_LIMIT_WORDS = ("too many requests", "rate limited", "429")
OUTCOME_NAMES = {
    "Sent": "sent",
    "RetryLater": "retry",
    "Unreachable": "unreachable",
    "ChatMoved": "moved",
    "Uncertain": "uncertain",
    "Failed": "failed",
}


def reminder_lateness(
    session: Session, delivery: Delivery, outcome: Outcome, now: datetime
) -> float | None:
    """Seconds between a reminder's due time and its sending; None for anything else."""
    if delivery.purpose != "reminder" or not isinstance(outcome, Sent):
        return None
    due = session.scalar(select(OutboxMessage.not_before).where(OutboxMessage.id == delivery.id))
    return (now - due).total_seconds() if due is not None else None


def is_rate_limit(reason: str) -> bool:
    text = reason.lower()
    return any(word in text for word in RATE_LIMIT_WORDS)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.commands = Counter(
            "gather_commands",
            "Commands handled, by network and command word",
            ["network", "command"],
            registry=self.registry,
        )
        self.refused = Counter(
            "gather_replies_refused",
            "Commands answered with a refusal (or trouble), by network and command word",
            ["network", "command"],
            registry=self.registry,
        )
        self.sends = Counter(
            "gather_sends",
            "Outbox sends by outcome: sent, retry, unreachable, moved, uncertain, failed",
            ["network", "outcome"],
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "gather_rate_limited",
            "Sends a platform answered with a rate limit (429)",
            ["network"],
            registry=self.registry,
        )
        self.reconnects = Counter(
            "gather_reconnects",
            "Times a receiver connected again after having been disconnected",
            ["network"],
            registry=self.registry,
        )
        self.reminder_lateness = Histogram(
            "gather_reminder_lateness_seconds",
            "How long after its due time a reminder was sent",
            buckets=LATENESS_BUCKETS,
            registry=self.registry,
        )

    def handled(self, network: str, command: str, ok: bool) -> None:
        self.commands.labels(network, command).inc()
        if not ok:
            self.refused.labels(network, command).inc()

    def sent(self, network: str, outcome: Outcome, late_seconds: float | None) -> None:
        """One recorded outcome; `late_seconds` for a reminder that went."""
        name = OUTCOME_NAMES.get(type(outcome).__name__, type(outcome).__name__.lower())
        self.sends.labels(network, name).inc()
        if isinstance(outcome, RetryLater) and is_rate_limit(outcome.reason):
            self.rate_limited.labels(network).inc()
        if late_seconds is not None:
            self.reminder_lateness.observe(max(0.0, late_seconds))

    def watch_database(
        self,
        read: Callable[[Callable[[Session], status_report.Status]], status_report.Status],
        now: Callable[[], datetime],
    ) -> None:
        """Report the database's outbox, dead letters and heartbeats at each scrape."""
        self.registry.register(_DatabaseCollector(read, now))

    def exposition(self) -> bytes:
        """The metrics in Prometheus' text format (reads the database: call off the loop)."""
        return generate_latest(self.registry)


class _DatabaseCollector(Collector):
    def __init__(
        self,
        read: Callable[[Callable[[Session], status_report.Status]], status_report.Status],
        now: Callable[[], datetime],
    ) -> None:
        self.read = read
        self.now = now

    def describe(self) -> list[GaugeMetricFamily]:
        return []  # read the database at scrape time only, never at registration

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = self.now()
        status = self.read(lambda session: status_report.report(session, now))
        depth = GaugeMetricFamily(
            "gather_outbox_rows", "Outbox rows by network and status", labels=["network", "status"]
        )
        for network, by_status in status.outbox.items():
            for outbox_status, count in by_status.items():
                if outbox_status in (
                    OutboxStatus.PENDING,
                    OutboxStatus.CLAIMED,
                    OutboxStatus.SENDING,
                ):
                    depth.add_metric([network, outbox_status], count)
        yield depth
        oldest = GaugeMetricFamily(
            "gather_outbox_oldest_pending_age_seconds",
            "How long the oldest due outbox row of each network has waited",
            labels=["network"],
        )
        for network in status.outbox:
            age = status.oldest_pending.get(network)
            oldest.add_metric([network], age.total_seconds() if age is not None else 0.0)
        yield oldest
        letters = GaugeMetricFamily(
            "gather_dead_letters",
            "Inbound events whose handling failed: retrying, or kept for the operator",
            labels=["network", "state"],
        )
        for network, (retrying, kept) in status.dead_letters.items():
            letters.add_metric([network, "retrying"], retrying)
            letters.add_metric([network, "kept"], kept)
        yield letters
        up = GaugeMetricFamily(
            "gather_network_up",
            "1 when some process is connected to the network",
            labels=["network"],
        )
        down = GaugeMetricFamily(
            "gather_network_down_seconds",
            "How long the network has had no connected receiver (0 when up)",
            labels=["network"],
        )
        for state in status.networks:
            up.add_metric([state.network], 1.0 if state.connected else 0.0)
            seconds = 0.0 if state.connected else (now - state.since).total_seconds()
            down.add_metric([state.network], seconds)
        yield up
        yield down
