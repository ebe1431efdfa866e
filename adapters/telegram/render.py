"""Messages as Telegram HTML: every span escaped, within 4096 UTF-16 units of visible text.

Telegram counts the limit on the text after entity parsing, in UTF-16 code units. A message
too long is shortened at paragraph boundaries; a single paragraph that alone is too long (a
5,000-character title) is cut between code points, so never inside a surrogate pair.
"""

from __future__ import annotations

import html
import unicodedata

from core import Message, Span

LIMIT = 4096
ELLIPSIS = "…"
WORD_JOINER = "\u2060"
# A paragraph cut to make room is kept at least this long (in UTF-16 units).
MIN_PARAGRAPH = 200


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def defang(text: str) -> str:
    """Text that came from people: no @mentions that would notify someone, no control chars."""
    cleaned = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return cleaned.replace("@", "@" + WORD_JOINER)


def _visible(span: Span) -> str:
    return defang(span.text) if span.style in ("user", "mention") else span.text


def mentioned_user(span: Span) -> str | None:
    """The Telegram user id a mention span is meant to notify (the core's "telegram:ID")."""
    network, _, native_id = (span.target or "").partition(":")
    if span.style == "mention" and network == "telegram" and native_id.isdigit():
        return native_id
    return None


def _span_html(span: Span, text: str) -> str:
    body = html.escape(text, quote=False)
    if (user_id := mentioned_user(span)) is not None:
        # A deliberate mention of one person (a reminder they could not get privately): the
        # name stays de-fanged text, the link is what notifies them.
        return f'<a href="tg://user?id={user_id}">{body}</a>'
    if span.style == "strong":
        return f"<b>{body}</b>"
    if span.style == "code":
        return f"<code>{body}</code>"
    if span.style == "link" and span.target and span.target.startswith(("https://", "http://")):
        return f'<a href="{html.escape(span.target, quote=True)}">{body}</a>'
    return body


def _cut(text: str, budget: int) -> str:
    """The longest prefix of `text` within `budget` UTF-16 units (whole code points only)."""
    used = 0
    for index, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > budget:
            return text[:index]
    return text


def _paragraph(spans: tuple[Span, ...], budget: int | None = None) -> tuple[str, int]:
    """(HTML, visible length) of one paragraph, shortened to `budget` units if given."""
    parts: list[str] = []
    used = 0
    for span in spans:
        text = _visible(span)
        if budget is not None and used + utf16_len(text) > budget - 1:
            text = _cut(text, max(0, budget - 1 - used)).rstrip() + ELLIPSIS
            parts.append(_span_html(span, text))
            used += utf16_len(text)
            break
        parts.append(_span_html(span, text))
        used += utf16_len(text)
    return "".join(parts), used


def render(message: Message, limit: int = LIMIT) -> str:
    """Telegram HTML for `message`, never over `limit` units of visible text."""
    paragraphs = [_paragraph(p) for p in message.paragraphs] or [("", 0)]
    total = sum(length for _, length in paragraphs) + len(paragraphs) - 1
    if total > limit:
        # First shorten the longest paragraph (a huge title), keeping the others whole.
        longest = max(range(len(paragraphs)), key=lambda i: paragraphs[i][1])
        others = total - paragraphs[longest][1]
        budget = max(MIN_PARAGRAPH, limit - others)
        if budget < paragraphs[longest][1]:
            paragraphs[longest] = _paragraph(message.paragraphs[longest], budget)
            total = others + paragraphs[longest][1]
    while total > limit and len(paragraphs) > 1:
        # Then drop whole paragraphs from the end, saying that something is missing.
        if paragraphs[-1][0] == ELLIPSIS:
            paragraphs.pop()
            total -= 2
            if len(paragraphs) == 1:
                break
        _, dropped = paragraphs.pop()
        total -= dropped + 1
        paragraphs.append((ELLIPSIS, 1))
        total += 2
    if total > limit:  # one paragraph alone, still too long
        paragraphs = [_paragraph(message.paragraphs[0], limit)]
    text = "\n".join(html_text for html_text, _ in paragraphs)
    return text if text.strip() else ELLIPSIS


def visible_length(message: Message) -> int:
    """Visible UTF-16 length of the rendered message (for tests and diagnostics)."""
    return utf16_len(html.unescape(_strip_tags(render(message))))


def _strip_tags(source: str) -> str:
    out: list[str] = []
    inside = False
    for ch in source:
        if ch == "<":
            inside = True
        elif ch == ">" and inside:
            inside = False
        elif not inside:
            out.append(ch)
    return "".join(out)
