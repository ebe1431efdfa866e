"""The rows of traffic with the networks: messages owed out (the outbox), mentions made in
rooms, and inbound events already handled.

Kept apart from `core.storage.models` (the people, rooms and gatherings) so each stays small;
they share its `Base`, and `core.storage.schema` gathers them into the one metadata.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.models import Base
from core.storage.statuses import OutboxKind, OutboxStatus, stored


class OutboxMessage(Base):
    """A message owed to someone other than the person who just spoke.

    Written in the same transaction as the change that caused it; claimed by the process that
    serves its network. Life: pending -> claimed (leased) -> sending (fenced) -> sent, or
    failed / uncertain / skipped. A claimed row whose lease ran out goes back to pending; a
    sending row whose lease ran out becomes uncertain, because the network may have got it.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index(None, "network", "status", "not_before"),
        # Pruning finds finished rows past their retention by this (core/operations/retention.py).
        Index(None, "finished_at"),
        # Only one pending refresh per announcement: a burst of joins becomes one edit.
        Index(
            "uq_outbox_pending_coalesce_key",
            "coalesce_key",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network: Mapped[str] = mapped_column(String(20))
    kind: Mapped[OutboxKind] = mapped_column(stored(OutboxKind, "kind"))
    purpose: Mapped[str] = mapped_column(String(40), default="notice")
    gathering_id: Mapped[int | None] = mapped_column(ForeignKey("gatherings.id"), default=None)
    announcement_id: Mapped[int | None] = mapped_column(
        ForeignKey("announcements.id"), default=None
    )
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"), default=None)
    identity_id: Mapped[int | None] = mapped_column(
        ForeignKey("identities.id", ondelete="CASCADE"), default=None
    )
    # For messages to a person rather than to one of their accounts (reminders): the account
    # is chosen when the message is sent, so linking or forgetting in between is respected.
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), default=None, index=True
    )
    payload: Mapped[str] = mapped_column(Text, default="")
    coalesce_key: Mapped[str | None] = mapped_column(String(100), default=None)
    status: Mapped[OutboxStatus] = mapped_column(
        stored(OutboxStatus, "status"), default=OutboxStatus.PENDING
    )
    # Sends the network refused or lost; waits (rate limits, outages) never count here.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Times it was put off by a wait or an outage; the next try is `not_before`, backed off.
    deferrals: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    not_before: Mapped[datetime]
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    lease_token: Mapped[str | None] = mapped_column(String(40), default=None)
    claimed_by: Mapped[str | None] = mapped_column(String(100), default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class RoomMention(Base):
    """When a person who cannot be DMed was last mentioned in a room about a gathering: one
    mention per gathering per 12 hours, whatever the notice."""

    __tablename__ = "room_mentions"

    identity_id: Mapped[int] = mapped_column(
        ForeignKey("identities.id", ondelete="CASCADE"), primary_key=True
    )
    gathering_id: Mapped[int] = mapped_column(
        ForeignKey("gatherings.id", ondelete="CASCADE"), primary_key=True
    )
    mentioned_at: Mapped[datetime]


class ProcessedEvent(Base):
    """An inbound event already handled: a second delivery of it changes nothing."""

    __tablename__ = "processed_events"
    __table_args__ = (Index(None, "processed_at"),)  # pruned after their retention

    network: Mapped[str] = mapped_column(String(20), primary_key=True)
    event_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    processed_at: Mapped[datetime]
