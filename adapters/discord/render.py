"""Messages as Discord content: escaped, de-fanged, and at most 2000 characters.

`allowed_mentions` is none on everything the bot sends, except for the one person a `mention`
span names (see `allowed_mentions`), so nothing people typed can ping anyone; the escaping is
there so that what people typed renders literally (no markdown, no mention syntax, no bidi
tricks).
"""

from __future__ import annotations

import re
from dataclasses import replace

import discord

from core import Message, Span

LIMIT = 2000
ELLIPSIS = "…"
# Bidi overrides and isolates: they let text pretend to be something else.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Anything Discord would read as a mention, channel, emoji, timestamp or command reference.
_ANGLE = re.compile(r"<(?=[@#:atr/])")
_AT = re.compile(r"@(?=(everyone|here)\b)", re.IGNORECASE)


def escape(text: str) -> str:
    """User text that renders exactly as typed and pings nobody."""
    text = _BIDI.sub("", text)
    text = "".join(ch if ch.isprintable() or ch in "\u200d\ufe0f" else " " for ch in text)
    text = discord.utils.escape_markdown(text)
    text = discord.utils.escape_mentions(text)
    text = _AT.sub("@\u200b", text)
    return _ANGLE.sub("\\\\<", text)


def mentioned_user(span: Span) -> int | None:
    """The Discord user id a mention span is meant to ping (the core's "discord:ID")."""
    network, _, native_id = (span.target or "").partition(":")
    if span.style == "mention" and network == "discord" and native_id.isdigit():
        return int(native_id)
    return None


def allowed_mentions(message: Message) -> discord.AllowedMentions:
    """Exactly the people the core means to mention may be pinged; nobody else, no roles,
    never @everyone."""
    users = sorted(
        {uid for p in message.paragraphs for s in p if (uid := mentioned_user(s)) is not None}
    )
    return discord.AllowedMentions(
        everyone=False, roles=False, replied_user=False, users=[discord.Object(u) for u in users]
    )


def render_span(span: Span) -> str:
    if (user_id := mentioned_user(span)) is not None:
        return f"<@{user_id}>"
    if span.style == "strong":
        # Markdown bold needs the markers against the words: "**Linked:** " not "**Linked: **".
        core = span.text.strip()
        if not core:
            return escape(span.text)
        lead = span.text[: len(span.text) - len(span.text.lstrip())]
        trail = span.text[len(span.text.rstrip()) :]
        return f"{lead}**{escape(core)}**{trail}"
    if span.style == "code":
        inner = span.text.replace("`", "ˋ").replace("\n", " ")
        return f"`{inner}`" if inner.strip() else inner
    if span.style == "link" and span.target and span.target.startswith(("https://", "http://")):
        label = escape(span.text).replace("]", "\\]") or span.target
        target = span.target.replace(">", "%3E").replace(" ", "%20")
        return f"[{label}](<{target}>)"
    return escape(span.text)


def render(message: Message, limit: int = LIMIT) -> str:
    """The content of a Discord message: paragraphs joined by newlines, within `limit`.

    Too long, it is shortened without cutting inside a paragraph's markup: first the longest
    user-written spans are trimmed (a 2,500-character title), then whole paragraphs are left
    off the end with a closing "…".
    """
    paragraphs = [list(p) for p in message.paragraphs]
    text = _join(paragraphs)
    for _ in range(8):
        if _units(text) <= limit:
            return text
        overflow = _units(text) - limit
        longest = max(
            ((i, j) for i, p in enumerate(paragraphs) for j, s in enumerate(p) if _trimmable(s)),
            key=lambda ij: len(paragraphs[ij[0]][ij[1]].text),
            default=None,
        )
        if longest is None:
            break
        i, j = longest
        span = paragraphs[i][j]
        # Escaping makes text longer: shrink the raw text by the overflow times that ratio.
        raw = _units(span.text)
        ratio = max(1.0, _units(render_span(span)) / max(1, raw))
        keep = int(raw - overflow * ratio) - 1
        if keep < 40:
            break
        paragraphs[i][j] = replace(span, text=_cut(span.text, keep) + ELLIPSIS)
        text = _join(paragraphs)
    return _drop_paragraphs([_render_paragraph(p) for p in paragraphs], limit)


def _trimmable(span: Span) -> bool:
    return span.style in ("user", "plain") and len(span.text) > 40


def _render_paragraph(paragraph: list[Span]) -> str:
    return "".join(render_span(s) for s in paragraph)


def _join(paragraphs: list[list[Span]]) -> str:
    return "\n".join(_render_paragraph(p) for p in paragraphs)


def _drop_paragraphs(rendered: list[str], limit: int) -> str:
    kept: list[str] = []
    used = 0
    for line in rendered:
        cost = _units(line) + (1 if kept else 0)
        if used + cost > limit - 2:
            break
        kept.append(line)
        used += cost
    if not kept:  # one paragraph alone is too long: cut it where nothing is escaped
        return _cut(rendered[0] if rendered else "", limit - 1).rstrip("\\") + ELLIPSIS
    return "\n".join(kept) + ("\n" + ELLIPSIS if len(kept) < len(rendered) else "")


def _units(text: str) -> int:
    """Length as Discord counts it; UTF-16 units, which is never less than code points."""
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, units: int) -> str:
    """The longest prefix within `units` UTF-16 units (never half a surrogate pair)."""
    out, used = [], 0
    for ch in text:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > units:
            break
        out.append(ch)
        used += size
    return "".join(out)
