"""Pledges: who is coming, with how many guests, and the one count across networks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from core.rules import confirmations, counting, roles
from core.storage.models import Gathering, Identity, Pledge, Role
from core.storage.sql import add_if_new, store_now
from core.storage.statuses import LIVE_PLEDGE_STATES, PledgeSource, PledgeState

MAX_GUESTS = 20
# Built once: on SQLite, building a statement costs more than running it.
_PLEDGE_OF = select(Pledge).where(
    Pledge.gathering_id == bindparam("gathering_id"), Pledge.person_id == bindparam("person_id")
)


@dataclass(frozen=True)
class JoinOutcome:
    """What a join did. `state` is the pledge's state afterwards."""

    pledge: Pledge
    state: PledgeState  # going or waitlisted
    changed: bool
    guests: int
    reached_target: bool  # this join is the one that first reached the target
    # Set when more guests were asked for than places are free (the only refusal): the places
    # still free. core/handlers/attendance.py says so in the room's language.
    places_left: int | None = None
    # Who moved up into the place a move to another role freed (`/join CODE driver`).
    promotion: Promotion | None = None
    # The role asked for is full: a person going in another role keeps that place.
    role_full: Role | None = None


@dataclass(frozen=True)
class Promotion:
    """Who moved up from the waitlist, and whether that first reached the target."""

    promoted: list[Pledge]
    reached_target: bool = False


@dataclass(frozen=True)
class LeaveOutcome:
    left: bool
    promotion: Promotion


def source_of(session: Session, code: str, network: str, native_id: str) -> PledgeSource | None:
    """How the pledge (live or withdrawn) of this account's person to `code` was made; None if
    there is none or it is not known."""
    return session.scalar(
        select(Pledge.source)
        .join(Gathering, Gathering.id == Pledge.gathering_id)
        .join(Identity, Identity.person_id == Pledge.person_id)
        .where(Gathering.code == code, Identity.network == network, Identity.native_id == native_id)
    )


