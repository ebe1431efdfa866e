"""A gathering's numbers as its posts show them, in one aggregate query.

Every announcement edit shows the headcount per network, the waitlist and, once the "Still
coming?" check has gone out, how many confirmed. Counted in the database and grouped, so an
edit of a gathering with a thousand pledges costs one short statement, not a thousand rows.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from core.storage.models import Pledge
from core.storage.statuses import PledgeState


@dataclass(frozen=True)
class Tally:
    """Going people with their guests per network; the waitlist (people); the confirmed
    headcount, None until the check was asked of anyone going."""

    per_network: dict[str, int] = field(default_factory=dict)
    waitlisted: int = 0
    confirmed: int | None = None


_BY_NETWORK_AND_STATE = (
    select(
        Pledge.gathering_id,
        Pledge.network,
        Pledge.state,
        func.count(Pledge.id),
        func.coalesce(func.sum(Pledge.guests), 0),
        func.count(Pledge.asked_at),
        func.coalesce(
            func.sum(case((Pledge.confirmed_at.is_not(None), 1 + Pledge.guests), else_=0)), 0
        ),
    )
    .where(
        Pledge.gathering_id.in_(bindparam("gathering_ids", expanding=True)),
        Pledge.state.in_([PledgeState.GOING, PledgeState.WAITLISTED]),
    )
    .group_by(Pledge.gathering_id, Pledge.network, Pledge.state)
)


@dataclass
class _Counting:
    per_network: dict[str, int] = field(default_factory=dict)
    waitlisted: int = 0
    asked: int = 0
    confirmed: int = 0


def tally(session: Session, gathering_id: int) -> Tally:
    return tallies(session, [gathering_id])[gathering_id]


def tallies(session: Session, gathering_ids: Collection[int]) -> dict[int, Tally]:
    """The numbers of several gatherings in one statement (a sender renders a batch of
    announcement edits together): every id asked for has one, if only the empty one."""
    counting = {gathering_id: _Counting() for gathering_id in gathering_ids}
    if not counting:
        return {}
    rows = session.execute(_BY_NETWORK_AND_STATE, {"gathering_ids": list(counting)})
    for gathering_id, network, state, people, guests, asked_here, confirmed_here in rows:
        numbers = counting[gathering_id]
        if state == PledgeState.WAITLISTED:
            numbers.waitlisted += int(people)
            continue
        numbers.per_network[network] = int(people) + int(guests)
        numbers.asked += int(asked_here)
        numbers.confirmed += int(confirmed_here)
    return {
        gathering_id: Tally(n.per_network, n.waitlisted, n.confirmed if n.asked else None)
        for gathering_id, n in counting.items()
    }
