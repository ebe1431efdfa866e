"""The /gather command: starting a gathering from an announcement, and saying what was read."""

from __future__ import annotations

from collections.abc import Callable

from core.contract.commands import Context, Reply, problem
from core.contract.messages import MessageBuilder, code, user
from core.handlers.announcements import repeated_announcement
from core.handlers.common import (
    MAX_PLACE,
    MAX_TITLE,
    clean_text,
    parse_for,
    single_line,
    target_and_capacity,
)
from core.handlers.opening import open_gathering, unused_code
from core.handlers.rate_limits import rate_limited
from core.parsing import ParsedGathering, ParseError
from core.parsing.title import FALLBACK as TITLE_FALLBACK
from core.rules import roles
from core.rules.readings import token
from core.rules.rooms import community_settings
from core.rules.whole_days import when_of
from core.storage.models import Gathering
from core.storage.statuses import GatheringStatus
from core.words import i18n, parse_problems, rendering, roles_shown

EXAMPLE = "/gather Beach clean at Portobello beach, Saturday 10am, need 20 people"


# Starts a series instead, when the announcement repeats (core/handlers/series.py).
StartSeries = Callable[[Context, ParsedGathering, str, str, int | None, int | None], Reply]


def gather(ctx: Context, *, repeating: StartSeries | None = None) -> Reply:
    lang = ctx.language
    example = code(i18n.text(lang, "gather.example"))
    text = clean_text(ctx.args)
    if not text:
        return problem(i18n.text(lang, "gather.tell_me"), example)
    first = repeated_announcement(ctx, text)
    if first is not None:  # a double tap, or a retry: the count stays on the first one
        headline = rendering.headline(first, first.language, words=lang)
        said = MessageBuilder().line(
            *i18n.spans(lang, "gather.already_announced", gathering=headline)
        )
        return Reply(said.build(), gathering_code=first.code, private=True)
    limited = rate_limited(ctx)
    if limited:
        return problem(limited)
    try:
        parsed = parse_for(ctx, text)
    except ParseError as error:
        return problem(parse_problems.message(lang, error))
    missing = {doubt.field for doubt in parsed.ambiguities}
    if {"title", "time"} <= missing:
        # A bare date ("/gather tomorrow") is not yet something people can join.
        return problem(i18n.text(lang, "gather.what_and_when"), example)
    # The parser names an announcement without a title in its language ("Treffen").
    title = single_line(parsed.title, MAX_TITLE) or TITLE_FALLBACK.get(parsed.language, "Gathering")
    target, capacity = target_and_capacity(parsed)
    if parsed.recurrence is not None and repeating is not None:
        return repeating(ctx, parsed, text, title, target, capacity)
    community = community_settings(ctx.settings, ctx.room.community)
    when = when_of(parsed, community.time_zone)
    gathering = Gathering(
        code=unused_code(ctx.session),
        title=title,
        original_text=text,
        starts_at=when.starts_at,
        time_zone=community.time_zone,
        has_time=when.has_time,
        all_day=when.all_day,
        ends_at=when.ends_at,
        place=single_line(parsed.place, MAX_PLACE) if parsed.place else None,
        target=target,
        capacity=capacity,
        status=GatheringStatus.OPEN,
        language=parsed.language,
        organiser_id=ctx.identity.person_id,
        room_id=ctx.room.id,
        community=ctx.room.community,
        version=1,
        people_going=0,
        guests_going=0,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    rooms = open_gathering(
        ctx.session, ctx.settings, gathering, ctx.room, ctx.identity.network, ctx.now,
        wanted=parsed.roles,
    )
    b = MessageBuilder()
    b.line(
        *i18n.spans(
            lang, "gather.started_title", title=user(gathering.title), code=code(gathering.code)
        )
    )
    # All of what was understood, so the organiser can check it at a glance.
    # "20:00 GMT (3pm EST)": a time written in another zone is shown as written too
    written = next((doubt.note.values["phrase"] for doubt in parsed.ambiguities
                    if doubt.code == "zone"), None)
    b.line("🗓 ", rendering.format_when(gathering, gathering.language),
           *((" (", user(str(written)), ")") if written else ()))
    if gathering.place:
        b.line("📍 ", user(gathering.place))
    if gathering.target or gathering.capacity:
        b.line(
            "👥 "
            + (
                i18n.text(lang, "edit.target_and_max", target=gathering.target,
                          max=gathering.capacity)
                if gathering.target and gathering.capacity
                else i18n.text(lang, "gather.need", n=gathering.target)
                if gathering.target
                else i18n.text(lang, "gather.max", n=gathering.capacity)
            )
        )
    if gathering.has_roles:
        b.line("👥 ", *roles_shown.count_parts(roles.counts(ctx.session, gathering)))
    b.line(
        *i18n.plural_spans(
            lang,
            "gather.announced_counted",
            len(rooms),
            command=code(f"/edit {gathering.code} when …"),
        )
    )
    for doubt in parsed.ambiguities:
        b.line(*i18n.spans(lang, "gather.note_line", note=tuple(parse_problems.note(lang, doubt))))
    if any(doubt.code.startswith("fallback_read") for doubt in parsed.ambiguities):
        # The fallback reader is wrong more often: the correction, ready to send.
        local = rendering.local(gathering.starts_at, gathering.time_zone)
        read = f"{local:%d.%m.%Y}" + (f" {local:%H:%M}" if gathering.has_time else "")
        correction = code(f"/edit {gathering.code} when {read}")
        b.line(*i18n.spans(lang, "gather.correct_reading", command=correction))
        _offer_readings(b, gathering, parsed, lang)
    return Reply(b.build(), gathering_code=gathering.code, private=True)


def _offer_readings(
    b: MessageBuilder, gathering: Gathering, parsed: ParsedGathering, language: str
) -> None:
    """A button for each other plausible reading: one tap says `/fix K7QF 20261205T0700`
    (handlers/corrections.py). Networks without buttons keep the /edit line above."""
    for reading in parsed.alternatives:
        label = rendering.short_when(reading.starts_at, gathering.time_zone, reading.has_time,
                                     language)
        argument = token(reading.starts_at, reading.has_time, gathering.time_zone)
        b.button("fix", gathering.code, f"🗓 {label}", argument)

