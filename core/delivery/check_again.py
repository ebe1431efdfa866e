"""A gathering moved: "Still coming?" answers given for the old time are asked again.

A "yes" for Saturday says nothing about the Wednesday it moved to. Whoever will get the
day-before reminder again (it is still ahead at the new time) loses their answer, so that
reminder asks afresh and the count stops claiming confirmations for another date. Whoever's
check cannot come again (the new time is too close) keeps theirs: better an answer about the
old time than none.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import Settings
from core.delivery import reminders
from core.rules import confirmations
from core.rules.rooms import community_settings
from core.storage.models import Gathering, Pledge
from core.storage.statuses import PledgeState


def after_move(session: Session, settings: Settings, gathering: Gathering, now: datetime) -> None:
    community = community_settings(settings, gathering.community)
    answered = session.scalars(
        select(Pledge).where(
            Pledge.gathering_id == gathering.id,
            Pledge.state == PledgeState.GOING,
            Pledge.asked_at.is_not(None) | Pledge.confirmed_at.is_not(None),
        )
    )
    for pledge in answered:
        offsets = reminders.offsets_for(session, settings, gathering, pledge.person_id)
        minutes = community.still_coming_minutes(offsets)
        if minutes is not None and reminders.due_at(gathering, minutes, pledge.person_id) > now:
            confirmations.forget_answers(pledge)
