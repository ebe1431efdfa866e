"""What the commands say about roles: which one a join asks for, the counts per role, what
is still missing, and `/edit CODE need 20 pickers`."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from core.contract.commands import Context, Reply, problem
from core.contract.messages import Span, code, user
from core.handlers.common import find_by_code, latest_in_room
from core.parsing import slug
from core.rules import roles
from core.storage.models import Gathering, Pledge, Role
from core.words import i18n
from core.words.roles_shown import count_parts, names

# "/edit K7QF need 20 pickers", "/edit K7QF 20 pickers": one role's target
ROLE_TARGET = re.compile(r"^(\d{1,4})(?:\s+(.{1,60}))?$", re.DOTALL)


def asked_for(ctx: Context, gathering: Gathering, words: Sequence[str]) -> Role | Reply | None:
    """The role `/join CODE driver` asks for; None for a plain join or a gathering without
    roles (a word after the code there changes nothing, as before roles)."""
    said = " ".join(w for w in words[1:] if not w.startswith("+"))
    if not said or not gathering.has_roles:
        return None
    held = roles.of(ctx.session, gathering)
    role = roles.named(held, said)
    if role is None:
        return problem(tuple(i18n.spans(
            ctx.language, "roles.no_such", code=code(gathering.code), said=user(said[:40]),
            tasks=names(held))))
    return role


def with_latest_code(ctx: Context, words: list[str]) -> list[str]:
    """`/join driver` with no code: the room's latest gathering, when "driver" is no code but
    one of its roles. Otherwise the words as they were (an unknown code stays unknown)."""
    plain = [w for w in words if not w.startswith("+")]
    if not plain or find_by_code(ctx.session, plain[0]) is not None:
        return words
    recent = latest_in_room(ctx, 1)
    if recent and recent[0].has_roles and roles.named(roles.of(ctx.session, recent[0]), plain[0]):
        return [recent[0].code, *words]
    return words


def edit_role(
    ctx: Context, gathering: Gathering, value: str, *, limit: bool
) -> list[str | Span] | Reply | None:
    """`/edit CODE need 20 pickers` sets that role's target (a number alone: the general
    role's; the gathering's target stays the sum); `/edit CODE max 3 drivers` its limit. Says
    what it set, or which roles there are. None: a limit for the whole gathering."""
    match = ROLE_TARGET.match(value.strip())
    held = roles.of(ctx.session, gathering)
    if limit and (match is None or not match.group(2)):
        return None
    if match is None:
        return problem(i18n.text(ctx.language, "roles.edit_example"),
                       code(f"/edit {gathering.code} need 20 {slug(held[0].name)}"))
    role = roles.named(held, match.group(2)) if match.group(2) else held[0]
    if role is None:
        return problem(tuple(i18n.spans(
            ctx.language, "roles.no_such", code=code(gathering.code),
            said=user(match.group(2)[:40]), tasks=names(held))))
    number = max(1, min(int(match.group(1)), roles.MAX_ROLE_TARGET))
    if limit:
        role.capacity = number
        return i18n.spans(ctx.language, "roles.limit_now", task=user(roles.label(role)),
                          count=str(number))
    role.target = number
    gathering.target = sum(r.target or 0 for r in held)
    return i18n.spans(ctx.language, "roles.target_now", task=user(roles.label(role)),
                      count=str(number))


def held(ctx: Context, gathering: Gathering, pledge: Pledge) -> list[str | Span]:
    """'Your role: Drivers · Pickers 9/15 · Drivers 2/2 · First-aider 0/1'."""
    role = ctx.session.get(Role, pledge.role_id) if pledge.role_id is not None else None
    counted = roles.counts(ctx.session, gathering)
    mine = i18n.spans(ctx.language, "roles.yours", task=user(roles.label(role))) if role else []
    return [*mine, " · " if mine else "", *count_parts(counted)]


def who_lines(
    ctx: Context,
    gathering: Gathering,
    going: Sequence[Pledge],
    shown_names: Callable[[Context, list[Pledge]], list[str]],
) -> list[list[str | Span]]:
    """/who per role: '• Drivers 2/2: Ann, Bo (+1 more)', names only of those who allow it."""
    lines: list[list[str | Span]] = []
    for counted in roles.counts(ctx.session, gathering):
        in_role = [p for p in going if p.role_id == counted.role.id]
        line: list[str | Span] = ["• ", *count_parts([counted])]
        shown = shown_names(ctx, in_role)
        for index, name in enumerate(shown[:50]):
            line += [": " if index == 0 else ", ", user(name)]
        if len(in_role) > len(shown):
            hidden = len(in_role) - len(shown)
            line += [" ", i18n.plural(ctx.language, "roles.more_unnamed", hidden)]
        lines.append(line)
    return lines
