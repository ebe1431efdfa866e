"""The organiser's private page link, sent by DM when a gathering starts (and on request)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core.config import Settings
from core.contract.messages import Message, MessageBuilder, code, link, user
from core.delivery import notices
from core.storage.models import Gathering
from core.views.organiser_pages import new_organiser_token
from core.words import i18n


def message(settings: Settings, gathering: Gathering, token: str, language: str) -> Message:
    b = MessageBuilder()
    b.line(*i18n.spans(language, "organiser.dm_title", title=user(gathering.title)))
    b.line(i18n.text(language, "organiser.dm_body"))
    b.line(link(i18n.text(language, "organiser.dm_open"), f"{settings.web.base_url()}/o/{token}"))
    command = code(f"/organiser {gathering.code} off")
    b.line(*i18n.spans(language, "organiser.dm_close", command=command))
    return b.build()


def send(
    session: Session,
    settings: Settings,
    gathering: Gathering,
    person_id: int,
    network: str,
    now: datetime,
) -> None:
    """Queue a new private link to the organiser by DM (nothing when pages are off)."""
    if not settings.web.enabled:
        return
    token = new_organiser_token(session, gathering, now)
    dm = message(settings, gathering, token, gathering.language)
    notices.tell_person(session, person_id, network, dm, "organiser_link", gathering, now)
