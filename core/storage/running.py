"""What running the bots keeps, beside the domain's tables: heartbeats of the receiving
processes, dead letters, the start-up backoff and the send budgets shared across processes.

The tables share the domain's `Base`; `core.storage.schema` gathers both modules, so whatever
needs the whole schema (migrations, tests that walk every table) reads it there.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.models import Base


class Heartbeat(Base):
    """A receiving process's word on its network: connected or not, refreshed while it runs.

    One row per (network, process); `gather status` and /readyz read these, so they work from
    any process. `since` is when `connected` last changed.
    """

    __tablename__ = "heartbeats"

    network: Mapped[str] = mapped_column(String(20), primary_key=True)
    process: Mapped[str] = mapped_column(String(200), primary_key=True)  # host:pid
    connected: Mapped[bool] = mapped_column(Boolean, default=False)
    since: Mapped[datetime]
    beat_at: Mapped[datetime]
    version: Mapped[str] = mapped_column(String(40), default="")


class DeadLetter(Base):
    """An inbound event whose handling raised: kept, retried with backoff by the network that
    received it (only it can translate the raw event again), then kept for the operator
    (`next_attempt_at` None). Handled on a retry, it is deleted."""

    __tablename__ = "dead_letters"
    __table_args__ = (
        UniqueConstraint("network", "event_key"),
        Index(None, "network", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network: Mapped[str] = mapped_column(String(20))
    event_key: Mapped[str] = mapped_column(String(200))
    raw_event: Mapped[str] = mapped_column(Text)  # JSON, as the platform sent it
    error: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime]  # the first failure
    last_failed_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)


class StartBackoff(Base):
    """How soon a bot may log in to its network again, kept across restarts and processes.

    A crash loop of `gather run` would otherwise log in on every start (Discord resets the
    token after 1,000 IDENTIFYs a day). `failures` counts starts since the last one that lasted
    (a start counts as failed until it has run for a while); `next_start_at` is the earliest
    next start. `bot` tells bots of one network apart without holding their token.
    """

    __tablename__ = "start_backoffs"

    network: Mapped[str] = mapped_column(String(20), primary_key=True)
    bot: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    next_start_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SendBudget(Base):
    """One rate limit's schedule for one key (a bot, a chat, a group), shared by every process
    that sends for the bot (GCRA: the earliest instant the next send under it may go).

    Instants are seconds on the database server's clock, so processes on several machines
    agree on them. `paused_until` holds a platform's retry-after for the key.
    """

    __tablename__ = "send_budgets"

    bucket: Mapped[str] = mapped_column(String(300), primary_key=True)
    next_free: Mapped[float] = mapped_column(Float, default=0.0)


class ReceiverLease(Base):
    """Which process receives for one bot: only one may (Telegram answers a second getUpdates
    poller with 409 Conflict, Discord would open a second gateway session). The holder renews
    `renewed_at` while it runs; a lease not renewed for a while is taken over by another.
    `bot` tells bots of one network apart without holding their token.
    """

    __tablename__ = "receiver_leases"

    network: Mapped[str] = mapped_column(String(20), primary_key=True)
    bot: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))  # host:pid, as heartbeats name it
    acquired_at: Mapped[datetime]
    renewed_at: Mapped[datetime]
