"""Someone's home as the meeting point: "bei Anna", "chez moi", "at Sam's", "hos Mette".

A home is kept as written, preposition included ("bei Anna", not "Anna"): without it the
place reads as a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import LEXICONS, alternation

Span = tuple[int, int]

_JOINERS = frozenset({"und", "and", "&", "et", "y", "e", "og", "en"})
_FAMILY = ("familie", "famille", "family", "familia", "família", "famiglia", "familien", "fam.",
           "les", "the", "la famille", "la familia", "a família", "la famiglia")
# after "at Sam's": the phrase ends unless the next word is one of these (or capitalised)
_EN_AFTER = frozenset({"at", "on", "from", "for", "to", "with", "and", "this", "next", "in",
                       "by", "around", "till", "until", "tomorrow", "tonight", "today", "please",
                       "pls", "bring", "all", "everyone", "if", "or", "then", "after", "before",
                       "starting", "start", "we", "i"})
# "Sporthal de Mossendam", "Maison de Quartier": a venue's name goes on after a name glue
_GLUED_NAME = re.compile(r"\s{1,2}(?:de|van|der|den|het|'t|la|le|du|des|del|di|do|da|dos|das|"
                         r"of|the)\s{1,2}[^\W\d_]", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W\d_][\w'’.-]{0,30}")


@dataclass(frozen=True, slots=True)
class Home:
    start: int
    end: int


@dataclass(frozen=True)
class _Patterns:
    phrase: re.Pattern[str] | None
    prep: re.Pattern[str] | None
    suffix: re.Pattern[str] | None
    family: re.Pattern[str]
    not_names: frozenset[str]
    not_after: frozenset[str]


@lru_cache(maxsize=16)
def _patterns(code: str) -> _Patterns:
    lx = LEXICONS[code]
    suffix = None
    suffix_alt = ""
    if lx.home_suffixes:
        suffix_alt = alternation(lx.home_suffixes)
        suffix = re.compile(rf"\s{{1,3}}(?:{suffix_alt})(?![\w'-])")
    phrase = prep = None
    if lx.home_phrases:
        tail = rf"(?:\s{{1,3}}(?:{suffix_alt}))?" if suffix_alt else ""
        phrase = re.compile(rf"(?<![\w'-])(?:{alternation(lx.home_phrases)}){tail}(?![\w'-])")
    if lx.home_preps:
        prep = re.compile(rf"(?<![\w'-])(?:{alternation(lx.home_preps)})\s{{1,3}}")
    calendar = {*lx.weekdays, *lx.today, *lx.tomorrow, *lx.tonight}  # not "Jan", "Sam"
    return _Patterns(phrase, prep, suffix,
                     re.compile(rf"(?:{alternation(_FAMILY)})\s{{1,3}}"),
                     frozenset(calendar) | lx.home_not_names, lx.home_not_after)


def _overlaps(start: int, end: int, blocked: list[Span]) -> bool:
    return any(start < e and s < end for s, e in blocked)


def find(text: str, lower: str, code: str, blocked: list[Span]) -> list[Home]:
    """Every home written in the text, in text order."""
    pat = _patterns(code)
    found: list[Home] = []
    if pat.prep is not None:
        for m in pat.prep.finditer(lower):
            if any(c.isupper() for c in text[m.start() + 1:m.end()]):
                continue  # "en la Casa de Cultura": a venue's name, not a home
            before = re.findall(r"[^\W\d_]+", lower[max(0, m.start() - 20):m.start()])
            if before and before[-1] in pat.not_after:
                continue  # "partenza da Milano"
            end = _owner(text, lower, code, m.end(), pat)
            if end is not None:
                found.append(Home(m.start(), end))
    if pat.phrase is not None:
        # "en Casa de Campo", "at Our House Café": a capital inside makes it a venue's name
        # (not in German, where every noun has one: "bei uns zu Hause")
        found.extend(Home(m.start(), m.end()) for m in pat.phrase.finditer(lower)
                     if code == "de"
                     or not any(c.isupper() for c in text[m.start() + 1:m.end()]))
    out: list[Home] = []
    # the longest reading wins: "en casa de Ana" over "en casa"
    for home in sorted(found, key=lambda h: (h.start - h.end, h.start)):
        if not _overlaps(home.start, home.end, blocked) and not any(
                home.start < o.end and o.start < home.end for o in out):
            out.append(home)
    out.sort(key=lambda h: h.start)
    return out


def _owner(text: str, lower: str, code: str, pos: int, pat: _Patterns) -> int | None:
    """End of 'Anna', 'Jan und Lisa', 'Familie Müller', "Sam's" (+ 'zu Hause') at `pos`."""
    fam = pat.family.match(lower, pos)
    if fam:
        pos = fam.end()
    end: int | None = None
    names = 0
    while names < 3:
        tok = _TOKEN.match(text, pos)
        if tok is None or not text[pos].isupper():
            break
        word = tok.group(0).rstrip(".'’")
        if word.lower() in pat.not_names or (names == 0 and word.lower().removesuffix("'s")
                                              in pat.not_names):
            break
        names += 1
        end = pos + len(word) + (2 if text[pos + len(word):pos + len(word) + 2] in ("'s", "’s")
                                 and not word.endswith(("'s", "’s")) else 0)
        if code == "en" and lower[end - 2:end] in ("'s", "’s"):
            break  # "Sam's": the owner ends with the possessive
        nxt = re.match(r"\s{1,2}(\S+)\s{1,2}", text[end:end + 40])
        if nxt and nxt.group(1).lower() in _JOINERS:
            pos = end + nxt.end()
            continue
        gap = re.match(r"\s{1,2}", text[end:end + 3])
        if gap and end + gap.end() < len(text) and text[end + gap.end()].isupper():
            pos = end + gap.end()
            continue
        break
    if end is None:
        return None
    glued = _GLUED_NAME.match(text, end)
    if glued and text[glued.end() - 1].isupper():
        return None
    if code == "en":
        if lower[end - 2:end] not in ("'s", "’s"):
            return None
        if pat.suffix is not None and (s := pat.suffix.match(lower, end)):
            return s.end()
        after = re.match(r"\s{1,3}([^\W\d_]+)", text[end:end + 30])
        if after and after.group(1)[0].islower() and after.group(1).lower() not in _EN_AFTER:
            return None  # "at St John's church" is not a home
        if after and after.group(1)[0].isupper() and after.group(1).lower() not in pat.not_names:
            return None  # "at Arthur's Seat", "at St Mary's Church": a place's own name
        return end
    if pat.suffix is not None and (s := pat.suffix.match(lower, end)):
        return s.end()
    return end
