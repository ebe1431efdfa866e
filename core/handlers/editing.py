"""Changing and cancelling a gathering: only its organiser and the community's admins may."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from core.contract.commands import Context, Reply, problem
from core.contract.messages import MessageBuilder, Span, code, user
from core.delivery import check_again, impact_ask, notices, reminders
from core.handlers import role_words
from core.handlers.common import (
    MAX_PEOPLE,
    MAX_PLACE,
    MAX_TITLE,
    clean_text,
    count_value,
    find_by_code,
    parse_for,
    single_line,
)
from core.handlers.opening import refresh_all
from core.parsing import ParseError
from core.rules import limits, pledges
from core.rules.whole_days import When, when_of
from core.storage.models import Gathering
from core.storage.statuses import LIVE_PLEDGE_STATES, GatheringStatus
from core.words import i18n, notice_words, parse_problems, rendering

EDIT_EXAMPLE = "/edit K7QF when Sunday 11am"
FIELD = re.compile(
    r"^(when|time|date|where|place|location|venue|need|needed|target|max|capacity|limit|title|what)\b"
    r"\s*[:=]?\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
TIME_ONLY = re.compile(
    r"^(at\s+)?\d{1,2}([:.h]\d{2})?\s*(am|pm|a\.m\.|p\.m\.|h|uhr|uur)?$", re.IGNORECASE
)
_LIMITS = ("max", "capacity", "limit")
_TARGETS = ("need", "needed", "target")


def _example(language: str) -> str:
    """'/edit K7QF when Sunday 11am', with the day and time in `language` (as /help has it)."""
    return "/edit " + i18n.text(language, "help.edit_example")


def rate_limited(handler: Callable[[Context], Reply]) -> Callable[[Context], Reply]:
    """A command that changes a gathering or a series for everyone in it (/edit, /cancel, a
    correction button): at most `limits.CHANGES_PER_PERSON_PER_HOUR` a person an hour. The
    use is counted first; a command refused after that is rolled back, the count with it."""

    def run(ctx: Context) -> Reply:
        if limits.changes_spent(ctx.session, ctx.identity.person_id, ctx.now):
            return problem(i18n.text(ctx.language, "manage.too_many_changes"))
        limits.record(ctx.session, ctx.word, ctx.identity.person_id, ctx.now)
        return handler(ctx)

    return run


def managed_gathering(ctx: Context, verb: str) -> tuple[Gathering | None, str, Reply | None]:
    """The gathering the command names, locked, if the speaker may change it now."""
    code_text, _, rest = ctx.args.partition(" ")
    gathering = find_by_code(ctx.session, code_text) if code_text else None
    if gathering is None:
        return (
            None,
            "",
            problem(
                i18n.text(
                    ctx.language,
                    "manage.which_example",
                    example=f"/{verb} K7QF" + (" ..." if verb == "edit" else ""),
                )
            ),
        )
    locked = pledges.lock_gathering(ctx.session, gathering.id)
    assert locked is not None
    from core.handlers.common import may_manage

    if not may_manage(ctx, locked):
        return None, "", problem(i18n.text(ctx.language, f"manage.only_{verb}", code=locked.code))
    if locked.status == GatheringStatus.CANCELLED:
        return None, "", problem(i18n.text(ctx.language, "manage.cancelled", code=locked.code))
    if locked.status != GatheringStatus.OPEN:
        return None, "", problem(i18n.text(ctx.language, "reply.has_started", code=locked.code))
    return locked, clean_text(rest), None


def edit(ctx: Context) -> Reply:
    lang = ctx.language
    gathering, change, refusal = managed_gathering(ctx, "edit")
    if refusal or gathering is None:
        return refusal or problem(i18n.text(ctx.language, "reply.which", verb="edit"))
    if not change:
        return problem(
            i18n.text(lang, "edit.what"),
            code(_example(lang).replace("K7QF", gathering.code)),
        )
    role_change = _change_role(ctx, gathering, change)
    if isinstance(role_change, Reply):
        return role_change
    if role_change is not None:  # "need 20 pickers": that role's target
        return answer(ctx, gathering, role_change[1])
    changed = change_gathering(ctx, gathering, change)
    if isinstance(changed, Reply):
        return changed
    if not changed:
        return problem(i18n.text(lang, "edit.unchanged"))
    return answer(ctx, gathering)


def change_gathering(ctx: Context, gathering: Gathering, change: str) -> set[str] | Reply:
    """Apply one change ("where the pier", or a whole new announcement) to a gathering and
    tell whoever must hear of it (`record_change`). Returns what changed (nothing: an empty
    set), or a refusal. /edit SERIES applies its change to each date still to come this way."""
    lang = ctx.language
    role_change = _change_role(ctx, gathering, change)  # "need 20 pickers": that role's
    if role_change is not None:
        return role_change if isinstance(role_change, Reply) else role_change[0]
    match = FIELD.match(change)
    try:
        changed = (
            _apply_field(ctx, gathering, match.group(1).lower(), match.group(2).strip())
            if match
            else _apply_text(ctx, gathering, change)
        )
    except ParseError as error:
        # The parser's own example is for /gather; an edit gets one for /edit.
        return problem(
            parse_problems.reason(lang, error),
            i18n.text(lang, "edit.start_with" if not match else "edit.for_example"),
            code(_example(lang).replace("K7QF", gathering.code)),
        )
    except ValueError as error:
        return problem(str(error))
    if changed:
        record_change(ctx, gathering, changed)
    return changed


def finish_change(ctx: Context, gathering: Gathering, changed: set[str]) -> Reply:
    """After an edit changed `changed`: everything `record_change` does; the organiser's answer."""
    record_change(ctx, gathering, changed)
    return answer(ctx, gathering)


