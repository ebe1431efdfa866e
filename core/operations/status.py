"""`gather status`: one screen about the running bots, from the database alone.

So it works while the bots run, from any process, on any host that reaches the database.
`attention()` names what an operator should look at now; the same three conditions are the
alert rules in docs/operations.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from core.operations import dead_letters, heartbeats
from core.operations.heartbeats import NetworkState
from core.storage.statuses import OutboxStatus
from core.storage.traffic import OutboxMessage

DOWN_TOO_LONG = timedelta(minutes=5)
PENDING_TOO_LONG = timedelta(minutes=10)
RECENT_TROUBLE = timedelta(hours=24)
ALARMING_TROUBLE = timedelta(hours=1)
TROUBLED = (OutboxStatus.FAILED, OutboxStatus.UNCERTAIN)


@dataclass(frozen=True)
class Trouble:
    """Sends that failed or may not have arrived, grouped by their reason."""

    network: str
    status: str  # failed | uncertain
    reason: str
    count: int
    latest: datetime


@dataclass(frozen=True)
class Status:
    now: datetime
    schema_version: str
    networks: list[NetworkState]
    outbox: dict[str, dict[str, int]]  # network -> status -> rows
    oldest_pending: dict[str, timedelta]  # network -> how long its oldest due row has waited
    troubles: list[Trouble]  # the last 24 hours
    reminders_next_hour: dict[str, int]
    dead_letters: dict[str, tuple[int, int]]  # network -> (being retried, kept for you)

    def attention(self) -> list[str]:
        """Why someone should look now; empty when all is well."""
        reasons = []
        for state in self.networks:
            if not state.connected and self.now - state.since > DOWN_TOO_LONG:
                reasons.append(
                    f"{state.network} has been down since {state.since:%Y-%m-%d %H:%M} UTC"
                )
        for network, age in sorted(self.oldest_pending.items()):
            if age > PENDING_TOO_LONG:
                reasons.append(f"{network}'s oldest due message has waited {_minutes(age)} minutes")
        recent = [t for t in self.troubles if self.now - t.latest <= ALARMING_TROUBLE]
        if recent:
            count = sum(t.count for t in recent)
            reasons.append(f"sends failed or uncertain in the last hour (at least {count})")
        return reasons


def report(session: Session, now: datetime) -> Status:
    outbox: dict[str, dict[str, int]] = {}
    for network, status, count in session.execute(
        select(OutboxMessage.network, OutboxMessage.status, func.count()).group_by(
            OutboxMessage.network, OutboxMessage.status
        )
    ):
        outbox.setdefault(network, {})[status] = count
    oldest = {
        network: now - due
        for network, due in session.execute(
            select(OutboxMessage.network, func.min(OutboxMessage.not_before))
            .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.not_before <= now)
            .group_by(OutboxMessage.network)
        )
        if due is not None
    }
    reminders = {
        network: count
        for network, count in session.execute(
            select(OutboxMessage.network, func.count())
            .where(
                OutboxMessage.purpose == "reminder",
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.not_before <= now + timedelta(hours=1),
            )
            .group_by(OutboxMessage.network)
        )
    }
    return Status(
        now=now,
        schema_version=schema_version(session),
        networks=heartbeats.states(session, now),
        outbox=outbox,
        oldest_pending={k: _aware(v) for k, v in oldest.items()},
        troubles=_troubles(session, now),
        reminders_next_hour=reminders,
        dead_letters=dead_letters.counts(session),
    )


def _troubles(session: Session, now: datetime) -> list[Trouble]:
    rows = session.execute(
        select(
            OutboxMessage.network,
            OutboxMessage.status,
            OutboxMessage.last_error,
            func.count(),
            func.max(OutboxMessage.finished_at),
        )
        .where(
            OutboxMessage.status.in_(TROUBLED),
            OutboxMessage.finished_at >= now - RECENT_TROUBLE,
        )
        .group_by(OutboxMessage.network, OutboxMessage.status, OutboxMessage.last_error)
    )
    troubles = [
        Trouble(network, status, reason or "", count, latest)
        for network, status, reason, count, latest in rows
        if latest is not None
    ]
    return sorted(troubles, key=lambda t: t.latest, reverse=True)


def schema_version(session: Session) -> str:
    try:
        with session.begin_nested():
            version = session.scalar(text("SELECT version_num FROM alembic_version"))
    except SQLAlchemyError:
        return "none (run gather upgrade)"
    return str(version or "none")


def _aware(age: timedelta) -> timedelta:
    return max(age, timedelta(0))


def _minutes(age: timedelta) -> int:
    return int(age.total_seconds() // 60)
