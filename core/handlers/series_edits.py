"""/edit SERIES: one change to the series and to its dates still to come, never the past.

A series takes one field at a time ("place the bandstand", "need 12", "time 11am"): a whole
new announcement could move it to another rule, which is a new series. A time is a clock time
only ("time 11am"): each date keeps its day. Dates already announced are changed like any
gathering (and their people told); dates not made yet take the series' new values.
"""

from __future__ import annotations

from core.contract.commands import Context, Reply, problem
from core.contract.messages import MessageBuilder, code, user
from core.handlers.common import (
    MAX_PLACE,
    MAX_TITLE,
    clean_text,
    count_value,
    parse_for,
    single_line,
)
from core.handlers.editing import FIELD, TIME_ONLY, change_gathering
from core.handlers.occurrences import future_occurrences
from core.handlers.role_words import ROLE_TARGET
from core.handlers.series import may_manage
from core.parsing import ParsedRole, ParseError, same_role
from core.rules import roles
from core.rules.series_days import times_on
from core.storage.series import Series
from core.storage.statuses import SeriesStatus
from core.words import i18n, parse_problems, rendering

_TIME_FIELDS = ("when", "time", "date")


def edit(ctx: Context, series: Series) -> Reply:
    lang = ctx.language
    if not may_manage(ctx, series):
        return problem(i18n.text(lang, "manage.only_edit", code=series.code))
    if series.status != SeriesStatus.OPEN:
        return problem(i18n.text(lang, "series.has_ended", code=series.code))
    change = clean_text(ctx.args.partition(" ")[2])
    match = FIELD.match(change)
    example = code(f"/edit {series.code} " + i18n.text(lang, "series.edit_example"))
    if not match or not match.group(2).strip():
        return problem(i18n.text(lang, "series.edit_what"), example)
    field, value = match.group(1).lower(), match.group(2).strip()
    if field in _TIME_FIELDS and not TIME_ONLY.match(value):
        return problem(i18n.text(lang, "series.edit_time_only"), example)
    try:
        _apply(ctx, series, field, value)
    except ParseError as error:
        return problem(parse_problems.reason(lang, error), example)
    except ValueError as error:
        return problem(str(error))
    series.updated_at = ctx.now
    changed = 0
    for gathering in future_occurrences(ctx.session, series, ctx.now):
        outcome = change_gathering(ctx, gathering, change)
        if isinstance(outcome, Reply):
            return outcome  # e.g. a limit below those already going: nothing is changed
        changed += bool(outcome)
    b = MessageBuilder().line(*i18n.plural_spans(
        lang, "series.edited", changed, title=user(series.title), code=code(series.code)))
    if series.next_day is not None:
        when = times_on(series, series.next_day)
        b.line(*i18n.spans(lang, "series.next_date", when=rendering.when_words(
            when.starts_at, when.ends_at, series.time_zone, not when.all_day, series.language,
            all_day=when.all_day)))
    return Reply(b.build())


def _apply(ctx: Context, series: Series, field: str, value: str) -> None:
    """The series' own values, for the dates not made yet."""
    if field in _TIME_FIELDS:
        series.start_minute = _minute_of(ctx, series, value)
    elif field in ("where", "place", "location", "venue"):
        series.place = single_line(value, MAX_PLACE)
    elif field in ("title", "what"):
        series.title = single_line(value, MAX_TITLE)
    elif field in ("need", "needed", "target") and series.roles:
        series.roles, series.target = _role_target(ctx, series, value)
    elif field in ("need", "needed", "target"):
        series.target = count_value(value, field, ctx.language)
    else:
        series.capacity = count_value(value, field, ctx.language)


def _role_target(ctx: Context, series: Series, value: str) -> tuple[str | None, int | None]:
    """`/edit SERIES need 20 pickers`: that role's target for the dates not made yet (a number
    alone: the general role's), as `/edit` does for one date; the total is their sum."""
    held = roles.from_stored(series.roles)
    match = ROLE_TARGET.match(value)
    if match is None:
        raise ValueError(i18n.text(ctx.language, "edit.number", field="need"))
    said = match.group(2)
    wanted = next((r for r in held if same_role(said, r.name)), None) if said else held[0]
    if wanted is None:
        raise ValueError(i18n.text(ctx.language, "roles.no_such", code=series.code,
                                   said=said[:40], tasks=", ".join(map(roles.label, held))))
    number = max(1, min(int(match.group(1)), roles.MAX_ROLE_TARGET))
    changed = [ParsedRole(r.name, number if r is wanted else r.target) for r in held]
    return roles.stored(changed), sum(r.target or 0 for r in changed) or None


def _minute_of(ctx: Context, series: Series, value: str) -> int:
    """'11am' as minutes after midnight, read as the parser reads a clock time."""
    day = series.next_day or series.first_day
    parsed = parse_for(ctx, f"x {day:%d %B %Y} {value}")
    local = rendering.local(parsed.starts_at, series.time_zone)
    return local.hour * 60 + local.minute
