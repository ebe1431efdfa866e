"""The meeting point: cue words ("meet at", "Treffpunkt", "rendez-vous") and the text after."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import homes
from .lexicon import LEXICONS, alternation
from .place_words import (
    BAD_HEADS,
    DETERMINERS,
    EN_PLACE_NOUNS,
    NOT_PLACES,
    PRONOUNS,
    Place,
    Span,
    overlaps,
)
from .standalone_places import bare_segment, capitalised_segment

LABEL, MEET, DIRECTIONAL, GENERIC = 4, 3, 2, 1
# A second place word inside a lower-case English phrase: the place is after it, not the phrase
_EN_INNER_CUES = frozenset({"at", "in", "on", "by", "near", "outside", "behind"})
# A pin before a place says "where" in every language ("📍 Maison de quartier", "📍Meadows")
PIN_EMOJI = ("📍", "📌")
_AMOUNT_AFTER = re.compile(r",\s{1,3}\d[\d.,+]*\s?[a-zà-ÿ]")
MAX_PLACE = 90

_COLON_ONLY = frozenset({"where", "place", "wo", "ort", "lieu", "où", "sted", "hvor", "waar",
                         "plek", "local", "onde", "dove", "donde", "dónde", "luogo", "lugar",
                         "adresse", "address", "adres", "endereço", "indirizzo", "dirección",
                         "location", "venue", "locatie", "ubicación", "encontro", "départ",
                         "partenza", "appuntamento", "treff"})
_ARTICLE_PREPS = frozenset(
    ["am", "im", "beim", "ins", "zum", "zur", "an der", "auf dem", "auf der", "in der", "in den",
     "au", "aux", "à la", "sur le", "sur la", "al", "alla", "allo", "in piazza", "in via", "no",
     "na", "nos", "nas", "en el", "en la", "op het", "op de", "in het", "in de", "bij", "ved",
     "på", "all'", "nel", "nella", "nello", "dal", "dalla", "dallo", "dall'", "aan de",
     "aan het"])
_SPLIT_PREPS = frozenset({"en", "in", "op", "aan", "sur", "em", "auf", "an"})
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
_CLAUSE_VERBS = {
    "en": ("will", "is", "are", "was", "were", "can", "should", "must", "has", "have"),
    "de": ("wird", "werden", "ist", "sind", "war", "kann", "können", "muss", "hat"),
    "fr": ("sera", "seront", "est", "sont", "était", "peut", "doit", "a"),
    "es": ("será", "serán", "está", "están", "es", "son", "puede", "debe"),
    "it": ("sarà", "saranno", "è", "sono", "può", "deve"),
    "pt": ("será", "serão", "está", "estão", "é", "são", "pode", "deve"),
    "nl": ("zal", "zullen", "is", "zijn", "was", "kan", "moet", "wordt"),
    "da": ("vil", "er", "var", "kan", "skal", "bliver"),
}
_MARKUP = frozenset("*_~` \t")  # chat markup around a place ("**Portobello beach**")
_ABBREV = re.compile(r"(?:\b(?:ave|st|str|rd|dr|no|nr|ca|pl|av|bd|blvd|sq|mt|ft|jr|sr)|"
                     r"\b[a-z])\.$", re.IGNORECASE)


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
    for w in (*lx.place_labels, *PIN_EMOJI):
        kinds[w] = LABEL
    if code == "en":
        kinds.pop("by", None)
        kinds["from"] = GENERIC  # "Bike ride Saturday 9am from Waverley station"
    pins = "".join(PIN_EMOJI)
    cue = re.compile(
        rf"(?<![\w'-])({alternation(kinds)})(?:\s{{0,3}}:|(?=[\s@])|(?<=[@:{pins}]))")
    keep = frozenset(lx.place_directional)
    clause = re.compile(
        rf"\s(?:{alternation(_CLAUSE[code])})(?![\w])|,\s(?:{alternation(PRONOUNS)})(?![\w])"
        r"|[.!?;](?:\s|$)|\n|\s-\s|\s\|\s|\s/\s"
        # ", signage will be in place", ", das Café ist offen": a new clause with its own verb
        rf"|,\s(?:[^\W\d_]+\s){{1,3}}(?:{alternation(_CLAUSE_VERBS.get(code, ()))})(?![\w])"
    )
    trim_words = alternation(
        (*lx.time_cues, *lx.range_from, *lx.place_preps, *lx.this, *lx.next_before, "and", "y",
         "e", "et", "und", "en", "og", "from", "on", "at", "um", "ab", "am", "le", "el", "the",
         "de", "des", "vom", "dès", "per", "das", "às", "alle", "ore", "es", "ist", "is", "è",
         "é", "er", "starting", "start"))
    trim = re.compile(rf"(?:[\s,:;(\-–]+|(?<![\w])(?:{trim_words}))+$")
    return _Patterns(cue, kinds, keep, clause, trim)


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
        if overlaps(m.start(), m.end(), blocked):
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
        if code == "en" and word == "to" and _infinitive(text, lower, start, end):
            continue  # "Sunday 10am to clean the beach": what it is for, not where
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
        best = bare_segment(text, lower, code, when, other)
    if best is None:
        best = capitalised_segment(text, lower, code, when + other)
    return best


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
    if start >= len(lower) or overlaps(start, start + 1, blocked):
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
    # ", 12 years running", ", 5 km for all": a number and a lower-case word end the place
    # (", 2100 Napoleon Ave." goes on: an address)
    amount = _AMOUNT_AFTER.search(text, start, end)
    if amount is not None:
        end = amount.start()
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
    # and a ")" closing what was opened before the place ("(by the cafe)")
    while end > start and text[end - 1] == ")" and (
            text[start:end].count(")") > text[start:end].count("(")):
        end -= 1
        while end > start and text[end - 1] in " ,;:-":
            end -= 1
    if end - start < 2:
        return None
    return start, end


def _infinitive(text: str, lower: str, start: int, end: int) -> bool:
    """After "to": a lower-case word that is no determiner, then one that is, is a verb and
    its object ("to clean the beach", "to tidy our park"); "to portobello beach" and "to
    Leith Links" stay places."""
    words = re.findall(r"[^\W_]+", lower[start:end])
    return (text[start].islower() and len(words) > 2 and words[0] not in DETERMINERS
            and bool(DETERMINERS & set(words[1:])))


def _plausible(text: str, lower: str, start: int, end: int, kind: int, code: str) -> bool:
    words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", lower[start:end])
    if not words:
        return False
    head = words[0]
    first = text[start]
    content = [w for w in words if w not in DETERMINERS]
    if not content or content[0] in BAD_HEADS or NOT_PLACES & set(words):
        return False
    if kind >= DIRECTIONAL:
        return True
    if first.isdigit():
        rest = text[start:end].split()
        return len(rest) > 1 and rest[1][:1].isupper()
    if first.isupper() or head in DETERMINERS or head.startswith(("l'", "d'")):
        return True
    # "in biblioteca", "i kirken": lower-case nouns are places in short phrases outside English;
    # in English, when a short one ends in a kind of place ("at leith links", "at waverley steps")
    if code == "en":  # a plain phrase of words: "@ everyone _x_ at the pier" is not one
        return (first.isalpha() and len(words) <= 5 and words[-1] in EN_PLACE_NOUNS
                and not _EN_INNER_CUES & set(words[1:]))
    return len(words) <= 4
