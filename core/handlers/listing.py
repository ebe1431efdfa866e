"""/list: what's coming up in the room's community. Plain /list shows the next ten and says
how many more there are; `/list all` shows every one, a page at a time (`/list all 2`), each
page short enough for one chat message on every network."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from core.contract.commands import Context, Reply
from core.contract.messages import MessageBuilder, Span, code, link, strong
from core.storage.models import Gathering
from core.storage.statuses import GatheringStatus
from core.words import i18n, rendering

LIST_LIMIT = 10
# A page of /list all stays under Discord's 2,000 characters (the smallest limit a reply in a
# room meets) with room for its title and footer lines; titles and places are capped, so a
# page always holds a few gatherings.
PAGE_CHARACTERS = 1500
PAGE_MOST = 20
ALL_WORDS = ("all",)

Line = tuple[str | Span, ...]


def upcoming(ctx: Context) -> Reply:
    words = ctx.args.lower().split()
    if words and (words[0] in ALL_WORDS or words[0].isdigit()):
        number = next((int(w) for w in words if w.isdigit()), 1)
        return _all(ctx, max(number, 1))
    coming = _coming(ctx)
    total = ctx.session.scalar(select(func.count(Gathering.id)).where(coming)) or 0
    gatherings = ctx.session.scalars(
        select(Gathering)
        .where(coming)
        .order_by(Gathering.starts_at, Gathering.id)
        .limit(LIST_LIMIT)
    ).all()
    if not gatherings:
        return _nothing(ctx)
    lang = ctx.language
    b = MessageBuilder().line(strong(i18n.text(lang, "list.title")))
    for gathering in gatherings:
        b.line(*_line(gathering, lang))
    if total > len(gatherings):
        more = total - len(gatherings)
        b.line(*i18n.plural_spans(lang, "list.more", more, command=code("/list all")))
        _community_page(ctx, b)
    b.line(*i18n.spans(lang, "list.join_with_command", command=code("/join CODE")))
    return Reply(b.build())


def _all(ctx: Context, number: int) -> Reply:
    lang = ctx.language
    gatherings = ctx.session.scalars(
        select(Gathering).where(_coming(ctx)).order_by(Gathering.starts_at, Gathering.id)
    ).all()
    if not gatherings:
        return _nothing(ctx)
    pages = paged([_line(gathering, lang) for gathering in gatherings])
    if number > len(pages):
        return Reply(
            MessageBuilder()
            .line(*i18n.spans(lang, "list.no_such_page", page=number, command=code("/list all")))
            .build(),
            ok=False,
        )
    title = (
        i18n.text(lang, "list.page_title", page=number, pages=len(pages))
        if len(pages) > 1
        else i18n.text(lang, "list.title")
    )
    b = MessageBuilder().line(strong(title))
    for line in pages[number - 1]:
        b.line(*line)
    if number < len(pages):
        after = sum(len(page) for page in pages[number:])
        command = code(f"/list all {number + 1}")
        b.line(*i18n.plural_spans(lang, "list.next_page", after, command=command))
    if len(pages) > 1:
        _community_page(ctx, b)
    b.line(*i18n.spans(lang, "list.join_with_command", command=code("/join CODE")))
    return Reply(b.build())


def paged(lines: Sequence[Line]) -> list[list[Line]]:
    """The lines in pages of at most PAGE_MOST lines and PAGE_CHARACTERS characters (a page
    holds at least one line, however long)."""
    pages: list[list[Line]] = [[]]
    size = 0
    for line in lines:
        length = sum(len(part if isinstance(part, str) else part.text) for part in line) + 1
        page = pages[-1]
        if page and (len(page) >= PAGE_MOST or size + length > PAGE_CHARACTERS):
            pages.append([])
            size = 0
        pages[-1].append(line)
        size += length
    return pages


def _coming(ctx: Context) -> ColumnElement[bool]:
    return (
        (Gathering.community == ctx.room.community)
        & (Gathering.status == GatheringStatus.OPEN)
        & or_(Gathering.starts_at > ctx.now, Gathering.ends_at > ctx.now)
    )


def _line(gathering: Gathering, lang: str) -> Line:
    count = (
        i18n.plural(lang, "list.going_of_target", gathering.headcount, target=gathering.target)
        if gathering.target
        else i18n.plural(lang, "list.going_count", gathering.headcount)
    )
    headline = rendering.headline(gathering, gathering.language, words=lang)
    return ("• ", *headline, f" · {count}")


def _community_page(ctx: Context, b: MessageBuilder) -> None:
    """Where the web pages are on, the community's page lists every coming gathering."""
    url = ctx.settings.web.community_url(ctx.room.community)
    if url and ctx.settings.community_named(ctx.room.community) is not None:
        b.line(*i18n.spans(ctx.language, "list.on_page", page=link(url, url)))


def _nothing(ctx: Context) -> Reply:
    example = code(i18n.text(ctx.language, "list.example"))
    return Reply(
        MessageBuilder()
        .line(*i18n.spans(ctx.language, "list.nothing_yet", example=example))
        .build()
    )
