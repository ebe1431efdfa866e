"""Places written without a cue word: a short phrase standing alone after the date or time
("Sat 2pm, St John's church.") or a proper name in its own segment ("…, Hyde Park Corner")."""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import LEXICONS
from .place_words import BAD_HEADS, EN_PLACE_NOUNS, NOT_PLACES, PRONOUNS, Place, Span, overlaps

_SEGMENT = re.compile(r"[^,.;!?\n()|\"]{2,300}")
_NAME_GLUE = frozenset({"of", "the", "de", "la", "le", "du", "des", "del", "di", "do", "da",
                        "van", "der", "den", "am", "an", "st", "on", "upon", "&", "and", "y",
                        "e", "et", "und", "og", "en", "'s"})


def capitalised_segment(text: str, lower: str, code: str, blocked: list[Span]) -> Place | None:
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
        if words[0].lower() in lx.stopwords or words[0].lower() in PRONOUNS:
            continue
        return Place(start, end, start, 0)
    return None


_BARE_START = re.compile(r"[ \t]{0,2}(?:,|-|\.|:)[ \t]{1,3}|[ \t]{1,2}(?=[A-Z])")
_BARE_END = re.compile(r"[,.!;\n]|\s-\s|$")


def bare_segment(text: str, lower: str, code: str, when: list[Span],
                  other: list[Span]) -> Place | None:
    """'Sat 2pm, St John's church.' / '12/12, 10-18 Uhr, Marktplatz.': a short phrase standing
    alone right after the date or time."""
    stop = LEXICONS[code].stopwords | PRONOUNS
    blocked = when + other
    for _s, e in sorted(when):
        m = _BARE_START.match(text, e)
        if not m:
            continue
        start = m.end()
        if start >= len(lower) or overlaps(start, start + 1, blocked):
            continue
        m2 = _BARE_END.search(lower, start)
        end = m2.start() if m2 else len(lower)
        for bs, _be in blocked:
            if start < bs < end:
                end = bs
        while end > start and lower[end - 1] in " ,:;-":
            end -= 1
        no_mark = not m.group(0).strip()
        if no_mark and not _words_before(lower, code, start, blocked):
            continue  # "Sat 10am Litter pick": with nothing before, the name is the title
        if (":" in m.group(0) or not text[start].isupper()) and not _words_before(
                lower, code, start, blocked):
            continue  # "Sabato alle 9: pulizia spiaggia": the opening words are the title
        words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", lower[start:end])
        if not 1 <= len(words) <= 6 or words[0] in stop or words[0] in BAD_HEADS:
            continue
        if NOT_PLACES & set(words) or _names_people(lower[start:end], code):
            continue  # "einmal im Monat", "molti volontari benvenuti"
        if end < len(lower) and lower[end] not in ",.!;\n" and lower[end:].strip() != "":
            continue
        if not (text[start].isupper() or code != "en"):
            continue
        if code == "en" and not _words_before(lower, code, start, blocked) and _plain_words(
                text[start:end], stop) >= 2 and words[-1] not in EN_PLACE_NOUNS:
            # "Sunday 3 Jan, 11am, New Year swim & beach clean, Portobello": opening with the
            # date, a phrase of everyday words after it is what happens, not where (but
            # "Leith community centre" is a place)
            continue
        return Place(start, end, start, 0)
    return None


@lru_cache(maxsize=16)
def _people(code: str) -> re.Pattern[str]:
    lx = LEXICONS[code]
    return re.compile(rf"(?<![\w])(?:{'|'.join(sorted(lx.people, key=len, reverse=True))})"
                      r"(?![\w])")


def _names_people(phrase: str, code: str) -> bool:
    return _people(code).search(phrase) is not None


@lru_cache(maxsize=16)
def _small_words(code: str) -> frozenset[str]:
    lx = LEXICONS[code]
    return frozenset((*lx.stopwords, *lx.time_cues, *lx.range_from, *lx.this, *lx.next_before,
                      *lx.place_preps, *lx.clock_units, *lx.title_fillers, *lx.greetings))


def _plain_words(phrase: str, stop: frozenset[str]) -> int:
    """Everyday lower-case words in a phrase ("swim", "beach", "clean"); a name has few."""
    return sum(1 for w in re.findall(r"[^\W\d_]{3,}", phrase)
               if w.islower() and w not in stop and w not in _NAME_GLUE)


def _words_before(lower: str, code: str, pos: int, blocked: list[Span]) -> bool:
    """Is there a content word before `pos` (not a date, time, count or small word)?"""
    small = _small_words(code)
    for m in re.finditer(r"[^\W\d_]{3,}", lower[:pos]):
        if m.group(0) not in small and not overlaps(m.start(), m.end(), blocked):
            return True
    return False
