"""Series by command: started by /gather with a repeating date, joined and left as a whole
(/join SERIES, /leave SERIES), ended by /cancel SERIES. The other commands name a series by
its code (five letters, one more than a gathering's) and otherwise mean a gathering."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.contract.commands import Context, Reply, problem
from core.contract.messages import MessageBuilder, Span, code, user
from core.delivery import mentions, notices, outbox, reminders
from core.handlers.common import MAX_PLACE, single_line
from core.handlers.occurrences import future_occurrences, make_occurrence
from core.handlers.opening import refresh_all, unused_code
from core.parsing import ParsedGathering, same_role
from core.rules import pledges, roles
from core.rules.codes import GATHERING_CODE_LENGTH, normalise_code
from core.rules.people import reachable_identity
from core.rules.rooms import community_settings
from core.rules.series_days import following_day, rule_of, times_on
from core.storage.models import Gathering, Identity
from core.storage.series import Series, SeriesPledge
from core.storage.statuses import (
    LIVE_PLEDGE_STATES,
    GatheringStatus,
    PledgeState,
    SeriesStatus,
)
from core.words import i18n, notice_words, parse_problems, rendering
from core.words.roles_shown import names

SERIES_CODE_LENGTH = GATHERING_CODE_LENGTH + 1
LIST_LIMIT = 10  # series with no date announced yet, in /list
Handler = Callable[[Context], Reply]


def find_series(session: Session, text: str, *, lock: bool = False) -> Series | None:
    normalised = normalise_code(text)
    if normalised is None or len(normalised) != SERIES_CODE_LENGTH:
        return None
    query = select(Series).where(Series.code == normalised)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def or_gathering(for_series: Callable[[Context, Series], Reply], otherwise: Handler) -> Handler:
    """A command that means the series when its first word is a series' code."""

    def handle(ctx: Context) -> Reply:
        first = ctx.args.split(maxsplit=1)[0] if ctx.args.strip() else ""
        series = find_series(ctx.session, first, lock=True) if first else None
        return for_series(ctx, series) if series is not None else otherwise(ctx)

    return handle


def next_when(series: Series, language: str) -> str:
    """The date and time of the series' next occurrence not made yet, in `language`."""
    assert series.next_day is not None
    times = times_on(series, series.next_day)
    return rendering.when_words(times.starts_at, times.ends_at, series.time_zone,
                                not times.all_day, language, all_day=times.all_day)


