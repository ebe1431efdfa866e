"""Heartbeats: each receiving process says, in a row of its own, whether its network is
connected. Read by `gather status` and /readyz from the database alone, so from any process."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.storage.running import Heartbeat

BEAT_EVERY = timedelta(seconds=30)
# A row not refreshed for this long belongs to a process that died: its word no longer holds.
STALE_AFTER = BEAT_EVERY * 3
FORGOTTEN_AFTER = timedelta(days=7)  # rows of processes long gone are deleted


@dataclass(frozen=True)
class NetworkState:
    network: str
    connected: bool
    since: datetime  # connected since, or down since (its last sign of being connected)
    processes: int  # rows not yet forgotten


def beat(
    session: Session, network: str, process: str, connected: bool, now: datetime, version: str
) -> bool | None:
    """Refresh this process's row; returns what it said before (None: a first beat)."""
    row = session.get(Heartbeat, (network, process))
    if row is None:
        session.add(
            Heartbeat(
                network=network,
                process=process,
                connected=connected,
                since=now,
                beat_at=now,
                version=version,
            )
        )
        session.execute(delete(Heartbeat).where(Heartbeat.beat_at < now - FORGOTTEN_AFTER))
        return None
    before = row.connected
    if before != connected:
        row.connected, row.since = connected, now
    row.beat_at, row.version = now, version
    return before


def states(session: Session, now: datetime) -> list[NetworkState]:
    """Each network with a heartbeat: connected when any of its processes says so lately."""
    rows = session.scalars(
        select(Heartbeat).where(Heartbeat.beat_at >= now - FORGOTTEN_AFTER)
    ).all()
    by_network: dict[str, list[Heartbeat]] = {}
    for row in rows:
        by_network.setdefault(row.network, []).append(row)
    found = []
    for network, beats in sorted(by_network.items()):
        live = [b for b in beats if b.connected and b.beat_at >= now - STALE_AFTER]
        if live:
            found.append(NetworkState(network, True, min(b.since for b in live), len(beats)))
        else:
            # Down since its last sign of life: a disconnect, or the last beat of a dead process.
            last_up = max(b.beat_at if b.connected else b.since for b in beats)
            found.append(NetworkState(network, False, last_up, len(beats)))
    return found


def connected(session: Session, process: str, networks: list[str], now: datetime) -> list[str]:
    """Which of `networks` this process has lately said are connected."""
    rows = session.scalars(select(Heartbeat).where(Heartbeat.process == process)).all()
    live = {r.network for r in rows if r.connected and r.beat_at >= now - STALE_AFTER}
    return [network for network in networks if network in live]