def record_change(ctx: Context, gathering: Gathering, changed: set[str]) -> None:
    """The version, the change notices (fenced at send time), waitlist promotions, reminders
    and every announcement."""
    gathering.version += 1
    gathering.updated_at = ctx.now
    if {"time", "place"} & changed:
        fields = sorted(changed & {"time", "place"})
        what: notice_words.Changed = (
            "place and time"
            if {"time", "place"} <= changed
            else ("time" if "time" in changed else "place")
        )
        notices.tell_pledgers(
            ctx.session,
            gathering,
            notice_words.changed(gathering, what),
            "changed",
            ctx.now,
            skip_person=ctx.identity.person_id,
            changed=fields,
        )
    promotion = pledges.promote_waitlisted(ctx.session, gathering, ctx.now)
    notices.welcome_promoted(ctx.session, ctx.settings, gathering, promotion, ctx.now)
    if {"time", "target", "capacity"} & changed:
        reminders.reschedule(ctx.session, ctx.settings, gathering, ctx.now)
    if "time" in changed:
        impact_ask.reschedule(ctx.session, gathering, ctx.now)
        check_again.after_move(ctx.session, ctx.settings, gathering, ctx.now)
    refresh_all(ctx.session, gathering, ctx.now)


def _change_role(
    ctx: Context, gathering: Gathering, change: str
) -> tuple[set[str], list[str | Span]] | Reply | None:
    """`need 20 pickers` / `max 3 drivers` on a gathering with roles changes that role and
    tells whoever must hear of it: what changed and what to say, or a refusal; None when it
    is no change of a role."""
    match = FIELD.match(change)
    field = match.group(1).lower() if match else ""
    if match is None or not gathering.has_roles or field not in (*_TARGETS, *_LIMITS):
        return None
    said = role_words.edit_role(ctx, gathering, match.group(2), limit=field in _LIMITS)
    if said is None or isinstance(said, Reply):
        return said
    changed = {"capacity" if field in _LIMITS else "target"}
    record_change(ctx, gathering, changed)
    return changed, said


def answer(ctx: Context, gathering: Gathering, said: Sequence[str | Span] = ()) -> Reply:
    """The organiser's answer to an edit: the headline as it is now, and the count asked for
    (and what `said`: a role's new target)."""
    lang = ctx.language
    b = MessageBuilder()
    b.line(
        *i18n.spans(
            lang,
            "edit.updated_headline",
            code=code(gathering.code),
            gathering=rendering.headline(gathering, gathering.language, words=lang),
        )
    )
    if gathering.target and gathering.capacity:
        b.line(
            i18n.text(lang, "edit.target_and_max", target=gathering.target, max=gathering.capacity)
        )
    elif gathering.target:
        b.line(i18n.text(lang, "edit.target", n=gathering.target))
    if said:
        b.line(*said)
    return Reply(b.build(), gathering_code=gathering.code)


