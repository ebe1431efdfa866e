"""/report (how a gathering went, by its organiser) and /impact (what was achieved, as totals).

`/report K7QF 14 came, 32 bags` records or corrects a report (a later one replaces it whole);
without a code it is about the organiser's latest ended gathering. A plain private message
from an organiser whose gathering awaits a report comes here too (`Gather.handle`): it is the
answer to the "how did it go?" DM. `/impact` shows a community's totals this year and all
time, `/impact K7QF` one gathering's, `/impact QVK4W` a series' dates together; never
anybody's name.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from sqlalchemy import select

from core.contract.commands import Context, Reply, problem
from core.contract.messages import MessageBuilder, Span, code, strong, user
from core.handlers.common import clean_text, find_by_code, may_manage
from core.handlers.series import find_series
from core.parsing.impact_report import Count, ReportFigures, read_report
from core.rules import impact
from core.rules.codes import normalise_code
from core.rules.rooms import community_language, community_settings
from core.storage.models import Gathering
from core.storage.series import Series
from core.storage.statuses import GatheringStatus
from core.words import i18n

MAX_REPORT = 1000
# /report without a code may correct the latest ended gathering this long after its end.
CORRECTION_WINDOW = timedelta(days=31)


def report(ctx: Context) -> Reply:
    lang = ctx.language
    first, _, rest = ctx.args.partition(" ")
    gathering = find_by_code(ctx.session, first) if normalise_code(first) else None
    if gathering is None and _typed_as_code(first):
        # A mistyped code must not report on another gathering.
        return problem(i18n.text(lang, "reply.unknown_code", code=first[:12]))
    text = clean_text(rest if gathering is not None else ctx.args)[:MAX_REPORT]
    if gathering is None:
        gathering = impact.awaiting_report(
            ctx.session, ctx.identity.person_id, ctx.now
        ) or _latest_ended(ctx)
    example = i18n.text(lang, "impact.ask_example")
    if gathering is None:
        which = i18n.spans(lang, "report.which", command=code(f"/report K7QF {example}"))
        return problem(tuple(which))
    if not may_manage(ctx, gathering):
        # The organiser, or an admin (the only way once the organiser has used /forget).
        return problem(i18n.text(lang, "report.only_organiser", code=gathering.code))
    if gathering.organiser_id == ctx.identity.person_id:
        # Its community's language, as the question was asked (a private chat has none).
        lang = community_language(ctx.settings, gathering.community)
        example = i18n.text(lang, "impact.ask_example")
    command = code(f"/report {gathering.code} {example}")
    if gathering.status != GatheringStatus.OPEN:
        return problem(i18n.text(lang, "report.cancelled", code=gathering.code))
    if gathering.starts_at > ctx.now:
        return problem(i18n.text(lang, "report.not_yet", code=gathering.code))
    figures = _read(ctx, text, gathering, lang)
    if figures.empty:
        key = "report.usage" if not text else "report.no_numbers"
        return problem(tuple(i18n.spans(lang, key, command=command)))
    impact.record(ctx.session, gathering, figures, ctx.identity.person_id, ctx.now)
    b = MessageBuilder()
    b.line(
        *i18n.spans(lang, "report.recorded", title=user(gathering.title), code=code(gathering.code))
    )
    if figures.people is not None:
        b.line("👥 ", *i18n.plural_spans(lang, "impact.people", figures.people))
    else:
        b.line("👥 ", *i18n.plural_spans(lang, "report.no_people", gathering.headcount))
    if figures.things:
        b.line("🧺 ", *_things(lang, list(figures.things)))
    b.line(*i18n.spans(lang, "report.correct", command=code(f"/report {gathering.code} …")))
    return Reply(b.build(), gathering_code=gathering.code, private=True)


def _read(ctx: Context, text: str, gathering: Gathering, lang: str) -> ReportFigures:
    """Read in the reply's language, then the community's others and the speaker's: the first
    reading that finds the people who came ("15 personnes" in a German and French community),
    else the first that finds anything."""
    community = community_settings(ctx.settings, gathering.community)
    readings = [
        read_report(text, language)
        for language in dict.fromkeys((lang, *community.languages, ctx.language))
    ]
    return next((r for r in readings if r.people is not None), None) or next(
        (r for r in readings if not r.empty), readings[0]
    )


def _typed_as_code(word: str) -> bool:
    """"K7QF", "#K7QF": a code, not the first word of a report ("huge success", "14")."""
    return normalise_code(word) is not None and (
        (any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word)) or word.isupper()
    )


def _latest_ended(ctx: Context) -> Gathering | None:
    """The speaker's latest gathering that has ended (reported or not), for a correction."""
    for gathering in ctx.session.scalars(
        select(Gathering)
        .where(
            Gathering.organiser_id == ctx.identity.person_id,
            Gathering.status == GatheringStatus.OPEN,
            Gathering.starts_at <= ctx.now,
            Gathering.starts_at > ctx.now - CORRECTION_WINDOW - impact.LONGEST,
        )
        .order_by(Gathering.starts_at.desc())
    ):
        if impact.ended_at(gathering) <= ctx.now < impact.ended_at(gathering) + CORRECTION_WINDOW:
            return gathering
    return None


