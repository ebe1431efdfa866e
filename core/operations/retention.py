"""Pruning: no table only grows. Finished records past their retention are deleted.

What goes, and when (the retentions are bots.toml's `[retention]`, `core.config_sections.Retention`):

- outbox rows that are done (sent, failed, skipped, uncertain), `outbox` after they finished.
  Nothing reads a finished row later than minutes after it finished, but `gather status`
  (failed and uncertain sends of the last 24 hours), so the least allowed is one day.
- processed-event keys, `processed_events` after the event was handled. The key makes a
  redelivery change nothing, so it must outlive every redelivery: Telegram keeps an update it
  was not told of for 24 hours (default 7 days, at least 2).
- dead letters kept for the operator, `dead_letters` after their last failure. Letters still
  being retried are never pruned.
- link codes past their expiry, room mentions older than the 12-hour mention rule, heartbeats
  of processes gone for a week, receiver leases of processes gone for a week: their rules say
  when they mean nothing any more, so they have no setting.

Pruning runs in batches of `BATCH` rows, each in its own short transaction, so it never holds
locks for long; on PostgreSQL the rows of a batch are taken with SKIP LOCKED, so two processes
pruning at once (or a sender finishing a row) never wait on each other. Which process prunes is
decided by a turn stored in the database (`take_turn`): one process per `every`, whichever
asks first, and a restart does not prune again before its time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, select, tuple_
from sqlalchemy.orm import Session

from core.config_sections import Retention
from core.delivery.mentions import MENTION_EVERY
from core.operations.heartbeats import FORGOTTEN_AFTER
from core.rules.limits import KEPT_FOR as COMMAND_USES_KEPT_FOR
from core.storage.models import CommandUse, Cursor, LinkCode
from core.storage.running import DeadLetter, Heartbeat, ReceiverLease
from core.storage.sql import insert_ignoring_conflict
from core.storage.statuses import OutboxStatus
from core.storage.traffic import OutboxMessage, ProcessedEvent, RoomMention

BATCH = 500
TURN_KEY = "retention:pruned_at"  # in `cursors`: when pruning last ran, on the core's clock
FINISHED = (
    OutboxStatus.SENT,
    OutboxStatus.FAILED,
    OutboxStatus.SKIPPED,
    OutboxStatus.UNCERTAIN,
)


@dataclass(frozen=True)
class Rule:
    """One kind of row that goes: its table's key columns, and which rows are old at `now`."""

    table: str
    keys: Callable[[], tuple[Any, ...]]
    old: Callable[[Retention, datetime], ColumnElement[bool]]


RULES = (
    Rule(
        "outbox",
        lambda: (OutboxMessage.id,),
        lambda r, now: (
            OutboxMessage.finished_at.is_not(None)
            & (OutboxMessage.finished_at < now - r.outbox)
            & OutboxMessage.status.in_(FINISHED)
        ),
    ),
    Rule(
        "processed_events",
        lambda: (ProcessedEvent.network, ProcessedEvent.event_key),
        lambda r, now: ProcessedEvent.processed_at < now - r.processed_events,
    ),
    Rule(
        "dead_letters",
        lambda: (DeadLetter.id,),
        lambda r, now: (
            DeadLetter.next_attempt_at.is_(None)
            & (DeadLetter.last_failed_at < now - r.dead_letters)
        ),
    ),
    Rule("link_codes", lambda: (LinkCode.code,), lambda _r, now: LinkCode.expires_at < now),
    # Pruned as new uses are written too; this catches a quiet instance's last ones.
    Rule(
        "command_uses",
        lambda: (CommandUse.id,),
        lambda _r, now: CommandUse.used_at < now - COMMAND_USES_KEPT_FOR,
    ),
    Rule(
        "room_mentions",
        lambda: (RoomMention.identity_id, RoomMention.gathering_id),
        # Twice the rule's span: a mention older than that can never hold anyone back.
        lambda _r, now: RoomMention.mentioned_at < now - 2 * MENTION_EVERY,
    ),
    Rule(
        "heartbeats",
        lambda: (Heartbeat.network, Heartbeat.process),
        lambda _r, now: Heartbeat.beat_at < now - FORGOTTEN_AFTER,
    ),
    Rule(
        "receiver_leases",
        lambda: (ReceiverLease.network, ReceiverLease.bot),
        lambda _r, now: ReceiverLease.renewed_at < now - FORGOTTEN_AFTER,
    ),
)


def prune_batch(
    session: Session, rule: Rule, retention: Retention, now: datetime, batch: int = BATCH
) -> int:
    """Delete at most `batch` old rows of one rule; returns how many went."""
    keys = rule.keys()
    chosen = (
        select(*keys).where(rule.old(retention, now)).limit(batch).with_for_update(skip_locked=True)
    )
    ids = session.execute(chosen).all()
    if not ids:
        return 0
    table = keys[0].class_
    if len(keys) == 1:
        condition = keys[0].in_([row[0] for row in ids])
    else:
        condition = tuple_(*keys).in_([tuple(row) for row in ids])
    session.execute(delete(table).where(condition))
    return len(ids)


def take_turn(session: Session, every: timedelta, now: datetime) -> bool:
    """Whether this process prunes now: True at most once per `every`, across processes and
    restarts (the stored instant is read under a row lock and moved on)."""
    insert_ignoring_conflict(
        session, Cursor, {"key": TURN_KEY, "value": "", "updated_at": now}, index_elements=["key"]
    )
    row = session.scalars(select(Cursor).where(Cursor.key == TURN_KEY).with_for_update()).one()
    if row.value and datetime.fromisoformat(row.value) > now - every:
        return False
    row.value, row.updated_at = now.isoformat(), now
    return True
