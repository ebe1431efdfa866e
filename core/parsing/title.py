"""A short "what" for the announcement."""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import LEXICONS, alternation

Span = tuple[int, int]

MAX_TITLE = 60
FALLBACK = {"en": "Gathering", "de": "Treffen", "fr": "Rassemblement", "es": "Encuentro",
            "it": "Incontro", "pt": "Encontro", "nl": "Bijeenkomst", "da": "Arrangement"}

_SEGMENT_END = re.compile(r"[.!?](?:\s|$)|\n|:\s|\s-\s|\s\|\s|\(|,\s|;")
_TRAIL_WORDS = (
    "at|on|this|next|in|from|for|is|will|be|am|um|im|le|la|ce|"
    "à|a|el|este|il|alle|no|na|neste|op|om|på|kl|the|and|und|et|y|e|en|og|our|with|"
    "mit|de|del|di|do|da|van|von|bis|ab|den|der|die|das|des|vom|zum|zur|au|du|sur|ao|og|i|by|"
    "starting|start|meet|treffpunkt|rendez-vous|ritrovo|wo|where"
)
_EMOJI_ONLY = re.compile(r"^[\W\d_]+$")
_JUNK = frozenset({"findet", "fra", "dalle", "ore", "alle", "von", "ab", "um", "uhr", "kl",
                   "klokken", "om", "van", "das", "às", "de", "des", "dès", "vanaf", "start",
                   "starts", "starting", "dauer", "duration", "durée", "duración", "durata",
                   "duração", "duur", "varighed", "aften", "soir", "sera", "noche", "noite",
                   "avond", "abend", "evening", "morning", "matin", "mattina", "morgens"})


# Markup and emoji are dropped where they wrap the title ("**Beach clean**", "🌊🌊 Beach clean",
# "__x__"); inside it they stay as written ("Tea _x_ party") and the adapters escape them.
_OPENER = re.compile(r"([*_~`|]+)[^\w*_~`|]*$")  # the markup run right before the title
_KEYCAP = re.compile("^[0-9#*]\ufe0f?\u20e3")  # "1️⃣ Beach clean"
_STRUCK_LEAD = re.compile(r"[^\w~]{0,20}(~~?)(?!~)[^~\n]{1,80}(?<!~)\1(?!~)")  # ~~old~~ new
_ARTICLE = re.compile(r"^(?:(?:the|a|an|der|die|das|den|dem|le|la|les|un|une|el|los|las|il|lo|"
                      r"gli|o|os|as|um|uma|de|het|een|det|en|et)\s+|l['’])", re.IGNORECASE)
_LEADING = re.compile(r"^[\W_]+")
# "… Sunday 10am to pick litter", "… dimanche 10h pour ramasser les déchets": when what is left
# of the message opens with "in order to" and a verb, the verb starts the title ("Pick litter").
# Only where the verb shows by its ending (or, in English and Danish, by the infinitive's own
# marker), so "Para los niños" or "Per tutti" keep their first word. German and Dutch put the
# verb last ("um den Park aufzuräumen"), so they are left as written.
_VERB_AFTER = r"(?=\s+[^\W\d_]+(?:{})(?![\w'-]))"
_PURPOSE = {
    "en": re.compile(r"^to(?=\s+(?!(?:the|a|an|our|my|your|this|that|all|everyone)(?![\w'-]))"
                     r"[^\W\d_]{2,}(?![\w'-]))", re.IGNORECASE),
    "fr": re.compile(r"^(?:pour|afin\s+de)" + _VERB_AFTER.format("er|ir|re"), re.IGNORECASE),
    "es": re.compile(r"^para" + _VERB_AFTER.format("ar|er|ir|ír"), re.IGNORECASE),
    "it": re.compile(r"^per" + _VERB_AFTER.format("are|ere|ire|rre"), re.IGNORECASE),
    "pt": re.compile(r"^(?:para|pra)" + _VERB_AFTER.format("ar|er|ir|or"), re.IGNORECASE),
    "da": re.compile(r"^for\s+at(?=\s+[^\W\d_])", re.IGNORECASE),
}
_CLOSING = re.compile(r"(?<=[^\W_])([*_~`|]+)\s*$")


@lru_cache(maxsize=16)
def _trail(code: str) -> re.Pattern[str]:
    """Words left dangling before a cut date/time/place: 'at', 'a las', 'às', 'this'."""
    lx = LEXICONS[code]
    words = alternation((*lx.time_cues, *lx.range_from, *lx.this, *lx.next_before,
                         *lx.place_preps, *lx.daypart_links))
    return re.compile(rf"(?:[\s,:;(\-]+|(?<!\S)(?:{_TRAIL_WORDS}|{words})|\W)+$",
                      re.IGNORECASE)


