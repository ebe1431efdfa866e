"""The meeting point: cue words ("meet at", "Treffpunkt", "rendez-vous") and the text after."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import homes
from .lexicon import LEXICONS, alternation

Span = tuple[int, int]

LABEL, MEET, DIRECTIONAL, GENERIC = 4, 3, 2, 1
MAX_PLACE = 90

_COLON_ONLY = frozenset({"where", "place", "wo", "ort", "lieu", "où", "sted", "hvor", "waar",
                         "plek", "local", "onde", "dove", "donde", "dónde", "luogo", "lugar",
                         "adresse", "address", "adres", "endereço", "indirizzo", "dirección",
                         "location", "venue", "locatie", "ubicación", "encontro", "départ",
                         "partenza", "appuntamento", "treff"})
_DETERMINERS = frozenset(
    ["the", "our", "their", "a", "an", "der", "die", "das", "dem", "den", "des", "le", "la", "les", "l'", "l", "el", "los", "las", "il", "lo", "gli", "i", "o", "os", "as", "um", "uma", "het", "de", "een", "en", "et", "ein", "eine", "einem", "einer", "un", "une", "una", "uno"])
_BAD_HEADS = frozenset(
    ["morning", "afternoon", "evening", "night", "time", "advance", "mind", "case", "total", "need", "order", "support", "touch", "aid", "meantime", "all", "full", "person", "addition", "return", "charge", "general", "particular", "least", "most", "future", "past", "moment", "weeks", "days", "hours", "minutes", "week", "day", "hour", "minute", "years", "year", "months", "month", "spring", "summer", "autumn", "fall", "winter", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "rain", "sun", "touch", "person", "progress", "fact", "colaboración", "collaboration", "zusammenarbeit", "collaborazione", "colaboração", "samenwerking", "samarbejde", "kooperation", "regard", "terms", "tow", "next", "upcoming", "following", "coming", "wherever", "anywhere", "home", "your", "my", "from", "here", "there", "and", "und", "et", "og", "kl", "klokken", "ore", "uhr"])
_ARTICLE_PREPS = frozenset(
    ["am", "im", "beim", "ins", "zum", "zur", "an der", "auf dem", "auf der", "in der", "in den",
     "au", "aux", "à la", "sur le", "sur la", "al", "alla", "allo", "in piazza", "in via", "no",
     "na", "nos", "nas", "en el", "en la", "op het", "op de", "in het", "in de", "bij", "ved",
     "på", "all'", "nel", "nella", "nello", "dal", "dalla", "dallo", "dall'", "aan de",
     "aan het"])
_SPLIT_PREPS = frozenset({"en", "in", "op", "aan", "sur", "em", "auf", "an"})
_PRONOUNS = frozenset(
    ["we", "you", "they", "i", "he", "she", "it", "wir", "ihr", "sie", "nous", "vous", "on", "ils", "nosotros", "vosotros", "ellos", "noi", "voi", "loro", "nós", "vocês", "eles", "wij", "jullie", "zij", "vi", "i", "de", "which", "where", "who", "that", "welche", "qui", "que", "dove", "donde", "onde", "waar", "hvor", "please", "bitte"])
_CLAUSE = {
    "en": ("to help", "to pick", "to clean", "to plant", "for a", "for the", "for some",
           "where", "which", "who", "with", "so that", "because", "if you", "and we",
           "and bring", "bring", "please", "starting", "all welcome", "everyone"),
    "de": ("und werden", "wer", "mit", "um zu", "bitte", "damit", "wo wir", "für",
           "bringt", "mitbringen"),
    "fr": ("pour", "avec", "munis", "munies", "afin", "qui", "où", "prévoir", "apportez",
           "amenez", "venez"),
    "es": ("para", "con", "donde", "que", "traed", "trae", "traer"),
    "it": ("per", "con", "dove", "che", "portate", "portare"),
    "pt": ("para", "com", "onde", "que", "tragam", "traga", "levem"),
    "nl": ("om", "met", "waar", "voor", "wordt", "worden", "neem", "breng"),
    "da": ("for at", "med", "hvor", "og varer", "tag", "medbring"),
}
_MARKUP = frozenset("*_~` \t")  # chat markup around a place ("**Portobello beach**")
_ABBREV = re.compile(r"(?:\b(?:ave|st|str|rd|dr|no|nr|ca|pl|av|bd|blvd|sq|mt|ft|jr|sr)|"
                     r"\b[a-z])\.$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Place:
    start: int
    end: int
    cue_start: int
    priority: int


@dataclass(frozen=True)
class _Patterns:
    cue: re.Pattern[str]
    kinds: dict[str, int]
    keep_cue: frozenset[str]
    clause: re.Pattern[str]
    trim: re.Pattern[str]


@lru_cache(maxsize=16)
def _patterns(code: str) -> _Patterns:
    lx = LEXICONS[code]
    kinds: dict[str, int] = {}
    for w in lx.place_preps:
        kinds[w] = GENERIC
    for w in lx.place_directional:
        kinds[w] = GENERIC if w in _ARTICLE_PREPS else DIRECTIONAL
    for w in lx.place_meet:
        kinds[w] = MEET
    for w in lx.place_labels:
        kinds[w] = LABEL
    if code == "en":
        kinds.pop("by", None)
    cue = re.compile(rf"(?<![\w'-])({alternation(kinds)})(?:\s{{0,3}}:|(?=[\s@])|(?<=[@:]))")
    keep = frozenset(lx.place_directional)
    clause = re.compile(
        rf"\s(?:{alternation(_CLAUSE[code])})(?![\w])|,\s(?:{alternation(_PRONOUNS)})(?![\w])"
        r"|[.!?;](?:\s|$)|\n|\s-\s|\s\|\s|\s/\s"
    )
    trim_words = alternation(
        (*lx.time_cues, *lx.range_from, *lx.place_preps, *lx.this, *lx.next_before, "and", "y",
         "e", "et", "und", "en", "og", "from", "on", "at", "um", "ab", "am", "le", "el", "the",
         "de", "des", "vom", "dès", "per", "das", "às", "alle", "ore", "es", "ist", "is", "è",
         "é", "er", "starting", "start"))
    trim = re.compile(rf"(?:[\s,:;(\-–]+|(?<![\w])(?:{trim_words}))+$")
    return _Patterns(cue, kinds, keep, clause, trim)


def _overlaps(start: int, end: int, blocked: list[Span]) -> bool:
    return any(start < e and s < end for s, e in blocked)


def find(text: str, lower: str, code: str, when: list[Span], other: list[Span],
         focus: list[Span]) -> Place | None:
    """`when`: all date/time spans; `other`: more stoppers; `focus`: the chosen date and
    time (a place written right next to them scores higher)."""
    pat = _patterns(code)
    blocked = when + other
    best: Place | None = None
    best_score = 0.0
    for m in pat.cue.finditer(lower):
        word = m.group(1)
        kind = pat.kinds[word]
        if _overlaps(m.start(), m.end(), blocked):
            continue
        has_colon = lower[m.end(1):m.end()].strip() == ":"
        if kind == LABEL and word in _COLON_ONLY and not has_colon:
            continue
        if word == "by the" and re.search(r"(?:ed|run|by|led|made)\s$", lower[max(0, m.start() - 12):m.start()]):
            continue
        if kind == LABEL and not has_colon and m.start() > 0 and word in ("place", "encontro"):
            continue
        place = _capture(text, lower, code, m.end(), blocked, kind)
        if place is None:
            continue
        start, end = place
        articled = word in _ARTICLE_PREPS
        if not _plausible(text, lower, start, end, DIRECTIONAL if articled else kind, code):
            continue
        if word in pat.keep_cue:
            start = m.start(1)
            if " " in word and word.split(" ")[0] in _SPLIT_PREPS:
                start = m.start(1) + word.index(" ") + 1  # "en la playa" -> "la playa"
        if best is not None and best.start <= m.start() < best.end and kind <= best.priority:
            continue  # a cue inside the place already found ("garden behind the X")
        short = len(lower[start:end].split()) <= 5
        score = kind + _next_to_when(lower, m.start(), end, focus, short)
        cand = Place(start, end, m.start(), kind)
        if best is None or score > best_score:
            best, best_score = cand, score
    for home in homes.find(text, lower, code, blocked):
        # "bei Anna", "chez moi": kept whole; it replaces the bare name a cue found in it, and
        # otherwise weighs like a place after a plain preposition
        score = GENERIC + _next_to_when(lower, home.start, home.end, focus, True)
        inside = best is not None and best.start < home.end and home.start < best.end
        if best is None or inside or score > best_score or (
                score == best_score and home.start < best.start):
            best, best_score = Place(home.start, home.end, home.start, GENERIC), score
    if best is None:
        best = _bare_segment(text, lower, code, when, other)
    if best is None:
        best = _capitalised_segment(text, lower, code, when + other)
    return best


_SEGMENT = re.compile(r"[^,.;!?\n()|\"]{2,300}")
_NAME_GLUE = frozenset({"of", "the", "de", "la", "le", "du", "des", "del", "di", "do", "da",
                        "van", "der", "den", "am", "an", "st", "on", "upon", "&", "and", "y",
                        "e", "et", "und", "og", "en", "'s"})


def _capitalised_segment(text: str, lower: str, code: str, blocked: list[Span]) -> Place | None:
    """'Sunday 29th Nov, 10:30 start, Hyde Park Corner': a stand-alone proper name."""
    lx = LEXICONS[code]
    calendar = set(lx.weekdays) | set(lx.months) | set(lx.weekday_abbr)
    first_seg = True
    for m in _SEGMENT.finditer(text):
        start, end = m.start(), m.end()
        seg = text[start:end]
        stripped = seg.strip(" -–:")
        if not stripped:
            continue
        start += seg.index(stripped)
        end = start + len(stripped)
        if first_seg:
            first_seg = False
            # the opening words are the title; only what follows its date/time may be a place
            inside = [e for s, e in blocked if start <= s < end]
            if not inside:
                continue
            start = max(inside)
        # drop leading/trailing date or time spans
        for s, e in sorted(blocked):
            if s <= start < e:
                start = e
            if s < end <= e or (start < s < end):
                end = min(end, s)
        piece = text[start:end].strip(" -–:")
        if not piece:
            continue
        start = text.index(piece, start)
        end = start + len(piece)
        if lower[:start].rstrip().endswith(":") and not _words_before(lower, code, start,
                                                                      blocked):
            continue  # "Samedi 10h : Nettoyage Plage": the opening words are the title
        words = piece.split()
        if not 1 <= len(words) <= 5 or not any(len(w) >= 4 for w in words):
            continue
        caps = [w for w in words if w[:1].isupper()]
        if len(caps) < max(1, len(words) - sum(w.lower() in _NAME_GLUE for w in words)):
            continue
        if len(words) == 1 and not (len(caps[0]) > 3 and caps[0][1:].islower()):
            continue
        if any(w.lower().strip("'") in calendar for w in words):
            continue
        if words[0].lower() in lx.stopwords or words[0].lower() in _PRONOUNS:
            continue
        return Place(start, end, start, 0)
    return None


_BARE_START = re.compile(r"[ \t]{0,2}(?:,|-|\.|:)[ \t]{1,3}")
_BARE_END = re.compile(r"[,.!;\n]|\s-\s|$")


def _bare_segment(text: str, lower: str, code: str, when: list[Span],
                  other: list[Span]) -> Place | None:
    """'Sat 2pm, St John's church.' / '12/12, 10-18 Uhr, Marktplatz.': a short phrase standing
    alone right after the date or time."""
    stop = LEXICONS[code].stopwords | _PRONOUNS
    blocked = when + other
    for _s, e in sorted(when):
        m = _BARE_START.match(lower, e)
        if not m:
            continue
        start = m.end()
        if start >= len(lower) or _overlaps(start, start + 1, blocked):
            continue
        m2 = _BARE_END.search(lower, start)
        end = m2.start() if m2 else len(lower)
        for bs, _be in blocked:
            if start < bs < end:
                end = bs
        while end > start and lower[end - 1] in " ,:;-":
            end -= 1
        if (":" in m.group(0) or not text[start].isupper()) and not _words_before(
                lower, code, start, blocked):
            continue  # "Sabato alle 9: pulizia spiaggia": the opening words are the title
        words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", lower[start:end])
        if not 1 <= len(words) <= 6 or words[0] in stop or words[0] in _BAD_HEADS:
            continue
        if end < len(lower) and lower[end] not in ",.!;\n" and lower[end:].strip() != "":
            continue
        if not (text[start].isupper() or code != "en"):
            continue
        return Place(start, end, start, 0)
    return None


@lru_cache(maxsize=16)
def _small_words(code: str) -> frozenset[str]:
    lx = LEXICONS[code]
    return frozenset((*lx.stopwords, *lx.time_cues, *lx.range_from, *lx.this, *lx.next_before,
                      *lx.place_preps, *lx.clock_units, *lx.title_fillers, *lx.greetings))


def _words_before(lower: str, code: str, pos: int, blocked: list[Span]) -> bool:
    """Is there a content word before `pos` (not a date, time, count or small word)?"""
    small = _small_words(code)
    for m in re.finditer(r"[^\W\d_]{3,}", lower[:pos]):
        if m.group(0) not in small and not _overlaps(m.start(), m.end(), blocked):
            return True
    return False


def _next_to_when(lower: str, cue_start: int, end: int, blocked: list[Span],
                  short: bool) -> float:
    """A place written right after or right before a date/time is usually the meeting point."""
    bonus = 0.0
    for s, e in blocked:
        if 0 <= cue_start - e <= 3 and not re.search(r"[.!?\n]", lower[e:cue_start]):
            bonus = max(bonus, 0.5)
        if short and 0 <= s - end <= 5 and not re.search(r"[.!?\n]", lower[end:s]):
            bonus = max(bonus, 0.3)
    return bonus


def _skip_noise(lower: str, pos: int, blocked: list[Span]) -> int:
    """Skip spaces, 'is', and date/time spans right after a label ('Rendez-vous à 18h30, à ...')."""
    for _ in range(6):
        m = re.match(r"[\s,:\-]*(?:(?:is|ist|est|es|è|é|er|=|at|à|a|um|às|alle|ore|kl\.|om|"
                     r"a las|on|am|op|dia|@|dazu|dann|wieder|alle|again|then|there|dort|"
                     r"gemeinsam|together|ensemble|juntos|insieme|samen|sammen|all|"
                     r"previsto|prevista|prévu|prévue|gepland|será|sera|sarà|fissato|fissata|"
                     r"will be|wird|zal zijn|bliver|fica|ficará|é|está|estará)\s)?[\s,:\-]*",
                     lower[pos:])
        nxt = pos + (m.end() if m else 0)
        for s, e in blocked:
            if s <= nxt < e or (nxt < s and lower[nxt:s].strip(" ,-") == ""):
                nxt = e
                break
        if nxt == pos:
            break
        pos = nxt
    return pos


def _capture(text: str, lower: str, code: str, pos: int, blocked: list[Span],
             kind: int) -> tuple[int, int] | None:
    pat = _patterns(code)
    start = pos
    if kind >= MEET:
        start = _skip_noise(lower, pos, blocked)
    else:
        while start < len(lower) and lower[start] in " \t":
            start += 1
    while start < len(lower) and lower[start] in _MARKUP:
        start += 1
    if start >= len(lower) or _overlaps(start, start + 1, blocked):
        return None
    limit = min(len(lower), start + MAX_PLACE)
    end = limit
    for s, _e in blocked:
        if start < s < end:
            end = s
    for m in pat.clause.finditer(lower, start, end):
        if m.group(0)[0] == "." and _ABBREV.search(lower[max(start, m.start() - 5):m.start() + 1]):
            continue
        end = m.start()
        break
    if end == limit and limit < len(lower):
        cut = lower.rfind(" ", start, limit)
        if cut > start:
            end = cut
    m2 = pat.trim.search(lower, start, end)
    while m2 is not None and m2.start() < end and m2.start() > start:
        end = m2.start()
        m2 = pat.trim.search(lower, start, end)
    while end > start and (text[end - 1] in " ,;:-(\"'" or not (
            text[end - 1].isalnum() or text[end - 1] in ").'\"")):
        end -= 1
    # balance a dangling "(" at the end or an unclosed one
    segment = text[start:end]
    if segment.count("(") > segment.count(")"):
        cut = segment.rfind("(")
        end = start + cut
        while end > start and text[end - 1] in " ,;:-":
            end -= 1
    if end - start < 2:
        return None
    return start, end


def _plausible(text: str, lower: str, start: int, end: int, kind: int, code: str) -> bool:
    words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", lower[start:end])
    if not words:
        return False
    head = words[0]
    first = text[start]
    content = [w for w in words if w not in _DETERMINERS]
    if not content or content[0] in _BAD_HEADS:
        return False
    if kind >= DIRECTIONAL:
        return True
    if first.isdigit():
        rest = text[start:end].split()
        return len(rest) > 1 and rest[1][:1].isupper()
    if first.isupper() or head in _DETERMINERS or head.startswith(("l'", "d'")):
        return True
    # "in biblioteca", "i kirken": lower-case nouns are places in short phrases outside English
    return code != "en" and len(words) <= 4
