"""Receiver leases: one process receives for a bot, the others wait their turn.

Telegram lets one getUpdates poller through (a second gets 409 Conflict and they take turns
kicking each other out); Discord opens a second gateway session for a second login, so both
would handle every event. So each bot (network + a digest of its token) has a lease row: the
process that holds it receives, and renews it every `RENEW_EVERY`; another takes it over once
it has not been renewed for `STALE_AFTER` (its holder died or lost the database), or at once
when the holder releases it on a clean stop. The row is read under a lock, so two processes
asking together never both get it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.operations.heartbeats import BEAT_EVERY
from core.storage.running import ReceiverLease
from core.storage.sql import insert_ignoring_conflict

RENEW_EVERY = BEAT_EVERY
STALE_AFTER = RENEW_EVERY * 3  # as a heartbeat: three missed renewals and the holder is gone


@dataclass(frozen=True)
class Holding:
    """The answer to "may I receive?": `mine`, or who holds it and since when it was renewed."""

    mine: bool
    holder: str
    renewed_at: datetime


def hold(
    session: Session,
    network: str,
    bot: str,
    process: str,
    now: datetime,
    take_from: str | None = None,
) -> Holding:
    """Take or renew the lease for `process`, unless another live process holds it.
    `take_from`: the caller knows that holder is dead (a process of its own host that no
    longer runs, say after a SIGKILL and a restart): its lease is taken at once."""
    insert_ignoring_conflict(
        session,
        ReceiverLease,
        {"network": network, "bot": bot, "holder": process, "acquired_at": now, "renewed_at": now},
        index_elements=["network", "bot"],
    )
    row = session.scalars(
        select(ReceiverLease)
        .where(ReceiverLease.network == network, ReceiverLease.bot == bot)
        .with_for_update()
    ).one()
    if row.holder != process:
        if row.holder != take_from and row.renewed_at > now - STALE_AFTER:
            return Holding(False, row.holder, row.renewed_at)
        row.holder, row.acquired_at = process, now  # its holder is gone: taken over
    row.renewed_at = now
    return Holding(True, process, now)


def release(session: Session, network: str, bot: str, process: str) -> None:
    """A clean stop: the next process may take over at once (only the holder's word counts)."""
    session.execute(
        delete(ReceiverLease).where(
            ReceiverLease.network == network,
            ReceiverLease.bot == bot,
            ReceiverLease.holder == process,
        )
    )
