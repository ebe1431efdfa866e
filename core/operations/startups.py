"""When a bot may log in again: a start-up backoff stored in the database.

Every start books the next one: after a start that lasted, `QUICK_STARTS` starts may go one
after another at once (a crash, a deploy, a fix); then the next waits `FIRST`, each further
one twice as long, up to `CAP`, until a start has lasted (`start_lasted`, called by the
adapter after `LASTED_SECONDS` of running). So a crash loop of 50 restarts an hour logs in at
most 8 times in that hour, whichever process or host restarts.
The row is locked while it is read and booked, so processes starting together take turns.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.storage.running import StartBackoff

QUICK_STARTS = 3
FIRST = timedelta(minutes=2)
CAP = timedelta(minutes=30)
LASTED_SECONDS = 600.0  # a run this long was no crash loop: the backoff starts over
JITTER = 0.25  # waits are stretched by up to 25%, so bots failing together come back apart


def _row(session: Session, network: str, bot: str, now: datetime) -> StartBackoff:
    row = session.scalars(
        select(StartBackoff)
        .where(StartBackoff.network == network, StartBackoff.bot == bot)
        .with_for_update()
    ).one_or_none()
    if row is None:
        row = StartBackoff(network=network, bot=bot, failures=0, next_start_at=now, updated_at=now)
        session.add(row)
        session.flush()  # two first starts at once: one of them retries (unique race)
    return row


def take_turn(
    session: Session, network: str, bot: str, now: datetime, chance: random.Random
) -> float:
    """0.0: this start may log in now (and the next is booked later). More: seconds to wait
    before asking again; nothing is booked."""
    row = _row(session, network, bot, now)
    if now < row.next_start_at:
        return (row.next_start_at - now).total_seconds()
    quick = row.failures + 1 < QUICK_STARTS  # the next start is one of the quick ones
    wait = (
        timedelta(0) if quick else min(CAP, FIRST * 2 ** min(row.failures + 1 - QUICK_STARTS, 32))
    )
    row.failures += 1
    row.next_start_at = now + wait * chance.uniform(1.0, 1.0 + JITTER)
    row.updated_at = now
    return 0.0


def lasted(session: Session, network: str, bot: str, now: datetime) -> None:
    """The start ran long enough to count as good: the next failure waits only `FIRST`."""
    row = _row(session, network, bot, now)
    row.failures = 0
    row.updated_at = now


def defer(session: Session, network: str, bot: str, until: datetime, now: datetime) -> None:
    """No start before `until` (the platform said its start budget is spent until then)."""
    row = _row(session, network, bot, now)
    row.next_start_at = max(row.next_start_at, until)
    row.updated_at = now
