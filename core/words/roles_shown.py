"""Roles as people read them: the counts per role against their targets, and what is still
missing ("Still needed: 1 First-aider and 6 Pickers."). Role names are the organiser's words:
always user spans."""

from __future__ import annotations

from collections.abc import Sequence

from core.contract.messages import Span, user
from core.parsing import ParsedRole
from core.rules import roles
from core.rules.roles import RoleCount
from core.storage.models import Role
from core.words import i18n


def names(held: Sequence[Role | ParsedRole]) -> tuple[str | Span, ...]:
    """'Pickers, Drivers, First-aider' (each the organiser's word, escaped as user text)."""
    parts: list[str | Span] = []
    for index, role in enumerate(held):
        parts += [", "] if index else []
        parts.append(user(roles.label(role)))
    return tuple(parts)


def count_parts(counted: Sequence[RoleCount]) -> list[str | Span]:
    """'Pickers 9/15 · Drivers 2/2 · First-aider 0/1' (a limit shows as 'max 3')."""
    parts: list[str | Span] = []
    for index, count in enumerate(counted):
        parts += [" · "] if index else []
        parts.append(user(roles.label(count.role)))
        shown = f" {count.going}/{count.role.target}" if count.role.target else f" {count.going}"
        if count.role.capacity:
            shown += f" (max {count.role.capacity})"
        parts.append(shown)
    return parts


def missing_parts(language: str, counted: Sequence[RoleCount]) -> tuple[str | Span, ...]:
    """'1 First-aider and 6 Pickers': what is still missing, fewest first."""
    short = sorted((c for c in counted if c.missing), key=lambda c: (c.missing, c.role.position))
    items = [_missing_one(language, c) for c in short]
    if not items:
        return ()
    if len(items) == 1:
        return items[0]
    head: list[str | Span] = []
    for index, item in enumerate(items[:-1]):
        head += [", "] if index else []
        head.extend(item)
    return tuple(i18n.spans(language, "roles.and", items=tuple(head), last=items[-1]))


def _missing_one(language: str, count: RoleCount) -> tuple[str | Span, ...]:
    """'6 Pickers' when the number agrees with the noun as written (its count was one, or more
    than one, like this one), else 'Pickers: 1': never '1 Pickers' or '3 First-aider', in a
    language whose plural we cannot make from the organiser's word."""
    task = user(roles.label(count.role))
    if (count.missing == 1) == (count.role.target == 1):
        return (f"{count.missing} ", task)
    return tuple(i18n.spans(language, "roles.count_neutral", task=task, count=str(count.missing)))


def still_needed(language: str, counted: Sequence[RoleCount]) -> list[str | Span]:
    """'Still needed: 1 First-aider and 6 Pickers.', or nothing when every role is full."""
    missing = missing_parts(language, counted)
    return i18n.spans(language, "roles.still_needed", missing=missing) if missing else []
