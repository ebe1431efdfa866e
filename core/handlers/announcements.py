"""Knowing what is an announcement: a message to the bot with no command word, and the same
announcement sent twice.

A mention on Mastodon ("@gather thanks for organising, see you Saturday!") names a day as
often as an announcement does. It starts a gathering only when it reads as one: no thanks,
greeting, question or "see you" in it, a title of its own, and besides the day at least one
more thing an announcement gives (a time, a place or a headcount). The adapter never asks
about a reply to an announcement: that is talk about a gathering, not a new one.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from core.config import Settings
from core.contract.commands import Context
from core.contract.identities import RoomRef
from core.parsing import ParseError, parse_gathering
from core.rules.rooms import community_name, community_settings
from core.storage.models import Gathering
from core.storage.statuses import GatheringStatus

# The same organiser sending the same text again within this time means the same gathering
# (a double tap, a retry after a slow answer, the same post on a second network).
REPEAT_WINDOW = timedelta(minutes=10)

# Parse failures that say nothing about a day: the text is not about a gathering at all.
_NOT_ABOUT_A_DAY = frozenset({"no_date", "empty", "not_text", "too_long"})
# Notes saying the day was not written but taken from the message's own time ("see you at
# 5pm!", "in 10 minutes"): a day the parser supplied is not one written.
_DAY_NOT_WRITTEN = frozenset({"today", "relative"})

# Words of thanks, greeting, agreement and "see you" in the eight languages: chat about a
# gathering, never an announcement of one. Whole words; a few phrases.
_CHATTER = re.compile(
    r"(?<!\w)(?:"
    r"thanks?|thank you|thx|ty|cheers|see (?:you|ya)|congrats|congratulations|well done|"
    r"great job|count me in|i'?m in|i'?ll be there|can'?t make it|looking forward|"
    r"sounds (?:good|great)|"
    r"danke|vielen dank|bis bald|bis dann|wir sehen uns|bin dabei|ich komme|freue mich|"
    r"kann leider nicht|glückwunsch|"
    r"merci|à bientôt|à plus|on se voit|j'y serai|je viens|bravo|félicitations|hâte|"
    r"gracias|nos vemos|hasta luego|hasta pronto|allí estaré|me apunto|enhorabuena|"
    r"grazie|ci vediamo|a presto|ci sarò|complimenti|"
    r"obrigad[oa]|até logo|até já|vemo-nos|estarei lá|parabéns|"
    r"bedankt|dank je|dank u|tot dan|tot ziens|tot straks|ik ben erbij|ik kom|gefeliciteerd|"
    r"tak|mange tak|vi ses|jeg kommer|tillykke"
    r")(?!\w)",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"\?\s*$")


def is_chatter(text: str) -> bool:
    """Thanks, a greeting, "see you", or a question: talk, not an announcement."""
    return bool(_CHATTER.search(text) or _QUESTION.search(text.strip()))


def reads_as_announcement(settings: Settings, room: RoomRef, text: str, now: datetime) -> bool:
    """Whether a message sent to the bot with no command word announces a gathering.

    It must name a day the parser finds (in the community's languages or a visitor's own), say
    what (a title of its own) and at least one of a time, a place or a headcount, and hold no
    chatter ("thanks", "see you", a question). A day it cannot use ("at 25:00", already past)
    still counts: the reply says what is wrong. Short messages never count."""
    if len(text) < 8 or len(text.split()) < 2 or is_chatter(text):
        return False
    community = community_settings(settings, community_name(settings, room.network, room.chat_id))
    for languages in (list(community.languages), None):
        try:
            parsed = parse_gathering(
                text,
                now=now,
                tz=community.time_zone,
                languages=languages,
                next_weekday=community.next_weekday,
            )
        except ParseError as error:
            if error.code in _NOT_ABOUT_A_DAY:
                continue
            return True
        guessed = {doubt.code for doubt in parsed.ambiguities}
        if "no_title" in guessed or guessed & _DAY_NOT_WRITTEN:
            return False
        return parsed.has_time or parsed.place is not None or parsed.needed is not None
    return False


def _same_words(text: str) -> str:
    return " ".join(text.casefold().split())


def repeated_announcement(ctx: Context, text: str) -> Gathering | None:
    """The open gathering this organiser started from the same words within REPEAT_WINDOW,
    in this community; None when this is a new announcement."""
    recent = ctx.session.scalars(
        select(Gathering)
        .where(
            Gathering.organiser_id == ctx.identity.person_id,
            Gathering.community == ctx.room.community,
            Gathering.status == GatheringStatus.OPEN,
            Gathering.created_at > ctx.now - REPEAT_WINDOW,
        )
        .order_by(Gathering.created_at, Gathering.id)
    )
    wanted = _same_words(text)
    return next((g for g in recent if _same_words(g.original_text) == wanted), None)
