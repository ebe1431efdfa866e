"""What many handlers share: cleaning what people type, finding a gathering by its code or
the room's newest, reading an announcement in the community's languages, and who may manage
a gathering. Split from gatherings.py."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from core.contract.commands import Context
from core.parsing import ParsedGathering, ParseError, parse_gathering
from core.rules import counting
from core.rules.codes import normalise_code
from core.rules.rooms import community_settings
from core.storage.models import Announcement, Gathering
from core.words import i18n

MAX_TITLE = 200
MAX_PLACE = 300
MAX_PEOPLE = 100_000
# Built once: on SQLite, building a statement costs more than running it.
_BY_CODE = select(Gathering).where(Gathering.code == bindparam("code"))
# populate_existing: the row may already be in the session from an unlocked read, and its
# counters must be the ones read under the lock, or concurrent joins would be lost.
_LOCKED_BY_CODE = _BY_CODE.with_for_update().execution_options(populate_existing=True)
_FOUND_BY_CODE = "gatherings_found_by_code"  # session.info key: code -> Gathering


def clean_text(text: str) -> str:
    """Drop control and format characters (NUL, bidi overrides) that only cause trouble."""
    kept = (
        ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" or ch == "\u200d" else " "
        for ch in text
    )
    return "".join(kept).strip()


def single_line(text: str, limit: int) -> str:
    squeezed = " ".join(clean_text(text).split())
    return squeezed if len(squeezed) <= limit else squeezed[: limit - 1].rstrip() + "…"


_NUMBER = re.compile(r"^\d{1,6}$")
_NONE_WORDS = {"none", "no", "off", "0", "-", "nobody", "unlimited"}


def count_value(value: str, field: str, language: str) -> int | None:
    """`/edit … need 20` / `max none`: the number, or None for no limit; ValueError says why
    it is neither."""
    word = value.split()[0].lower()
    if word in _NONE_WORDS:
        return None
    if not _NUMBER.match(word) or not 0 < int(word) <= MAX_PEOPLE:
        raise ValueError(i18n.text(language, "edit.number", field=field))
    return int(word)


def target_and_capacity(parsed: ParsedGathering) -> tuple[int | None, int | None]:
    """The parser reads a minimum or a plain number as the target ("need 20") and a maximum
    as the capacity ("max 30": later joiners are waitlisted); both may be given."""
    def capped(n: int | None) -> int | None:
        return min(n, MAX_PEOPLE) if n is not None else None

    return capped(parsed.needed), capped(parsed.capacity)


def find_by_code(session: Session, text: str, *, lock: bool = False) -> Gathering | None:
    """The gathering with this code; with `lock`, its row is held until commit (for counts)."""
    normalised = normalise_code(text)
    if normalised is None:
        return None
    if lock:  # what this transaction counted without the lock is written first
        counting.settle(session)
        return session.scalar(_LOCKED_BY_CODE, {"code": normalised})
    # A join looks its code up twice (is it a code or a role?); a batch of joins, once each.
    # The session's own object is what a second SELECT would return anyway: a query does not
    # overwrite the attributes of an object it already holds.
    # Held here, not by id: the session's identity map holds objects only weakly.
    found: dict[str, Gathering] = session.info.setdefault(_FOUND_BY_CODE, {})
    known = found.get(normalised)
    if known is not None and known in session:
        return known
    gathering = session.scalar(_BY_CODE, {"code": normalised})
    if gathering is not None:
        found[normalised] = gathering
    return gathering


def latest_in_room(ctx: Context, count: int = 3) -> list[Gathering]:
    """The room's most recently announced gatherings, newest first, open or not: a command
    without a code means the newest, and only while it is open (never an older one silently)."""
    return list(
        ctx.session.scalars(
            select(Gathering)
            .join(Announcement, Announcement.gathering_id == Gathering.id)
            .where(Announcement.room_id == ctx.room.id)
            .order_by(Gathering.created_at.desc(), Gathering.id.desc())
            .limit(count)
        )
    )


def parse_for(ctx: Context, text: str) -> ParsedGathering:
    """Read an announcement in the community's languages; a visitor writing in another
    supported language is understood too (detection among those only, tried on failure)."""
    community = community_settings(ctx.settings, ctx.room.community)

    def parse(languages: list[str] | None) -> ParsedGathering:
        return parse_gathering(
            text,
            now=ctx.now,
            tz=community.time_zone,
            languages=languages,
            next_weekday=community.next_weekday,
        )

    try:
        return parse(list(community.languages))
    except ParseError as in_community_languages:
        try:
            detected = parse(None)
        except ParseError:
            raise in_community_languages from None
        if detected.language in community.languages:
            raise in_community_languages from None
        return detected


def may_manage(ctx: Context, gathering: Gathering) -> bool:
    """The organiser, or an admin of a room in the gathering's community."""
    if gathering.organiser_id == ctx.identity.person_id:
        return True
    return ctx.command.actor_is_admin and ctx.room.community == gathering.community
