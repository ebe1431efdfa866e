"""People and their identities on each network; linking two of them into one person."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, insert, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import ReturningInsert

from core.contract import identities
from core.rules.codes import LINK_CODE_LENGTH, new_code
from core.storage.models import Gathering, Identity, LinkCode, Person, Pledge
from core.storage.sql import add_now, as_loaded, store_now
from core.storage.statuses import DmStatus, OutboxStatus, PledgeState
from core.storage.traffic import OutboxMessage

LINK_CODE_LIFETIME = timedelta(minutes=15)
# Built once: on SQLite, building a statement costs more than running it.
_IDENTITY_BY_NATIVE_ID = select(Identity).where(
    Identity.network == bindparam("network"), Identity.native_id == bindparam("native_id")
)


def identity_for(
    session: Session, who: identities.Identity, now: datetime, *, in_private: bool
) -> tuple[Identity, DmStatus]:
    """The stored identity for `who` (created with a new person on first contact), and its DM
    status as it was before this contact.

    Anyone who writes to us is worth trying to DM again; writing in private proves it works.
    The status before lets the adapter tell someone, once, that their DMs were closed.
    """
    identity = session.scalar(
        _IDENTITY_BY_NATIVE_ID, {"network": who.network, "native_id": who.native_id}
    )
    if identity is None:
        return _first_contact(session, who, now, in_private=in_private), DmStatus.UNKNOWN
    before = identity.dm_status
    # Written at once rather than flushed later: every command of a returning person does this.
    changes: dict[str, object] = {"last_seen_at": now}
    name = _clean_name(who.display_name)
    if name and identity.display_name != name:
        changes["display_name"] = name
    if who.handle and identity.handle != who.handle[:300]:
        changes["handle"] = who.handle[:300]
    if in_private:
        changes["dm_status"] = DmStatus.REACHABLE
        if identity.blocked_at is not None:
            changes["blocked_at"] = None  # writing in private means they unblocked the bot
    elif identity.dm_status == DmStatus.UNREACHABLE and identity.blocked_at is None:
        # A closed DM may have opened since; a block lasts until they write in private.
        changes["dm_status"] = DmStatus.UNKNOWN
    store_now(session, identity, **changes)
    return identity, before


def note_blocked(
    session: Session, network: str, native_id: str, blocked: bool, now: datetime
) -> None:
    """The network says this person blocked the bot (or unblocked it). Blocked: no DMs until
    they write to the bot in private. Unblocked: DMs are worth trying once they write again.
    Nothing is kept about someone the bot has never met."""
    identity = session.scalar(_IDENTITY_BY_NATIVE_ID, {"network": network, "native_id": native_id})
    if identity is None:
        return
    if blocked:
        if identity.blocked_at is None:
            identity.blocked_at = now
        identity.dm_status = DmStatus.UNREACHABLE
    else:
        identity.blocked_at = None


def is_blocked(session: Session, network: str, native_id: str) -> bool:
    identity = session.scalar(_IDENTITY_BY_NATIVE_ID, {"network": network, "native_id": native_id})
    return identity is not None and identity.blocked_at is not None


def _first_contact(
    session: Session, who: identities.Identity, now: datetime, *, in_private: bool
) -> Identity:
    """A new person with this identity, both as if loaded (most of a flash mob are new)."""
    person = {
        "created_at": now,
        "reminders_enabled": True,
        "reminder_offsets": None,
        "shows_name": False,
    }
    account = {
        "network": who.network,
        "native_id": who.native_id,
        "display_name": _clean_name(who.display_name),
        "handle": who.handle[:300],
        "dm_status": DmStatus.REACHABLE if in_private else DmStatus.UNKNOWN,
        "last_seen_at": now,
    }
    if session.get_bind().dialect.name == "postgresql":
        # One round trip for both rows; SQLite cannot put an INSERT in a WITH.
        row = session.connection().execute(_PERSON_WITH_IDENTITY, {**person, **account}).one()
        identity = as_loaded(session, Identity, row._asdict())
        person_row = as_loaded(session, Person, {"id": identity.person_id, **person})
    else:
        person_row = add_now(session, Person, **person)
        identity = add_now(session, Identity, person_id=person_row.id, **account)
    # As if loaded together: it also keeps the person in the session's weak identity map.
    set_committed_value(identity, "person", person_row)
    return identity


def _person_with_identity() -> ReturningInsert[Any]:
    """INSERT a person and, in the same statement, their identity (PostgreSQL)."""
    accounts = inspect(Identity).local_table
    new_person = (
        insert(Person)
        .values({name: bindparam(name) for name in _PERSON_COLUMNS})
        .returning(Person.id)
        .cte("new_person")
    )
    return (
        insert(Identity)
        .from_select(
            ["person_id", *_ACCOUNT_COLUMNS],
            select(
                new_person.c.id,
                *(bindparam(name, type_=accounts.c[name].type) for name in _ACCOUNT_COLUMNS),
            ),
        )
        .add_cte(new_person)
        .returning(*accounts.c)
    )


_PERSON_COLUMNS = ("created_at", "reminders_enabled", "reminder_offsets", "shows_name")
_ACCOUNT_COLUMNS = ("network", "native_id", "display_name", "handle", "dm_status", "last_seen_at")
_PERSON_WITH_IDENTITY = _person_with_identity()


def _clean_name(name: str) -> str:
    printable = "".join(ch for ch in name if ch.isprintable())
    return " ".join(printable.split())[:200]


def start_link(session: Session, identity: Identity, now: datetime) -> str:
    """A one-time code that, said from another network, joins that identity to this person."""
    session.execute(delete(LinkCode).where(LinkCode.identity_id == identity.id))
    session.execute(delete(LinkCode).where(LinkCode.expires_at < now))
    while True:
        code = new_code(LINK_CODE_LENGTH)
        if session.get(LinkCode, code) is None:
            break
    session.add(LinkCode(code=code, identity_id=identity.id, expires_at=now + LINK_CODE_LIFETIME))
    return code


def redeem_link(session: Session, code: str, identity: Identity, now: datetime) -> Identity | None:
    """Merge the person behind `identity` into the person who asked for `code`.

    Returns the identity the code was made for, or None if the code is unknown or expired.
    Afterwards both identities belong to one person, whose pledges count once per gathering.
    """
    link = session.get(LinkCode, code)
    if link is None or link.expires_at < now:
        return None
    origin = session.get(Identity, link.identity_id)
    session.delete(link)
    if origin is None:
        return None
    if origin.person_id != identity.person_id:
        merge_people(session, keep=origin.person_id, drop=identity.person_id)
    return origin


def merge_people(session: Session, *, keep: int, drop: int) -> set[int]:
    """Move everything of person `drop` to `keep`; returns the gatherings whose counts moved."""
    touched: set[int] = set()
    kept = {
        p.gathering_id: p for p in session.scalars(select(Pledge).where(Pledge.person_id == keep))
    }
    for pledge in session.scalars(select(Pledge).where(Pledge.person_id == drop)).all():
        touched.add(pledge.gathering_id)
        mine = kept.get(pledge.gathering_id)
        if mine is None:
            pledge.person_id = keep
            continue
        # Both had pledged: one person counts once. Keep the stronger pledge; guests of a
        # withdrawn pledge are history, so only live pledges' guests are kept.
        rank = {PledgeState.GOING: 2, PledgeState.WAITLISTED: 1, PledgeState.WITHDRAWN: 0}
        live_guests = [p.guests for p in (mine, pledge) if p.state != PledgeState.WITHDRAWN]
        if rank[pledge.state] > rank[mine.state]:
            mine.state, mine.network, mine.source = pledge.state, pledge.network, pledge.source
        mine.guests = max(live_guests, default=mine.guests)
        session.delete(pledge)
    session.flush()
    session.execute(update(Identity).where(Identity.person_id == drop).values(person_id=keep))
    session.execute(
        update(Gathering).where(Gathering.organiser_id == drop).values(organiser_id=keep)
    )
    # The kept person's reminders are rescheduled by the caller; the dropped one's would repeat.
    session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.person_id == drop,
            OutboxMessage.purpose == "reminder",
            OutboxMessage.status == OutboxStatus.PENDING,
        )
    )
    session.execute(
        update(OutboxMessage).where(OutboxMessage.person_id == drop).values(person_id=keep)
    )
    keeper = session.get(Person, keep)
    dropped = session.get(Person, drop)
    if keeper is not None and dropped is not None:
        keeper.shows_name = keeper.shows_name or dropped.shows_name
        keeper.reminders_enabled = keeper.reminders_enabled and dropped.reminders_enabled
        # A bulk delete: the identities were moved by bulk update, which the ORM's cascade
        # (nulling their person_id) must not undo.
        session.execute(delete(Person).where(Person.id == drop))
    return touched


def reachable_identity(
    session: Session, person_id: int, prefer_network: str | None
) -> Identity | None:
    """The identity to DM: the preferred network's if reachable, else any reachable one."""
    candidates = list(
        session.scalars(
            select(Identity)
            .where(Identity.person_id == person_id, Identity.dm_status != DmStatus.UNREACHABLE)
            .order_by(Identity.last_seen_at.desc())
        )
    )
    for identity in candidates:
        if identity.network == prefer_network:
            return identity
    return candidates[0] if candidates else None


def display_names(session: Session, person_ids: list[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for identity in session.scalars(
        select(Identity).where(Identity.person_id.in_(person_ids)).order_by(Identity.last_seen_at)
    ):
        names[identity.person_id] = identity.display_name or identity.handle or "someone"
    return names
