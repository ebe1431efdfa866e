"""A person's own business: linking accounts, settings, being forgotten, starting a DM."""

from __future__ import annotations

import dataclasses

from babel.lists import format_list
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config_values import parse_offset
from core.contract.commands import Context, Reply, help_message, problem
from core.contract.messages import Message, MessageBuilder, Span, code, user
from core.delivery import notices, reminders
from core.handlers import attendance
from core.handlers.attendance import calendar_line
from core.handlers.common import find_by_code
from core.handlers.opening import refresh_all
from core.rules import pledges
from core.rules.codes import normalise_code
from core.rules.forgetting import erase_person
from core.rules.people import redeem_link, start_link
from core.rules.rooms import community_settings
from core.storage.models import Gathering, Person, Pledge
from core.storage.statuses import GatheringStatus, PledgeState
from core.words import i18n, rendering
from core.words.rendering import NETWORK_NAMES


def link(ctx: Context) -> Reply:
    given = ctx.args.split()[0] if ctx.args.split() else ""
    if not given:
        one_time = start_link(ctx.session, ctx.identity, ctx.now)
        b = MessageBuilder()
        b.line(i18n.text(ctx.language, "link.send"))
        b.line(code(f"/link {one_time}"))
        return Reply(b.build(), private=True)
    normalised = normalise_code(given) or given.upper()
    origin = redeem_link(ctx.session, normalised[:12], ctx.identity, ctx.now)
    if origin is None:
        return problem(i18n.text(ctx.language, "link.unknown"))
    if origin.network == ctx.identity.network and origin.native_id == ctx.identity.native_id:
        return problem(i18n.text(ctx.language, "link.same"))
    _recount_all(ctx.session, origin.person_id, ctx)
    reminders.reschedule_person(ctx.session, ctx.settings, origin.person_id, ctx.now)
    b = MessageBuilder()
    b.line(
        *i18n.spans(
            ctx.language,
            "link.linked_as_one",
            network=NETWORK_NAMES.get(origin.network, origin.network),
            name=user(origin.display_name or origin.handle or origin.native_id),
        )
    )
    return Reply(b.build())


def _recount_all(session: Session, kept: int, ctx: Context) -> None:
    for pledge in session.scalars(select(Pledge).where(Pledge.person_id == kept)).all():
        gathering = pledges.lock_gathering(session, pledge.gathering_id)
        if gathering is None:
            continue
        before = gathering.headcount
        pledges.recount(session, gathering)
        if before != gathering.headcount:
            promotion = pledges.promote_waitlisted(session, gathering, ctx.now)
            notices.welcome_promoted(session, ctx.settings, gathering, promotion, ctx.now)
            refresh_all(session, gathering, ctx.now)


def forget(ctx: Context) -> Reply:
    # Asked before erasing: afterwards nothing links the person to what they started.
    organised = list(
        ctx.session.scalars(
            select(Gathering.code)
            .where(
                Gathering.organiser_id == ctx.identity.person_id,
                Gathering.status == GatheringStatus.OPEN,
                Gathering.joinable_until > ctx.now,
            )
            .order_by(Gathering.starts_at)
        )
    )
    touched = erase_person(ctx.session, ctx.identity.person_id)
    for gathering_id in touched:
        gathering = pledges.lock_gathering(ctx.session, gathering_id)
        if gathering is None:
            continue
        pledges.recount(ctx.session, gathering)
        if gathering.status == GatheringStatus.OPEN and gathering.joinable_until > ctx.now:
            promotion = pledges.promote_waitlisted(ctx.session, gathering, ctx.now)
            notices.welcome_promoted(ctx.session, ctx.settings, gathering, promotion, ctx.now)
            refresh_all(ctx.session, gathering, ctx.now)
    ctx.extras["forgotten"] = True
    b = MessageBuilder().line(*i18n.spans(ctx.language, "forget.done_erased"))
    if organised:
        b.line(*i18n.spans(ctx.language, "forget.started_stay", codes=tuple(_codes(organised))))
    return Reply(b.build())


def _codes(codes: list[str]) -> list[Span | str]:
    spans: list[Span | str] = []
    for n, text in enumerate(codes):
        spans += [", "] if n else []
        spans.append(code(text))
    return spans


