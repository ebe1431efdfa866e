"""How many gatherings one person, or one room, may start in an hour. Split from
gatherings.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from core.contract.commands import Context
from core.storage.models import Gathering
from core.storage.series import Series
from core.words import i18n

GATHERINGS_PER_PERSON_PER_HOUR = 5
GATHERINGS_PER_ROOM_PER_HOUR = 20


def rate_limited(ctx: Context) -> str | None:
    since = ctx.now - timedelta(hours=1)
    person = ctx.identity.person_id
    by_person = _started_since(
        ctx.session, since, Gathering.organiser_id == person, Series.organiser_id == person
    )
    if by_person >= GATHERINGS_PER_PERSON_PER_HOUR:
        return i18n.text(ctx.language, "gather.too_many_by_person")
    room = ctx.room.id
    by_room = _started_since(ctx.session, since, Gathering.room_id == room, Series.room_id == room)
    if by_room >= GATHERINGS_PER_ROOM_PER_HOUR:
        return i18n.text(ctx.language, "gather.too_many_by_room")
    return None


def _started_since(
    session: Session,
    since: datetime,
    gatherings_of: ColumnElement[bool],
    series_of: ColumnElement[bool],
) -> int:
    """Gatherings and series started since then: a series counts once, not each date the
    job makes of it (a daily series would otherwise block its organiser for an hour)."""
    once = session.scalar(
        select(func.count(Gathering.id)).where(
            gatherings_of, Gathering.created_at > since, Gathering.series_id.is_(None)
        )
    )
    repeating = session.scalar(
        select(func.count(Series.id)).where(series_of, Series.created_at > since)
    )
    return (once or 0) + (repeating or 0)