@lru_cache(maxsize=16)
def _fillers(code: str) -> re.Pattern[str]:
    lx = LEXICONS[code]
    return re.compile(rf"^(?:(?:{alternation(lx.title_fillers)})(?![\w])[\s,!:]*)+",
                      re.IGNORECASE)


@lru_cache(maxsize=16)
def _greeting(code: str) -> re.Pattern[str]:
    words = LEXICONS[code].greetings or ("hi",)
    return re.compile(rf"(?:{alternation(words)})(?![\w])", re.IGNORECASE)


def _is_greeting(text: str, start: int, end: int, code: str, spans: list[Span]) -> bool:
    """'Hola vecinos!', 'Hi all,', 'Bonjour à tous !': a short opening that only greets."""
    return (bool(_greeting(code).match(text, start)) and len(text[start:end].split()) <= 4
            and not any(start <= s < end for s, _e in spans))


def make_title(text: str, code: str, spans: list[Span]) -> tuple[str, bool]:
    """(title, is_fallback). `spans` are date/time/place/headcount spans to cut at."""
    struck = _STRUCK_LEAD.match(text)
    if struck:
        # "~~Beach clean~~ Litter pick": words struck out first are not the title, unless they
        # are all there is
        blanked = " " * struck.end() + text[struck.end():]
        title, fallback = _first_title(blanked, code, spans)
        if not fallback:
            return title, fallback
    return _first_title(text, code, spans)


def _first_title(text: str, code: str, spans: list[Span]) -> tuple[str, bool]:
    pos = 0
    n = len(text)
    for _ in range(6):
        while pos < n and not (text[pos].isalnum()):
            pos += 1
        if pos >= n:
            break
        m = _SEGMENT_END.search(text, pos)
        end = m.start() if m else n
        if m and _is_greeting(text, pos, end, code, spans):
            pos = m.end()
            continue
        for s, _e in sorted(spans):
            if pos <= s < end:
                end = s
                break
        opener = _OPENER.search(text, max(0, pos - 12), pos)
        candidate = _tidy(text[pos:end], code, opener.group(1) if opener else "")
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


def _unwrap(raw: str, opener: str) -> str:
    """'Beach** clean' after an opening '**': drop the matching closing run."""
    for closer in dict.fromkeys((opener, opener[::-1])):
        m = re.search(rf"(?<=[^\s*_~`|]){re.escape(closer)}(?![^\W_])", raw)
        if m:
            return raw[:m.start()] + " " + raw[m.end():]
    return raw


def _tidy(raw: str, code: str, opener: str = "") -> str:
    if opener:
        raw = _unwrap(raw, opener)
    s = " ".join(_KEYCAP.sub("", raw).split())
    rest = _fillers(code).sub("", s)
    if rest != s:
        s = _ARTICLE.sub("", rest)  # "Volunteers needed for the beach clean" -> "Beach clean"
    purpose = _PURPOSE.get(code)
    if purpose is not None:
        s = purpose.sub("", s).lstrip()
    keep = ""
    closing = _CLOSING.search(s)
    if closing and re.search(rf"(?<!\S){re.escape(closing.group(1)[::-1])}(?=[^\W_])",
                             s[:closing.start()]):
        # "Tea *y*": a pair opened inside the title keeps its closing mark
        s, keep = s[:closing.start()], closing.group(1)
    s = _LEADING.sub("", _trail(code).sub("", s)).strip(" -,:;") + keep
    if len(s) < 3 or _EMOJI_ONLY.match(s):
        return ""
    stop = LEXICONS[code].stopwords
    words = re.findall(r"[^\W\d_]+", s)
    if all(w.lower() in stop or len(w) < 3 or w.lower() in _JUNK for w in words):
        return ""
    if len(words) == 1 and words[0].islower() and code == "de":
        return ""  # a lone verb ("findet"): German nouns are capitalised
    if not any(c.islower() for c in s) and max(len(w) for w in words) >= 4:
        s = s.lower()  # "BEACH CLEAN" is shouting, not an acronym
    if len(s) > MAX_TITLE:
        cut = s.rfind(" ", 0, MAX_TITLE)
        s = s[: cut if cut > 20 else MAX_TITLE].rstrip(" ,;:-")
    return s[0].upper() + s[1:]