def impact_of(ctx: Context) -> Reply:
    lang = ctx.language
    if ctx.args.strip():
        return _one(ctx, ctx.args.split()[0])
    if ctx.command.room.is_private:
        # A private chat is a "community" of its own, where nothing is ever held.
        return problem(tuple(i18n.spans(lang, "impact.in_private", command=code("/impact K7QF"))))
    community = ctx.room.community
    gatherings = impact.community_gatherings(ctx.session, community, ctx.now)
    all_time = impact.held(ctx.session, gatherings, ctx.now)
    if all_time.gatherings == 0:
        return Reply(MessageBuilder().line(i18n.text(lang, "impact.nothing_yet")).build())
    zone = ZoneInfo(community_settings(ctx.settings, community).time_zone)
    local_now = ctx.now.astimezone(zone)
    new_year = datetime(local_now.year, 1, 1, tzinfo=zone)
    this_year = impact.held(ctx.session, gatherings, ctx.now, since=new_year)
    b = MessageBuilder().line(strong(i18n.text(lang, "impact.title")))
    b.line(*i18n.spans(lang, "impact.this_year", year=str(local_now.year)))
    _figures(b, lang, this_year)
    b.line(i18n.text(lang, "impact.all_time"))
    _figures(b, lang, all_time)
    if all_time.hours_assumed:
        b.line(i18n.text(lang, "impact.hours_assumed"))
    return Reply(b.build(), private=False)


def _one(ctx: Context, typed: str) -> Reply:
    lang = ctx.language
    series = find_series(ctx.session, typed)
    if series is not None:
        return _series(ctx, series)
    gathering = find_by_code(ctx.session, typed)
    if gathering is None:
        shown = "".join(ch for ch in typed if ch.isprintable())[:12] or "?"
        return problem(i18n.text(lang, "reply.unknown_code", code=shown))
    if gathering.status != GatheringStatus.OPEN:
        return problem(i18n.text(lang, "report.cancelled", code=gathering.code))
    if impact.ended_at(gathering) > ctx.now:
        return problem(i18n.text(lang, "impact.not_held_yet", code=gathering.code))
    totals = impact.held(ctx.session, [gathering], ctx.now)
    b = MessageBuilder().line(
        *i18n.spans(lang, "impact.one_title", title=user(gathering.title), code=code(gathering.code))
    )
    _figures(b, lang, totals, with_count=False)
    if totals.hours_assumed:
        b.line(i18n.text(lang, "impact.hours_assumed"))
    return Reply(b.build(), private=False, gathering_code=gathering.code)


def _series(ctx: Context, series: Series) -> Reply:
    """A series' totals: every date of it held so far, counted like a community's."""
    lang = ctx.language
    dates = ctx.session.scalars(select(Gathering).where(Gathering.series_id == series.id))
    totals = impact.held(ctx.session, dates, ctx.now)
    if totals.gatherings == 0:
        return problem(i18n.text(lang, "impact.not_held_yet", code=series.code))
    b = MessageBuilder().line(
        *i18n.spans(lang, "impact.one_title", title=user(series.title), code=code(series.code))
    )
    _figures(b, lang, totals)
    if totals.hours_assumed:
        b.line(i18n.text(lang, "impact.hours_assumed"))
    return Reply(b.build(), private=False)


def _figures(b: MessageBuilder, lang: str, totals: impact.Totals, *, with_count: bool = True) -> None:
    """The lines of one set of totals: gatherings, people, hours, counted things."""
    if with_count:
        b.line("📅 ", *i18n.plural_spans(lang, "impact.gatherings", totals.gatherings))
    people = i18n.plural_spans(lang, "impact.people", totals.people)
    if totals.unconfirmed:
        people += [" ", *i18n.plural_spans(lang, "impact.unconfirmed", totals.unconfirmed)]
    b.line("👥 ", *people)
    hours = round(totals.hours)
    b.line("⏱ ", *i18n.plural_spans(lang, "impact.hours", hours))
    if totals.things:
        b.line("🧺 ", *_things(lang, totals.counted()))


def _things(lang: str, things: list[tuple[str, Count]]) -> list[str | Span]:
    """"32 bags · 1 shopping trolley · 3.5 tonnes": the nouns as the organisers wrote them
    (user text), the counts as the language writes numbers ("1,200"; "3,5" in German)."""
    parts: list[str | Span] = []
    for noun, count in things:
        if parts:
            parts.append(" · ")
        parts += [f"{format_decimal(count, locale=i18n.babel_locale(lang))} ", user(noun)]
    return [*i18n.spans(lang, "impact.counted", things=tuple(parts))]