def start(ctx: Context, parsed: ParsedGathering, text: str, title: str,
          target: int | None, capacity: int | None) -> Reply:
    """/gather with a repeating date: the series, and its first occurrence announced at once."""
    assert parsed.recurrence is not None
    lang = ctx.language
    zone = community_settings(ctx.settings, ctx.room.community).time_zone
    local = rendering.local(parsed.starts_at, zone)
    duration = None
    if parsed.has_time and parsed.ends_at is not None:
        duration = int((parsed.ends_at - parsed.starts_at).total_seconds() // 60)
    series = Series(
        code=unused_code(ctx.session, SERIES_CODE_LENGTH), title=title, original_text=text,
        rule=parsed.recurrence.rrule(), repeats=parsed.recurrence.phrase[:200],
        first_day=local.date(), next_day=local.date(),
        start_minute=local.hour * 60 + local.minute if parsed.has_time else None,
        duration_minutes=duration, time_zone=zone, target=target,
        place=single_line(parsed.place, MAX_PLACE) if parsed.place else None,
        capacity=capacity, language=parsed.language, status=SeriesStatus.OPEN,
        roles=roles.stored(parsed.roles),
        organiser_id=ctx.identity.person_id, room_id=ctx.room.id,
        community=ctx.room.community, created_at=ctx.now, updated_at=ctx.now,
    )  # fmt: skip
    ctx.session.add(series)
    ctx.session.flush()
    first = make_occurrence(ctx.session, ctx.settings, series, series.first_day, ctx.now)
    assert first is not None
    series.next_day = following_day(series, series.first_day)
    b = MessageBuilder()
    b.line(*i18n.spans(lang, "series.started", title=user(series.title),
                       code=code(series.code), repeats=user(series.repeats)))
    b.line(*i18n.spans(lang, "series.first",
                       gathering=rendering.headline(first, first.language, words=lang)))
    # One date at a time: a date is announced once the one before it began, so "every day"
    # is announced a day ahead, not the configured six.
    days = max(1, ctx.settings.series_ahead_minutes // 1440)
    if series.next_day is not None:
        days = max(1, min(days, (series.next_day - series.first_day).days))
    b.line(*i18n.plural_spans(lang, "series.ahead", days, command=code(f"/join {series.code}")))
    rule = rule_of(series)
    if rule.skips_months and rule.month_day is not None:
        b.line(i18n.text(lang, "series.skips_months", day=rule.month_day))
    for doubt in parsed.ambiguities:  # what the parser had to guess, as for any gathering
        b.line(*i18n.spans(lang, "gather.note_line", note=tuple(parse_problems.note(lang, doubt))))
    return Reply(b.build(), gathering_code=first.code, private=True)


def _closed(ctx: Context, series: Series) -> Reply | None:
    if series.status != SeriesStatus.OPEN:
        return problem(i18n.text(ctx.language, "series.has_ended", code=series.code))
    return None


def join(ctx: Context, series: Series) -> Reply:
    """/join SERIES: in for every occurrence from now on, those announced already included."""
    closed = _closed(ctx, series)
    if closed:
        return closed
    lang, person = ctx.language, ctx.identity.person_id
    named = {"title": user(series.title), "code": code(series.code)}
    role = _role_asked(ctx, series)
    if isinstance(role, Reply):
        return role
    mine = ctx.session.scalar(select(SeriesPledge).where(
        SeriesPledge.series_id == series.id, SeriesPledge.person_id == person))
    if mine is not None:
        return Reply(MessageBuilder().line(*i18n.spans(lang, "series.already_in", **named))
                     .build())
    ctx.session.add(SeriesPledge(series_id=series.id, person_id=person,
                                 network=ctx.identity.network, role=role, created_at=ctx.now))
    coming = future_occurrences(ctx.session, series, ctx.now)
    waitlisted: set[int] = set()
    for gathering in coming:
        outcome = pledges.join(ctx.session, gathering, person, ctx.identity.network, None,
                               ctx.now, ctx.command.via, roles.held_by(ctx.session, gathering, role))
        if outcome.state == PledgeState.WAITLISTED:
            waitlisted.add(gathering.id)
        if outcome.changed:
            refresh_all(ctx.session, gathering, ctx.now)
            reminders.schedule(ctx.session, ctx.settings, gathering, outcome.pledge, ctx.now)
        if outcome.reached_target:
            notices.tell_pledgers(ctx.session, gathering, notice_words.its_on(gathering), "its_on",
                                  ctx.now)
    b = MessageBuilder().line(*i18n.spans(lang, "series.joined", **named))
    b.line(*_next_line(series, coming, lang, waitlisted))
    b.line(*i18n.spans(lang, "series.leave_with", command=code(f"/leave {series.code}")))
    return Reply(b.build())


def _role_asked(ctx: Context, series: Series) -> str | Reply | None:
    """The role `/join SERIES driver` asks for, as the series names it; None for a plain join
    or a series without roles (a word after the code changes nothing there, as for a date)."""
    said = " ".join(w for w in ctx.args.split()[1:] if not w.startswith("+"))
    wanted = roles.from_stored(series.roles)
    if not said or not wanted:
        return None
    found = next((r.name for r in wanted if same_role(said, r.name)), None)
    if found is None:
        return problem(tuple(i18n.spans(
            ctx.language, "roles.no_such", code=code(series.code), said=user(said[:40]),
            tasks=names(wanted))))
    return found


def _next_line(series: Series, coming: list[Gathering], lang: str,
               waitlisted: set[int]) -> list[str | Span]:
    """The next date; when it is full, that they wait for a place there (not "you're in")."""
    if coming:
        headline = rendering.headline(coming[0], coming[0].language, words=lang)
        if coming[0].id in waitlisted:
            return i18n.spans(lang, "join.waitlisted_for", gathering=headline)
        return i18n.spans(lang, "series.next", gathering=headline)
    if series.next_day is None:
        return []
    return i18n.spans(lang, "series.next_date", when=next_when(series, series.language))


def leave(ctx: Context, series: Series) -> Reply:
    """/leave SERIES: out of every occurrence still to come, and of those not made yet."""
    lang, person = ctx.language, ctx.identity.person_id
    named = {"title": user(series.title), "code": code(series.code)}
    mine = ctx.session.scalar(select(SeriesPledge).where(
        SeriesPledge.series_id == series.id, SeriesPledge.person_id == person))
    if mine is not None:
        ctx.session.delete(mine)
    left_any = False
    for gathering in future_occurrences(ctx.session, series, ctx.now):
        outcome = pledges.leave(ctx.session, gathering, person, ctx.now, ctx.command.via)
        if not outcome.left:
            continue
        left_any = True
        reminders.unschedule(ctx.session, gathering.id, person)
        notices.welcome_promoted(ctx.session, ctx.settings, gathering, outcome.promotion, ctx.now)
        refresh_all(ctx.session, gathering, ctx.now)
    if mine is None and not left_any:
        return Reply(MessageBuilder().line(*i18n.spans(lang, "series.not_in", **named)).build())
    return Reply(MessageBuilder().line(*i18n.spans(
        lang, "series.left", command=code(f"/join {series.code}"), **named)).build())


def may_manage(ctx: Context, series: Series) -> bool:
    if series.organiser_id == ctx.identity.person_id:
        return True
    return ctx.command.actor_is_admin and ctx.room.community == series.community


def cancel(ctx: Context, series: Series) -> Reply:
    """/cancel SERIES: no more occurrences; those announced are cancelled, and everyone in any
    of them, or in all of them, is told once."""
    if not may_manage(ctx, series):
        return problem(i18n.text(ctx.language, "manage.only_cancel", code=series.code))
    closed = _closed(ctx, series)
    if closed:
        return closed
    series.status, series.next_day, series.updated_at = SeriesStatus.ENDED, None, ctx.now
    told: dict[int, str] = {}  # person -> the network they joined through
    followers = ctx.session.scalars(
        select(SeriesPledge).where(SeriesPledge.series_id == series.id)).all()
    told.update((f.person_id, f.network) for f in followers)
    coming = future_occurrences(ctx.session, series, ctx.now)
    for gathering in coming:
        for pledge in pledges.active_pledges(ctx.session, gathering.id, LIVE_PLEDGE_STATES):
            told.setdefault(pledge.person_id, pledge.network)
        gathering.status = GatheringStatus.CANCELLED
        gathering.version += 1
        gathering.updated_at = ctx.now
        reminders.unschedule(ctx.session, gathering.id)
        refresh_all(ctx.session, gathering, ctx.now)
    ctx.session.execute(delete(SeriesPledge).where(SeriesPledge.series_id == series.id))
    told.pop(ctx.identity.person_id, None)
    news = MessageBuilder().line(*i18n.spans(
        series.language, "series.ended_dm", title=user(series.title),
        code=code(series.code))).build()
    # Those who cannot be DMed are mentioned once in the soonest date's room post instead.
    unreachable: dict[str, list[Identity]] = {}
    for person_id, network in told.items():
        identity = reachable_identity(ctx.session, person_id, network)
        if identity is not None:
            outbox.to_person(ctx.session, identity, news, "series_ended", None, ctx.now)
            continue
        account = ctx.session.scalar(select(Identity).where(
            Identity.person_id == person_id, Identity.network == network))
        if account is not None:
            unreachable.setdefault(network, []).append(account)
    for accounts in unreachable.values() if coming else ():
        mentions.tell_in_room(ctx.session, coming[0], accounts, "series_ended",
                              news.to_json(), ctx.now)
    b = MessageBuilder().line(*i18n.plural_spans(
        ctx.language, "series.ended", len(coming), title=user(series.title),
        code=code(series.code)))
    return Reply(b.build())


def listed(ctx: Context, gatherings: list[Gathering]) -> tuple[list[Gathering], list[Series]]:
    """What /list shows of series: each series once. Returns the gatherings to list (only the
    soonest date of each series) and the open series with no date announced yet, whose next
    date is then the next by their rule."""
    seen: set[int] = set()
    kept = []
    for gathering in gatherings:
        if gathering.series_id is not None:
            if gathering.series_id in seen:
                continue
            seen.add(gathering.series_id)
        kept.append(gathering)
    announced = select(Gathering.id).where(
        Gathering.series_id == Series.id,
        Gathering.status == GatheringStatus.OPEN,
        Gathering.joinable_until > ctx.now,
    )
    quiet = ctx.session.scalars(
        select(Series)
        .where(
            Series.community == ctx.room.community,
            Series.status == SeriesStatus.OPEN,
            Series.next_day.is_not(None),
            ~announced.exists(),
        )
        .order_by(Series.next_day, Series.id)
        .limit(LIST_LIMIT)
    ).all()
    return kept, list(quiet)


def series_of(session: Session, gathering: Gathering) -> Series | None:
    return session.get(Series, gathering.series_id) if gathering.series_id else None
