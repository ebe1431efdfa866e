"""Roles: what a gathering needs people for, each with its own count, target and room.

A gathering with roles has `has_roles` set and rows in `roles`, position 0 first: the general
role, which a plain join (or a boost) takes. Each pledge holds one role (`Pledge.role_id`).
Counts are never stored: they are read from the pledges, under the gathering's row lock when
a join decides, so they cannot drift from the pledges or race.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.parsing import ParsedRole, same_role, slug
from core.storage.models import Gathering, Pledge, Role
from core.storage.statuses import PledgeState

MAX_ROLE_TARGET = 5000


@dataclass(frozen=True)
class RoleCount:
    role: Role
    going: int  # the people who hold it (their guests count in the gathering's total only)
    waiting: int

    @property
    def missing(self) -> int:
        return max(0, (self.role.target or 0) - self.going)


def create(session: Session, gathering: Gathering, parsed: Sequence[ParsedRole]) -> None:
    """The roles read from the announcement; the gathering's target becomes the sum of those
    with a number (one for as many as come, "lots of helpers", has none)."""
    if not parsed:
        return
    targets = [None if r.target is None else min(r.target, MAX_ROLE_TARGET) for r in parsed]
    for position, (role, target) in enumerate(zip(parsed, targets, strict=True)):
        session.add(Role(gathering_id=gathering.id, position=position, name=role.name,
                         target=target))
    gathering.has_roles = True
    gathering.target = sum(t for t in targets if t is not None) or None
    session.flush()


def stored(parsed: Sequence[ParsedRole]) -> str | None:
    """The roles as a series keeps them for each of its dates: JSON [[name, target], ...]."""
    return json.dumps([[role.name, role.target] for role in parsed]) if parsed else None


def from_stored(text: str | None) -> tuple[ParsedRole, ...]:
    """`stored` read back; nothing for a series without roles (or from before they were kept)."""
    if not text:
        return ()
    return tuple(ParsedRole(str(name), None if target is None else int(target))
                 for name, target in json.loads(text))


def of(session: Session, gathering: Gathering) -> list[Role]:
    if not gathering.has_roles:
        return []
    return list(session.scalars(
        select(Role).where(Role.gathering_id == gathering.id).order_by(Role.position)
    ))


def first_id(session: Session, gathering: Gathering) -> int | None:
    """The general role's id (a plain join takes it); None without roles."""
    if not gathering.has_roles:
        return None
    return session.scalar(
        select(Role.id).where(Role.gathering_id == gathering.id).order_by(Role.position).limit(1)
    )


def named(roles: Sequence[Role], said: str) -> Role | None:
    """The role `said` names: the exact word first, then singular or plural ("driver")."""
    wanted = slug(said)
    exact = next((role for role in roles if slug(role.name) == wanted), None)
    return exact or next((role for role in roles if same_role(said, role.name)), None)


def counts(session: Session, gathering: Gathering) -> list[RoleCount]:
    """Each role (in order) with the people going and waiting in it. A guest comes along
    with someone but is not a driver or a first-aider because of it: guests count in the
    gathering's total, never in a role (or a driver's +1 would make "Drivers 2/2")."""
    roles = of(session, gathering)
    if not roles:
        return []
    rows = session.execute(
        select(Pledge.role_id, Pledge.state, func.count(Pledge.id))
        .where(Pledge.gathering_id == gathering.id,
               Pledge.state.in_((PledgeState.GOING, PledgeState.WAITLISTED)))
        .group_by(Pledge.role_id, Pledge.state)
    ).all()
    going = {role_id: int(n) for role_id, state, n in rows if state == PledgeState.GOING}
    waiting = {role_id: int(n) for role_id, state, n in rows if state == PledgeState.WAITLISTED}
    return [RoleCount(role, going.get(role.id, 0), waiting.get(role.id, 0)) for role in roles]


def _going_in(session: Session, role_id: int) -> int:
    return int(session.scalar(
        select(func.count(Pledge.id))
        .where(Pledge.role_id == role_id, Pledge.state == PledgeState.GOING)
    ) or 0)


def free(session: Session, role_id: int | None) -> int | None:
    """Places still free in the role; None when it has no limit (or there is no role)."""
    if role_id is None:
        return None
    role = session.get(Role, role_id)
    if role is None or role.capacity is None:
        return None
    return max(0, role.capacity - _going_in(session, role_id))


def fits(session: Session, role_id: int | None) -> bool:
    """Whether one more person may hold the role (guests take none of its places)."""
    room = free(session, role_id)
    return room is None or room >= 1


def all_met(session: Session, gathering: Gathering) -> bool:
    """Every role has reached its target: the gathering is on."""
    return all(count.missing == 0 for count in counts(session, gathering))


def held_by(session: Session, gathering: Gathering, name: str | None) -> Role | None:
    """The gathering's role of this name (a series follower's); None: its general one."""
    return named(of(session, gathering), name) if name else None


def label(role: Role | ParsedRole) -> str:
    """The role as shown: "Pickers", "First-aider", "EHBO'er"."""
    return role.name[:1].upper() + role.name[1:]