def _apply_field(ctx: Context, gathering: Gathering, field: str, value: str) -> set[str]:
    if not value:
        raise ValueError(
            i18n.text(ctx.language, "edit.give_new", field=field, example=_example(ctx.language))
        )
    if field in ("when", "time", "date"):
        return _apply_time(ctx, gathering, value)
    if field in ("where", "place", "location", "venue"):
        place = single_line(value, MAX_PLACE)
        if place == gathering.place:
            return set()
        gathering.place = place
        return {"place"}
    if field in ("title", "what"):
        title = single_line(value, MAX_TITLE)
        if title == gathering.title:
            return set()
        gathering.title = title
        return {"title"}
    number = count_value(value, field, ctx.language)
    if field in ("need", "needed", "target"):
        if number == gathering.target:
            return set()
        gathering.target = number
        if (
            gathering.target is not None
            and gathering.headcount >= gathering.target
            and gathering.reached_target_at is None
        ):
            gathering.reached_target_at = ctx.now
            notices.tell_pledgers(
                ctx.session, gathering, notice_words.its_on(gathering), "its_on", ctx.now
            )
        return {"target"}
    if number is not None and number < gathering.headcount:
        raise ValueError(i18n.plural(ctx.language, "edit.below_going", gathering.headcount))
    if number == gathering.capacity:
        return set()
    gathering.capacity = number
    return {"capacity"}


def _apply_time(ctx: Context, gathering: Gathering, value: str) -> set[str]:
    if TIME_ONLY.match(value):
        # "11am" alone moves the time on the same day, not to the next 11am.
        day = rendering.local(gathering.starts_at, gathering.time_zone)
        value = f"{day:%d %B %Y} {value}"
    when = when_of(parse_for(ctx, f"x {value}"), gathering.time_zone)
    if not when.has_time and gathering.has_time:
        # "when tomorrow" moves the day and keeps the clock time (and the length).
        old = rendering.local(gathering.starts_at, gathering.time_zone)
        day = rendering.local(when.starts_at, gathering.time_zone)
        starts_at = day.replace(hour=old.hour, minute=old.minute).astimezone(old.tzinfo)
        ends_at = None
        if gathering.ends_at is not None:
            ends_at = starts_at + (gathering.ends_at - gathering.starts_at)
        if starts_at <= ctx.now:
            raise ValueError(i18n.text(ctx.language, "edit.past"))
        when = When(starts_at, ends_at, True, False)
    return set_when(gathering, when)


def set_when(gathering: Gathering, when: When) -> set[str]:
    if (when.starts_at, when.ends_at, when.all_day) == (
        gathering.starts_at, gathering.ends_at, gathering.all_day
    ):
        return set()
    gathering.starts_at, gathering.ends_at = when.starts_at, when.ends_at
    gathering.has_time, gathering.all_day = when.has_time, when.all_day
    return {"time"}


def _apply_text(ctx: Context, gathering: Gathering, text: str) -> set[str]:
    """A whole new announcement: take what, when, where and how many from it."""
    parsed = parse_for(ctx, text)
    changed = set_when(gathering, when_of(parsed, gathering.time_zone))
    if parsed.place and single_line(parsed.place, MAX_PLACE) != gathering.place:
        gathering.place = single_line(parsed.place, MAX_PLACE)
        changed.add("place")
    title = single_line(parsed.title, MAX_TITLE)
    if title and title != gathering.title:
        gathering.title = title
        changed.add("title")
    if parsed.needed and parsed.needed != gathering.target:
        gathering.target = min(parsed.needed, MAX_PEOPLE)
        changed.add("target")
    if parsed.capacity and min(parsed.capacity, MAX_PEOPLE) != gathering.capacity:
        gathering.capacity = min(parsed.capacity, MAX_PEOPLE)
        changed.add("capacity")
    gathering.original_text = text
    return changed


def cancel(ctx: Context) -> Reply:
    gathering, reason, refusal = managed_gathering(ctx, "cancel")
    if refusal or gathering is None:
        return refusal or problem(i18n.text(ctx.language, "reply.which", verb="cancel"))
    gathering.status = GatheringStatus.CANCELLED
    gathering.version += 1
    gathering.updated_at = ctx.now
    reason_text = single_line(reason, 300) or None
    notices.tell_pledgers(
        ctx.session,
        gathering,
        notice_words.cancelled(gathering, reason_text),
        "cancelled",
        ctx.now,
        skip_person=ctx.identity.person_id,
        states=LIVE_PLEDGE_STATES,
    )
    reminders.unschedule(ctx.session, gathering.id)
    refresh_all(ctx.session, gathering, ctx.now)
    b = MessageBuilder()
    b.line(
        *i18n.spans(
            ctx.language, "cancel.done_told", title=user(gathering.title), code=code(gathering.code)
        )
    )
    return Reply(b.build(), gathering_code=gathering.code)
