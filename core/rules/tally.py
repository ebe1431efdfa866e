"""A gathering's numbers as its posts show them, in one aggregate query.

Every announcement edit shows the headcount per network, the waitlist and, once the "Still
coming?" check has gone out, how many confirmed. Counted in the database and grouped, so an
edit of a gathering with a thousand pledges costs one short statement, not a thousand rows.
"""

from __future__ import annotations

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
        Pledge.gathering_id == bindparam("gathering_id"),
        Pledge.state.in_([PledgeState.GOING, PledgeState.WAITLISTED]),
    )
    .group_by(Pledge.network, Pledge.state)
)


def tally(session: Session, gathering_id: int) -> Tally:
    per_network: dict[str, int] = {}
    waitlisted = asked = confirmed = 0
    rows = session.execute(_BY_NETWORK_AND_STATE, {"gathering_id": gathering_id})
    for network, state, people, guests, asked_here, confirmed_here in rows:
        if state == PledgeState.WAITLISTED:
            waitlisted += int(people)
            continue
        per_network[network] = int(people) + int(guests)
        asked += int(asked_here)
        confirmed += int(confirmed_here)
    return Tally(per_network, waitlisted, confirmed if asked else None)