def lock_gathering(session: Session, gathering_id: int) -> Gathering | None:
    """Read the gathering and hold its row until commit, so capacity checks cannot race."""
    # populate_existing: the row may already be in the session from an unlocked read, and its
    # counters must be the ones read under the lock, or concurrent joins would be lost. What
    # this transaction counted without the lock is written first, so the read includes it.
    counting.settle(session, gathering_id)
    return session.scalar(
        select(Gathering)
        .where(Gathering.id == gathering_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def pledge_of(session: Session, gathering_id: int, person_id: int) -> Pledge | None:
    return session.scalar(_PLEDGE_OF, {"gathering_id": gathering_id, "person_id": person_id})


def _fits(gathering: Gathering, party: int) -> bool:
    return gathering.capacity is None or gathering.headcount + party <= gathering.capacity


# The counters are written as they change, each in one UPDATE of the locked row: a join is
# the hottest path there is, and the unit of work's flush would cost more than the join.
# A gathering read without its lock (core/rules/counting.py) is counted at commit instead.
def _count(session: Session, gathering: Gathering, people: int, guests: int) -> None:
    if counting.add(session, gathering, people, guests):
        return
    store_now(
        session,
        gathering,
        people_going=gathering.people_going + people,
        guests_going=gathering.guests_going + guests,
    )


def _count_in(session: Session, gathering: Gathering, pledge: Pledge) -> None:
    _count(session, gathering, 1, pledge.guests)


def _count_out(session: Session, gathering: Gathering, pledge: Pledge) -> None:
    _count(session, gathering, -1, -pledge.guests)


def join(
    session: Session,
    gathering: Gathering,
    person_id: int,
    network: str,
    guests: int | None,
    now: datetime,
    source: PledgeSource = PledgeSource.COMMAND,
    role: Role | None = None,
) -> JoinOutcome:
    """Pledge `person_id` (idempotent: joining twice changes nothing).

    `guests=None` keeps any guests already pledged; a number replaces them. `source` is how
    the pledge was made; a live pledge keeps the source it was made with. `role`: the one
    asked for; None takes the general one, or keeps the role a live pledge holds.
    """
    # Most joins are first joins: try the insert, and read an existing pledge only if it fails.
    first_guests = guests or 0
    role_id = role.id if role is not None else roles.first_id(session, gathering)
    for _attempt in range(3):
        pledge = add_if_new(
            session,
            Pledge,
            ("gathering_id", "person_id"),
            gathering_id=gathering.id,
            person_id=person_id,
            network=network,
            guests=first_guests,
            state=_state_for(session, gathering, first_guests, role_id),
            source=source,
            role_id=role_id,
            created_at=now,
            updated_at=now,
        )
        if pledge is not None:
            return _entered(session, gathering, pledge, now)
        pledge = pledge_of(session, gathering.id, person_id)
        if pledge is not None:
            break
        # On PostgreSQL another process may erase it (/forget) between the two: again.
    else:
        raise RuntimeError(f"the pledge of person {person_id} keeps vanishing")
    if pledge.state in LIVE_PLEDGE_STATES:
        if role is not None and pledge.role_id != role.id:
            return _move(session, gathering, pledge, role.id, now)
        wanted_guests = guests if guests is not None else pledge.guests
        if wanted_guests == pledge.guests:
            return JoinOutcome(pledge, pledge.state, False, pledge.guests, False)
        return _change_guests(session, gathering, pledge, wanted_guests, now)
    # Back after leaving: the same row, so the history keeps one line per person.
    pledge.network, pledge.guests, pledge.updated_at = network, first_guests, now
    pledge.role_id = role_id
    pledge.state = _state_for(session, gathering, first_guests, role_id)
    pledge.source = source
    return _entered(session, gathering, pledge, now)


def _state_for(
    session: Session, gathering: Gathering, guests: int, role_id: int | None
) -> PledgeState:
    fits = _fits(gathering, 1 + guests) and roles.fits(session, role_id)
    return PledgeState.GOING if fits else PledgeState.WAITLISTED


def _move(
    session: Session, gathering: Gathering, pledge: Pledge, role_id: int, now: datetime
) -> JoinOutcome:
    """One person holds one role: `/join CODE driver` moves them, and their old place may
    go to someone waiting for it."""
    party, was_going = 1 + pledge.guests, pledge.state == PledgeState.GOING
    # Read while the pledge still counts in its old role, not in the new one.
    fits = roles.fits(session, role_id) and (was_going or _fits(gathering, party))
    if was_going and not fits:  # a sure place is never traded for a place on a waitlist
        return JoinOutcome(pledge, pledge.state, False, pledge.guests, False,
                           role_full=session.get(Role, role_id))
    state = PledgeState.GOING if fits else PledgeState.WAITLISTED
    if fits and not was_going:
        _count_in(session, gathering, pledge)
    pledge.role_id, pledge.state, pledge.updated_at = role_id, state, now
    session.flush()
    promotion = promote_waitlisted(session, gathering, now) if was_going else Promotion([])
    reached = promotion.reached_target or _check_target(session, gathering, now)
    return JoinOutcome(pledge, state, True, pledge.guests, reached, promotion=promotion)


def _entered(session: Session, gathering: Gathering, pledge: Pledge, now: datetime) -> JoinOutcome:
    if pledge.state == PledgeState.GOING:
        _count_in(session, gathering, pledge)
    reached_target = _check_target(session, gathering, now)
    return JoinOutcome(pledge, pledge.state, True, pledge.guests, reached_target)


def _change_guests(
    session: Session, gathering: Gathering, pledge: Pledge, guests: int, now: datetime
) -> JoinOutcome:
    if pledge.state == PledgeState.GOING:
        extra = guests - pledge.guests
        if extra > 0 and not _fits(gathering, extra):  # guests take no role's places
            free = _free(session, gathering, None)
            return JoinOutcome(
                pledge,
                PledgeState.GOING,
                False,
                pledge.guests,
                False,
                places_left=free,
            )
        _count(session, gathering, 0, extra)
    pledge.guests, pledge.updated_at = guests, now
    return JoinOutcome(pledge, pledge.state, True, guests, _check_target(session, gathering, now))


def _free(session: Session, gathering: Gathering, role_id: int | None) -> int:
    """Places still free for one more: the fewer of the gathering's and the role's."""
    room = [roles.free(session, role_id)]
    if gathering.capacity is not None:
        room.append(max(0, gathering.capacity - gathering.headcount))
    return min(n for n in room if n is not None)


def _check_target(session: Session, gathering: Gathering, now: datetime) -> bool:
    """Mark the gathering as on when its count first reaches the target (with roles: when
    every role reached its own). True only that once."""
    if (
        gathering.target is not None
        and gathering.reached_target_at is None
        and gathering.headcount >= gathering.target
        and (not gathering.has_roles or roles.all_met(session, gathering))
    ):
        store_now(session, gathering, reached_target_at=now)
        return True
    return False


def leave(
    session: Session,
    gathering: Gathering,
    person_id: int,
    now: datetime,
    source: PledgeSource = PledgeSource.COMMAND,
) -> LeaveOutcome:
    """Withdraw a pledge (kept as history) and promote whoever now fits from the waitlist.

    A leave by a boost taken back (`source` BOOST) withdraws only a pledge a boost made, and
    clears its source, so that a later boost counts again.
    """
    pledge = pledge_of(session, gathering.id, person_id)
    if pledge is None or pledge.state == PledgeState.WITHDRAWN:
        return LeaveOutcome(False, Promotion([]))
    if source is PledgeSource.BOOST:
        if pledge.source != PledgeSource.BOOST:
            return LeaveOutcome(False, Promotion([]))
        pledge.source = None
    was_going = pledge.state == PledgeState.GOING
    if was_going:
        _count_out(session, gathering, pledge)
    pledge.state, pledge.updated_at = PledgeState.WITHDRAWN, now
    confirmations.forget_answers(pledge)
    session.flush()
    return LeaveOutcome(
        True, promote_waitlisted(session, gathering, now) if was_going else Promotion([])
    )


def promote_waitlisted(session: Session, gathering: Gathering, now: datetime) -> Promotion:
    """Move waitlisted pledges, first come first served, into the places that are free."""
    promoted: list[Pledge] = []
    waiting = session.scalars(
        select(Pledge)
        .where(Pledge.gathering_id == gathering.id, Pledge.state == PledgeState.WAITLISTED)
        .order_by(Pledge.updated_at, Pledge.id)
    ).all()
    for pledge in waiting:
        if not (_fits(gathering, 1 + pledge.guests) and roles.fits(session, pledge.role_id)):
            if gathering.capacity is not None and gathering.headcount >= gathering.capacity:
                break
            continue
        pledge.state, pledge.updated_at = PledgeState.GOING, now
        _count_in(session, gathering, pledge)
        promoted.append(pledge)
    return Promotion(promoted, _check_target(session, gathering, now))


def recount(session: Session, gathering: Gathering) -> None:
    """Recompute the counters from the pledges (after people were merged or forgotten)."""
    people, guests = session.execute(
        select(func.count(Pledge.id), func.coalesce(func.sum(Pledge.guests), 0)).where(
            Pledge.gathering_id == gathering.id, Pledge.state == PledgeState.GOING
        )
    ).one()
    store_now(session, gathering, people_going=int(people), guests_going=int(guests))


def active_pledges(
    session: Session, gathering_id: int, states: tuple[PledgeState, ...] = (PledgeState.GOING,)
) -> list[Pledge]:
    return list(
        session.scalars(
            select(Pledge)
            .where(Pledge.gathering_id == gathering_id, Pledge.state.in_(states))
            .order_by(Pledge.created_at, Pledge.id)
        )
    )
