"""Mastodon's status HTML as plain text, and the text a person addressed to the bot. Pure."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "blockquote", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
_SKIPPED = {"script", "style", "template"}
_LEADING_MENTION = re.compile(r"^\s*@[\w.-]+(?:@[\w.-]+\w)?[\s,:]*", re.UNICODE)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS and self.parts:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(content: str) -> str:
    """`<p>Hi <span class="h-card"><a ...>@<span>gather</span></a></span></p>` -> 'Hi @gather'.

    Tags are dropped (script and style with their contents), entities decoded, paragraphs
    become blank lines and <br> a line break. Control characters other than newlines go.
    """
    parser = _Text()
    parser.feed(content or "")
    parser.close()
    text = "".join(parser.parts)
    text = "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def without_leading_mentions(text: str) -> str:
    """'@gather @bob join +1' -> 'join +1': the addressees before what was said."""
    while True:
        stripped = _LEADING_MENTION.sub("", text, count=1)
        if stripped == text:
            return text.strip()
        text = stripped


def without_mention_of(text: str, username: str) -> str:
    """Remove mentions of the bot (`@gather`, `@gather@host`) anywhere in the text."""
    pattern = re.compile(rf"(?<![\w@])@{re.escape(username)}(?:@[\w.-]+\w)?(?![\w@])", re.I)
    return re.sub(r"[ \t]+", " ", pattern.sub(" ", text)).strip()
