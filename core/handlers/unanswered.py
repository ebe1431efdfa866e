"""What /who adds once "Still coming?" was asked: the confirmed count for everyone, and for
the organiser who has not answered (by name only for those who show their name)."""

from __future__ import annotations

from sqlalchemy import select

from core.contract.commands import Context
from core.contract.messages import MessageBuilder, Span, user
from core.rules import confirmations
from core.rules.people import display_names
from core.storage.models import Gathering, Person
from core.words import i18n, rendering

MAX_NAMES = 50


def count_and_unanswered(
    ctx: Context, b: MessageBuilder, gathering: Gathering, count: str
) -> None:
    """The count line ("12 going, 9 confirmed"), then for the organiser who has not answered."""
    found = confirmations.of(ctx.session, gathering.id)
    confirmed = found.confirmed if found.asked else None
    b.line("👥 ", rendering.with_confirmed(count, confirmed, ctx.language))
    if gathering.organiser_id != ctx.identity.person_id or not found.unanswered:
        return
    showing = set(
        ctx.session.scalars(
            select(Person.id).where(Person.id.in_(found.unanswered), Person.shows_name)
        )
    )
    names = display_names(ctx.session, [p for p in found.unanswered if p in showing])
    shown = [names[p] for p in found.unanswered if p in names][:MAX_NAMES]
    hidden = len(found.unanswered) - len(shown)
    if not shown:
        b.line(*i18n.plural_spans(ctx.language, "who.unanswered_count", hidden))
        return
    listed: list[str | Span] = []
    for index, name in enumerate(shown):
        listed += [", ", user(name)] if index else [user(name)]
    if hidden:
        b.line(
            *i18n.plural_spans(
                ctx.language, "who.unanswered_and_hidden", hidden, names=tuple(listed)
            )
        )
    else:
        b.line(*i18n.spans(ctx.language, "who.unanswered_names", names=tuple(listed)))
