""""How did it go?": one DM to the organiser when a gathering has ended.

It is an outbox row written with the gathering (and rewritten when its time changes), due
at its end: durable, sent once by whichever process serves the network, after a restart
too, and late after an outage (until the answer window closes). What it says is decided when
it is sent, in the community's language. Nothing goes for a cancelled gathering or one that
already has a report.

When the organiser cannot be DMed on any network the question is skipped (and recorded so):
asking in the room would ask them in public, and /report works any time without it.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.config import Settings
from core.contract.messages import Message, MessageBuilder, code, user
from core.delivery import outbox
from core.delivery.outbox import Delivery
from core.rules import impact
from core.rules.people import reachable_identity
from core.rules.rooms import community_language
from core.storage.models import Gathering
from core.storage.statuses import GatheringStatus, OutboxKind, OutboxStatus
from core.storage.traffic import OutboxMessage
from core.words import i18n

PURPOSE = "impact_ask"
# Networks whose adapters hand the core a plain private message (not only commands): the
# organiser may simply answer there. Discord hears slash commands only; the console has no
# private chat.
PLAIN_ANSWERS = ("telegram", "mastodon")
ended_at = impact.ended_at
ANSWER_WINDOW = impact.ANSWER_WINDOW


def schedule(session: Session, gathering: Gathering, network: str, now: datetime) -> None:
    """Queue (or re-queue, after the time changed) the question for the gathering's end."""
    session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.gathering_id == gathering.id,
            OutboxMessage.purpose == PURPOSE,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
    )
    due = impact.ended_at(gathering)
    outbox.queued_networks(session).add(network)
    session.add(
        OutboxMessage(
            network=network,
            kind=OutboxKind.DM,
            purpose=PURPOSE,
            gathering_id=gathering.id,
            person_id=gathering.organiser_id,
            payload=json.dumps({"due": due.isoformat()}),
            coalesce_key=f"{PURPOSE}:{gathering.id}",
            not_before=due,
            created_at=now,
        )
    )


def reschedule(session: Session, gathering: Gathering, now: datetime) -> None:
    """The time changed: ask at the new end, on the network it was to be asked on."""
    network = session.scalar(
        select(OutboxMessage.network)
        .where(OutboxMessage.gathering_id == gathering.id, OutboxMessage.purpose == PURPOSE)
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    if network is not None:
        schedule(session, gathering, network, now)


def why_not(session: Session, row: OutboxMessage, gathering: Gathering, now: datetime) -> str | None:
    """Why the question must not go (the fence asks again just before sending)."""
    if gathering.status != GatheringStatus.OPEN:
        return "gathering cancelled"
    if impact.report_of(session, gathering.id) is not None:
        return "already reported"
    if now >= impact.ended_at(gathering) + impact.ANSWER_WINDOW:
        return "too late to ask"
    return None


def prepare(
    session: Session, settings: Settings, row: OutboxMessage, now: datetime
) -> Delivery | None:
    gathering = session.get(Gathering, row.gathering_id) if row.gathering_id else None
    if gathering is None:
        outbox.finish(row, OutboxStatus.SKIPPED, now, "gathering is gone")
        return None
    due = json.loads(row.payload or "{}").get("due")
    if due is not None and datetime.fromisoformat(due) != impact.ended_at(gathering):
        outbox.finish(row, OutboxStatus.SKIPPED, now, "the gathering moved; asked at its new end")
        return None
    reason = why_not(session, row, gathering, now)
    identity = reachable_identity(session, row.person_id, row.network) if row.person_id else None
    if reason is None and identity is None:
        reason = "the organiser cannot be messaged; /report still works"
    if reason is not None or identity is None:
        outbox.finish(row, OutboxStatus.SKIPPED, now, reason or "")
        return None
    language = community_language(settings, gathering.community)
    message = question(gathering, language, plain=identity.network in PLAIN_ANSWERS)
    return outbox.direct_message(row, identity, message)


def question(gathering: Gathering, language: str, *, plain: bool) -> Message:
    """"How did Beach clean (K7QF) go? ..." with how to answer, and what counts meanwhile."""
    example = i18n.text(language, "impact.ask_example")
    command = code(f"/report {gathering.code} {example}")
    b = MessageBuilder()
    b.line(
        *i18n.spans(
            language, "impact.ask_how", title=user(gathering.title), code=code(gathering.code)
        )
    )
    b.line(i18n.text(language, "impact.ask_what"))
    if plain:
        b.line(*i18n.spans(language, "impact.ask_reply_here", example=code(example)))
    b.line(*i18n.spans(language, "impact.ask_command", command=command))
    b.line(
        *i18n.plural_spans(
            language, "impact.ask_meanwhile", gathering.headcount, n=str(gathering.headcount)
        )
    )
    return b.build()
