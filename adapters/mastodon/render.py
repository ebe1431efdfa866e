"""Core messages as Mastodon status text: plain, within the instance's limit, with no mentions
but the ones the bot means to make."""

from __future__ import annotations

import re
import unicodedata

from core import CODE_ALPHABET, Message, Span, notice

# A URL counts as 23 characters on Mastodon, whatever its length.
URL_LENGTH = 23
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)]")
# An @ that Mastodon would read as a mention (or a hashtag-like handle): after no word char.
_MENTION_AT = re.compile(r"(?<![=/\w])@(?=[\w])")
ELLIPSIS = "…"
_JOINERS = "\u200c\u200d\ufe0e\ufe0f"  # invisible, but they hold emoji sequences together
DATE_MARK = "🗓"
_CODE = re.compile(f"[{CODE_ALPHABET}]{{4,8}}")  # a gathering's code


def neutralise(text: str) -> str:
    """Text from people, repeated by the bot, must not notify anyone: '@victim@host' becomes
    '＠victim@host' (a full-width at sign, which Mastodon does not read as a mention)."""
    return _MENTION_AT.sub("＠", text)


def countable_length(text: str) -> int:
    """Mastodon's count, slightly pessimistic: code points (never fewer than the grapheme
    clusters Mastodon counts), each URL as 23."""
    total = 0
    position = 0
    for match in _URL.finditer(text):
        total += len(text[position : match.start()]) + URL_LENGTH
        position = match.end()
    return total + len(text[position:])


def mentioned_account(span: Span) -> str | None:
    """The Mastodon account id a mention span is meant to notify (the core's "mastodon:ID")."""
    network, _, native_id = (span.target or "").partition(":")
    return native_id if span.style == "mention" and network == "mastodon" and native_id else None


def _span_text(span: Span, accts: dict[str, str] | None = None) -> str:
    account_id = mentioned_account(span)
    if account_id is not None and accts and accts.get(account_id):
        return "@" + accts[account_id]  # the one mention the bot means to make
    text = "".join(ch if ch.isprintable() or ch in _JOINERS else " " for ch in span.text)
    if span.style == "link" and span.target and span.target != span.text:
        return f"{neutralise(text)} {span.target}"
    return neutralise(text)


def paragraphs(message: Message, accts: dict[str, str] | None = None) -> list[str]:
    """The message's lines; `accts` maps the account ids of mention spans to their acct."""
    lines = [
        "".join(_span_text(span, accts) for span in paragraph) for paragraph in message.paragraphs
    ]
    return [line for line in lines if line.strip()]


def cut(text: str, length: int) -> str:
    """At most `length` countable characters of `text` ending in '…', cut between words where
    possible and never inside a character sequence (surrogates, ZWJ emoji, combining marks)."""
    if countable_length(text) <= length:
        return text
    if length <= 1:
        return ELLIPSIS if length == 1 else ""
    end = min(len(text), length - 1)
    while end > 0 and countable_length(text[:end]) > length - 1:
        end -= 1
    end = _safe_end(text, end)
    space = text.rfind(" ", 0, end)
    if space > end * 0.6:
        end = space
    return text[:end].rstrip() + ELLIPSIS


def _safe_end(text: str, end: int) -> int:
    """Move `end` back so text[:end] does not split a grapheme-like sequence."""
    while 0 < end < len(text):
        here, before = text[end], text[end - 1]
        joined = (
            unicodedata.combining(here)
            or here in "\u200d\ufe0e\ufe0f"
            or before == "\u200d"
            or 0x1F3FB <= ord(here) <= 0x1F3FF  # skin tone modifiers
            or 0xDC00 <= ord(here) <= 0xDFFF  # a low surrogate (should not occur in str)
        )
        if not joined:
            break
        end -= 1
    return end


def fit(lines: list[str], essential: set[int], limit: int) -> str:
    """Join `lines` within `limit`: essential lines always stay; the others are kept in order
    while they fit, the first that does not fit is shortened with '…', the rest dropped."""
    chosen = {i: lines[i] for i in essential if i < len(lines)}
    used = sum(countable_length(line) for line in chosen.values()) + max(0, len(chosen) - 1)
    shortened = False
    for index, line in enumerate(lines):
        if index in chosen:
            continue
        room = limit - used - 1  # the line break before it
        if countable_length(line) <= room:
            chosen[index] = line
            used += countable_length(line) + 1
        elif not shortened and room >= 12:
            chosen[index] = cut(line, room)
            used += countable_length(chosen[index]) + 1
            shortened = True
    text = "\n".join(chosen[i] for i in sorted(chosen))
    return text if countable_length(text) <= limit else cut(text, limit)


def render_announcement(message: Message, limit: int, language: str = "en") -> str:
    """The public post: the core's paragraphs, the buttons as an instruction line. The date,
    the code and the instruction always survive a short limit."""
    kept = [p for p in message.paragraphs if "".join(span.text for span in p).strip()]
    lines = paragraphs(message)
    # The code line is found by its code span, not its label, which is in the community's
    # language ("Code:", "Kode:", "Código:").
    essential = {
        i
        for i, (line, paragraph) in enumerate(zip(lines, kept, strict=True))
        if line.startswith(DATE_MARK)
        or line.startswith("👥")
        or any(span.style == "code" and _CODE.fullmatch(span.text) for span in paragraph)
    }
    if message.buttons:
        # Mastodon has no buttons: the core says how to join instead, in `language`.
        lines.append(notice(language, "boost_to_join"))
        essential.add(len(lines) - 1)
        # a boost takes the first role; the others are taken by name ("join driver")
        others = [b.argument for b in message.buttons if b.action == "join" and b.argument][1:]
        if others:
            lines.append(notice(language, "reply_join_role", task=others[0]))
            essential.add(len(lines) - 1)
    return fit(lines, essential, limit)


def render_text(
    message: Message,
    limit: int,
    *,
    to: str = "",
    suffix: str = "",
    accts: dict[str, str] | None = None,
    language: str = "en",
) -> str:
    """A reply or DM: '@acct ' first (the only mention, besides the mention spans whose account
    is in `accts`), then the message, then `suffix` (e.g. a link), within `limit`."""
    prefix = f"@{to} " if to else ""
    lines = paragraphs(message, accts)
    joins = [b for b in message.buttons if b.action in ("join", "leave", "guest")]
    if joins:
        # (a correction button has no Mastodon form: the reply says /edit in words already)
        code = joins[0].code
        lines.append(notice(language, "reply_join_or_leave", code=code))
    if suffix:
        lines.append(suffix)
    essential = {len(lines) - 1} if suffix else set()
    room = limit - countable_length(prefix)
    return prefix + fit(lines, essential, room)