def settings(ctx: Context) -> Reply:
    person = ctx.session.get(Person, ctx.identity.person_id)
    assert person is not None
    lang = ctx.language
    words = ctx.args.lower().split()
    if len(words) >= 2 and words[0] == "reminders":
        choice = words[1]
        if choice in ("off", "no", "none"):
            person.reminders_enabled = False
        elif choice in ("on", "yes", "default"):
            person.reminders_enabled, person.reminder_offsets = True, None
        else:
            try:
                minutes = sorted(
                    {parse_offset(w) for w in " ".join(words[1:]).replace(",", " ").split()},
                    reverse=True,
                )
            except ValueError:
                return problem(i18n.text(lang, "settings.reminders_how"))
            if not minutes or len(minutes) > 5 or minutes[0] > 14 * 1440:
                return problem(i18n.text(lang, "settings.reminders_limit"))
            person.reminders_enabled, person.reminder_offsets = (
                True,
                ",".join(str(m) for m in minutes),
            )
    elif len(words) >= 2 and words[0] == "names":
        if words[1] not in ("on", "off", "yes", "no"):
            return problem(i18n.text(lang, "settings.names_how"))
        person.shows_name = words[1] in ("on", "yes")
    elif words:
        return problem(i18n.text(lang, "settings.try"))
    if words and words[0] == "reminders":
        reminders.reschedule_person(ctx.session, ctx.settings, person.id, ctx.now)
    if not person.reminders_enabled:
        state = i18n.text(lang, "settings.off")
    elif person.reminder_offsets:
        offsets = [int(m) for m in person.reminder_offsets.split(",") if m]
        state = i18n.text(lang, "settings.yours", when=_before(offsets, lang))
    else:
        default = community_settings(ctx.settings, ctx.room.community).reminder_minutes
        state = i18n.text(lang, "settings.default", when=_before(list(default), lang))
    shown = i18n.text(lang, "settings.yes" if person.shows_name else "settings.no")
    b = MessageBuilder()
    b.line(i18n.text(lang, "settings.state", state=state, shown=shown))
    b.line(
        *i18n.spans(
            lang,
            "settings.change_with",
            off=code("/settings reminders off"),
            times=code("/settings reminders 1d 2h"),
            names=code("/settings names on"),
        )
    )
    return Reply(b.build())


def _before(minutes: list[int], language: str) -> str:
    """[1440, 120] -> '1 day and 2 hours before'."""
    if not minutes:
        return i18n.text(language, "settings.none")
    parts = []
    for total in sorted(minutes, reverse=True):
        amount, unit = next((total // size, name) for size, name in _UNITS if total % size == 0)
        parts.append(i18n.plural(language, f"settings.{unit}", amount))
    # "1 day and 2 hours", "1 Tag und 2 Stunden": the language's own way to list (CLDR).
    listed = format_list(parts, locale=i18n.babel_locale(language))
    return i18n.text(language, "settings.before", when=listed)


_UNITS = ((1440, "days"), (60, "hours"), (1, "minutes"))


def start(ctx: Context) -> Reply:
    """The first private message (Telegram's /start, maybe with a deep-link payload
    `join-CODE`, which joins that gathering and confirms it here)."""
    payload = ctx.args.strip()
    code_text = payload.removeprefix("join-").removeprefix("join_")
    gathering: Gathering | None = find_by_code(ctx.session, code_text) if code_text else None
    lang = ctx.language
    b = MessageBuilder()
    if gathering is not None:
        mine = pledges.pledge_of(ctx.session, gathering.id, ctx.identity.person_id)
        if mine is not None and mine.state != PledgeState.WITHDRAWN:
            headline = rendering.headline(gathering, gathering.language, words=lang)
            b.line(*i18n.spans(lang, "start.confirmed", gathering=headline))
            b.line(i18n.text(lang, "start.news_here"))
            b.line(*calendar_line(lang, gathering))
            return Reply(b.build(), gathering_code=gathering.code)
        # The deep link from a gathering's web page: following it is joining.
        return attendance.join(dataclasses.replace(ctx, args=gathering.code))
    b.line(*i18n.spans(lang, "start.hello"))
    return Reply(Message(b.build().paragraphs + help_message(lang).paragraphs))
