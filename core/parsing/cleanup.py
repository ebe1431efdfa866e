"""Text clean-up that keeps every character at its position.

All substitutions are one character for one character, so a span found in the working
text is the same span in the original text (the place is returned verbatim).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .result import ParseError

MAX_LENGTH = 2000

_TRANSLATE = {
    ord("’"): "'", ord("‘"): "'", ord("`"): "'", ord("´"): "'",
    ord("“"): '"', ord("”"): '"', ord("„"): '"', ord("«"): '"', ord("»"): '"',
    ord("\u00a0"): " ", ord("\u202f"): " ", ord("\u2009"): " ", ord("\u2007"): " ",
    ord("–"): "-", ord("—"): "-", ord("‒"): "-", ord("−"): "-", ord("‐"): "-", ord("‑"): "-",
    ord("\t"): " ", ord("\r"): "\n", ord("\u2028"): "\n", ord("\u2029"): "\n",
    ord("\u200b"): " ", ord("\u200e"): " ", ord("\u200f"): " ", ord("\ufeff"): " ",
}

_COMMAND = re.compile(r"\A\s*(?:/gather(?:@\w+)?|gather\b:?)", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{1,64}(?:@[A-Za-z0-9_.-]{1,253})?")
_HASH = re.compile(r"(?<![\w&])#(?=\w)")
_TRAILING_TAGS = re.compile(r"(?:\s#\w{1,60}){1,20}\s*\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class Cleaned:
    original: str
    text: str  # same length as original, noise blanked out
    lower: str  # same length, lower case


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _same_length_lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def clean(text: object) -> Cleaned:
    if not isinstance(text, str):
        raise ParseError("not_text")
    if len(text) > MAX_LENGTH:
        raise ParseError("too_long", length=len(text), limit=MAX_LENGTH)
    work = _CONTROL.sub(" ", text.translate(_TRANSLATE))
    # surrogates and other oddities survive translate; they are harmless to the regexes
    for m in list(_MENTION.finditer(work)):
        # "2pm @ Union Square" has a space after '@' and is kept: that '@' means 'at'
        work = _blank(work, m.start(), m.end())
    command = _COMMAND.match(work)
    if command:
        work = _blank(work, command.start(), command.end())
    tags = _TRAILING_TAGS.search(work)
    if tags:
        # a run of hashtags closing the message is a label, not part of the text
        work = _blank(work, tags.start(), tags.end())
    work = _HASH.sub(" ", work)
    if not work.strip():
        raise ParseError("empty")
    return Cleaned(original=text, text=work, lower=_same_length_lower(work))
