"""Telling people, by DM, what changed about a gathering they joined."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.config import Settings
from core.contract.messages import Message
from core.delivery import mentions, outbox, reminders
from core.rules import pledges
from core.rules.people import reachable_identity
from core.rules.pledges import Promotion
from core.storage.models import Gathering, Identity
from core.storage.statuses import PledgeState
from core.storage.traffic import OutboxMessage
from core.words import notice_words

CHANGE_EVERY = timedelta(minutes=5)  # at most one change notice per person and gathering


@dataclass
class Reach:
    """How a notice reaches the pledgers: by DM, by a mention in their network's room, or not
    at all (no DMs, and no room on their network announces the gathering)."""

    by_dm: int = 0
    in_room: int = 0
    unreached: int = 0

    @property
    def told(self) -> int:
        return self.by_dm + self.in_room


def tell_pledgers(
    session: Session,
    gathering: Gathering,
    message: Message,
    purpose: str,
    now: datetime,
    *,
    skip_person: int | None = None,
    states: tuple[PledgeState, ...] = (PledgeState.GOING,),
    changed: list[str] | None = None,
) -> Reach:
    """Queue `message` to every pledger by DM (on the network they joined through, else any
    they can be reached on). Those nobody can DM are mentioned in the gathering's room on
    their network (`mentions`: once per gathering per 12 hours, the news folded together).

    `changed` (what changed: "time", "place"): a change notice, rendered when it is sent with
    the final details; further changes within CHANGE_EVERY are folded into one.

    Returns how many people it reached, and how (for /tell's answer)."""
    reach = Reach()
    unreachable: dict[str, list[Identity]] = {}
    news: object = changed if changed is not None else message.to_json()
    for pledge in pledges.active_pledges(session, gathering.id, states):
        if pledge.person_id == skip_person:
            continue
        identity = reachable_identity(session, pledge.person_id, pledge.network)
        if identity is not None:
            if changed is not None:
                tell_change(session, identity, gathering, changed, now)
            else:
                outbox.to_person(session, identity, message, purpose, gathering.id, now)
            reach.by_dm += 1
            continue
        account = session.scalar(
            select(Identity).where(
                Identity.person_id == pledge.person_id, Identity.network == pledge.network
            )
        )
        if account is None:
            reach.unreached += 1
        else:
            unreachable.setdefault(pledge.network, []).append(account)
    for accounts in unreachable.values():
        if mentions.tell_in_room(session, gathering, accounts, purpose, news, now):
            reach.in_room += len(accounts)
        else:
            reach.unreached += len(accounts)
    return reach


def tell_change(
    session: Session, identity: Identity, gathering: Gathering, changed: list[str], now: datetime
) -> None:
    """A change notice by DM: folded into one still waiting; otherwise due at once, or
    CHANGE_EVERY after the last one, so a burst of edits makes at most one more notice."""
    key = f"changed:{gathering.id}:{identity.id}"
    waiting = session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.coalesce_key == key, OutboxMessage.status == "pending"
        )
    )
    if waiting is not None:
        fields = set(json.loads(waiting.payload).get("changed", [])) | set(changed)
        waiting.payload = json.dumps({"changed": sorted(fields)})
        return
    last = session.scalar(
        select(func.max(OutboxMessage.created_at)).where(
            OutboxMessage.coalesce_key == key, OutboxMessage.status != "pending"
        )
    )
    due = max(now, last + CHANGE_EVERY) if last is not None else now
    outbox.queued_networks(session).add(identity.network)
    session.add(
        OutboxMessage(
            network=identity.network,
            kind="dm",
            purpose="changed",
            identity_id=identity.id,
            person_id=identity.person_id,
            gathering_id=gathering.id,
            coalesce_key=key,
            payload=json.dumps({"changed": sorted(set(changed))}),
            not_before=due,
            created_at=now,
        )
    )
    session.flush()


def tell_person(
    session: Session,
    person_id: int,
    network: str,
    message: Message,
    purpose: str,
    gathering: Gathering,
    now: datetime,
) -> int:
    """Queue a DM to the person (1), or nothing if no account of theirs can be messaged (0)."""
    identity = reachable_identity(session, person_id, network)
    if identity is None:
        return 0
    outbox.to_person(session, identity, message, purpose, gathering.id, now)
    return 1


def welcome_promoted(
    session: Session,
    settings: Settings,
    gathering: Gathering,
    promotion: Promotion,
    now: datetime,
) -> None:
    """People moved up from the waitlist: tell them, and give them their reminders. If that
    reached the target, everyone hears it is on."""
    for pledge in promotion.promoted:
        reminders.schedule(session, settings, gathering, pledge, now)
        tell_person(
            session,
            pledge.person_id,
            pledge.network,
            notice_words.promoted(gathering),
            "promoted",
            gathering,
            now,
        )
    if promotion.reached_target:
        tell_pledgers(session, gathering, notice_words.its_on(gathering), "its_on", now)
