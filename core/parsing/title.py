"""A short "what" for the announcement."""

from __future__ import annotations

import re

from .lexicon import LEXICONS, alternation

Span = tuple[int, int]

MAX_TITLE = 60
FALLBACK = {"en": "Gathering", "de": "Treffen", "fr": "Rassemblement", "es": "Encuentro",
            "it": "Incontro", "pt": "Encontro", "nl": "Bijeenkomst", "da": "Arrangement"}

_SEGMENT_END = re.compile(r"[.!?](?:\s|$)|\n|:\s|\s-\s|\s\|\s|\(|,\s|;")
_TRAIL = re.compile(
    r"(?:[\s,:;(\-]+|(?<![\w])(?:at|on|this|next|in|from|for|is|will|be|am|um|im|le|la|ce|"
    r"à|a|el|este|il|alle|no|na|neste|op|om|på|kl|the|and|und|et|y|e|en|og|our|with|"
    r"mit|de|del|di|do|da|van|von|bis|ab|den|der|die|das|des|vom|zum|zur|au|du|sur|ao|og|i|by|"
    r"starting|start|meet|meeting|treffen|treffpunkt|rendez-vous|ritrovo|wo|where)|\W)+$",
    re.IGNORECASE,
)
_EMOJI_ONLY = re.compile(r"^[\W\d_]+$")
_JUNK = frozenset({"findet", "fra", "dalle", "ore", "alle", "von", "ab", "um", "uhr", "kl",
                   "klokken", "om", "van", "das", "às", "de", "des", "dès", "vanaf", "start",
                   "starts", "starting", "dauer", "duration", "durée", "duración", "durata",
                   "duração", "duur", "varighed", "aften", "soir", "sera", "noche", "noite",
                   "avond", "abend", "evening", "morning", "matin", "mattina", "morgens"})


def _fillers(code: str) -> re.Pattern[str]:
    lx = LEXICONS[code]
    return re.compile(rf"^(?:(?:{alternation(lx.title_fillers)})(?![\w])[\s,!:]*)+",
                      re.IGNORECASE)


def make_title(text: str, code: str, spans: list[Span]) -> tuple[str, bool]:
    """(title, is_fallback). `spans` are date/time/place/headcount spans to cut at."""
    pos = 0
    n = len(text)
    for _ in range(6):
        while pos < n and not (text[pos].isalnum()):
            pos += 1
        if pos >= n:
            break
        m = _SEGMENT_END.search(text, pos)
        end = m.start() if m else n
        for s, _e in sorted(spans):
            if pos <= s < end:
                end = s
                break
        candidate = _tidy(text[pos:end], code)
        if candidate:
            return candidate, False
        # nothing before the first date/time: move past it and try again
        nxt = end + 1
        for s, e in spans:
            if s <= end < e or s == end:
                nxt = max(nxt, e)
        if m and m.start() == end:
            nxt = m.end()
        pos = nxt
    return FALLBACK.get(code, "Gathering"), True


def _tidy(raw: str, code: str) -> str:
    s = " ".join(raw.split())
    s = _fillers(code).sub("", s)
    s = _TRAIL.sub("", s).strip(" -,:;")
    if len(s) < 3 or _EMOJI_ONLY.match(s):
        return ""
    stop = LEXICONS[code].stopwords
    words = re.findall(r"[^\W\d_]+", s)
    if all(w.lower() in stop or len(w) < 3 or w.lower() in _JUNK for w in words):
        return ""
    if len(words) == 1 and words[0].islower() and code == "de":
        return ""  # a lone verb ("findet"): German nouns are capitalised
    if len(s) > MAX_TITLE:
        cut = s.rfind(" ", 0, MAX_TITLE)
        s = s[: cut if cut > 20 else MAX_TITLE].rstrip(" ,;:-")
    return s[0].upper() + s[1:]
