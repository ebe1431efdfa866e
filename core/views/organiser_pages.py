"""What an organiser's private page shows, and the tokens that open it.

Split from `core.views.pages` (the public gathering and community pages): only a digest of
each token is stored, so the database alone cannot open the page.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.storage.models import Gathering, Identity, OrganiserLink, Person, Pledge
from core.views.pages import GatheringView

TOKEN_BYTES = 24


@dataclass(frozen=True)
class Pledger:
    name: str  # "" unless they allowed it
    network: str
    guests: int
    state: str  # going | waitlisted
    since: datetime


@dataclass(frozen=True)
class OrganiserView:
    gathering: GatheringView
    pledgers: tuple[Pledger, ...]


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_organiser_token(session: Session, gathering: Gathering, now: datetime) -> str:
    """A fresh private token for the gathering's organiser page; only its digest is stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        OrganiserLink(token_digest=digest(token), gathering_id=gathering.id, created_at=now)
    )
    return token


def revoke_organiser_tokens(session: Session, gathering: Gathering, now: datetime) -> None:
    session.execute(
        update(OrganiserLink)
        .where(OrganiserLink.gathering_id == gathering.id, OrganiserLink.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def gathering_for_token(session: Session, token: str) -> Gathering | None:
    if not 20 <= len(token) <= 64:
        return None
    return session.scalar(
        select(Gathering)
        .join(OrganiserLink, OrganiserLink.gathering_id == Gathering.id)
        .where(OrganiserLink.token_digest == digest(token), OrganiserLink.revoked_at.is_(None))
    )


def pledgers(session: Session, gathering: Gathering) -> tuple[Pledger, ...]:
    rows = session.execute(
        select(Pledge, Person.shows_name, Identity.display_name)
        .join(Person, Person.id == Pledge.person_id)
        .outerjoin(
            Identity,
            (Identity.person_id == Pledge.person_id) & (Identity.network == Pledge.network),
        )
        .where(Pledge.gathering_id == gathering.id, Pledge.state.in_(("going", "waitlisted")))
        .order_by(Pledge.state, Pledge.created_at, Pledge.id)
    )
    return tuple(
        Pledger(
            name if shows and name else "",
            pledge.network,
            pledge.guests,
            pledge.state,
            pledge.created_at,
        )
        for pledge, shows, name in rows
    )
