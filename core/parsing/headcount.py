"""How many people the organiser asks for ("need 20 people", "5 bis 10 Helfer gesucht")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import EN, LEXICONS, alternation, fragment_alternation

Span = tuple[int, int]

_ONE_WORDS = frozenset({"een", "en", "et", "un", "une", "ein", "eine", "um", "uma", "uno", "una",
                        "anderthalb", "eineinhalb", "anderhalf", "halvanden", "quelques",
                        "ein paar", "a couple", "a couple of"})

_QUALIFIERS = (
    "up to", "at least", "about", "around", "another", "ca.", "ca", "circa", "some", "roughly",
    "approximately", "min.", "min", "minimum", "bis zu", "mindestens", "noch", "weitere",
    "etwa", "au moins", "encore", "environ", "unos", "unas", "al menos", "almeno", "altri",
    "altre", "pelo menos", "mais", "nog", "minimaal", "mindst", "yderligere", "de", "d'",
    "di", "zo'n", "ongeveer", "cirka", "omkring", "op til", "fino a", "hasta", "até", "jusqu'à",
    "max", "max.", "maximal", "maximum", "only", "just", "nur", "seulement", "solo", "só",
    "alleen", "kun", "ancora", "más", "otros", "otras", "outros", "outras", "more",
)
_MORE = ("more", "extra", "additional", "weitere", "de plus", "más", "in più", "mais", "extra",
         "flere", "ekstra", "meer", "en plus", "adicionales", "other")
_RANGE = r"\s?(?:-|to|bis|à|a|tot|til|og|e|y|or|oder|ou|o|en|-)\s?"
_CONNECT = frozenset(
    ["for", "to", "on", "at", "by", "from", "and", "this", "next", "of", "you", "us", "in", "um", "am", "für", "pour", "para", "per", "voor", "til", "på", "til", "the", "sat", "sun", "saturday", "sunday", "samstag", "sonntag", "ce", "este", "il", "dit", "op", "i", "de", "del", "zum", "zur", "pls", "please", "please!", "asap"]
)


# agent nouns ("marshals", "stewards", "animatori"): people, even if not listed
_AGENTS = {
    "en": r"[a-z]{2,14}(?:ers|ors|ists|ants|ents|als|ards|eers)",
    "fr": r"[a-zé]{2,14}(?:eurs|euses|istes|ants|antes|ices)",
    "es": r"[a-záéíóú]{2,14}(?:ores|oras|istas|antes|entes|eros|eras)",
    "it": r"[a-zàèéìòù]{2,14}(?:tori|trici|isti|iste|anti|enti|ieri)",
    "pt": r"[a-zãõáéíóúç]{2,14}(?:ores|oras|istas|antes|entes|eiros|eiras)",
}


@dataclass(frozen=True)
class _Patterns:
    cue_first: re.Pattern[str]
    noun_first: re.Pattern[str]
    capacity: re.Pattern[str]
    cue_anywhere: re.Pattern[str]
    blockers: re.Pattern[str]


@lru_cache(maxsize=16)
def _patterns(code: str) -> _Patterns:
    lx = LEXICONS[code]
    words = {w: v for w, v in lx.numbers.items() if w not in _ONE_WORDS}
    if code == "en":
        words["one"] = 1
    num = rf"\d{{1,4}}|{alternation(words)}"
    count = rf"({num})(?:{_RANGE}({num}))?"
    people = fragment_alternation((*lx.people, *EN.people[:4]))
    quals = alternation(_QUALIFIERS)
    more = alternation(_MORE)
    cues = alternation(lx.need_cues)
    agents = _AGENTS.get(code, "")
    people_or_agent = f"{people}|{agents}" if agents else people
    cue_first = re.compile(
        rf"(?<![\w])(?:{cues})\s{{1,3}}(?:(?:{quals})\s{{1,3}}){{0,2}}{count}"
        rf"(?:\s{{1,3}}(?:{more}))?(?:\s{{1,3}}(?:[^\W\d_]{{3,14}}\s)?((?:{people_or_agent})"
        rf"(?![\w])))?"
    )
    noun_first = re.compile(
        rf"(?<![\w.,:/])(?:(?:{quals})\s{{1,3}}){{0,2}}{count}\s{{1,3}}(?:(?:{more})\s{{1,3}})?"
        rf"(?:{people_or_agent})(?![\w])"
    )
    capacity = re.compile(
        r"(?<![\w])(?:plätze|spots|places|plazas|posti|vagas|plekken|pladser|slots|"
        r"belegte plätze|spots taken|places taken)\s?:?\s{0,3}(\d{1,3})\s?/\s?(\d{1,4})(?![\d])"
    )
    cue_anywhere = re.compile(rf"(?<![\w])(?:{cues})(?![\w])")
    blockers = re.compile(rf"(?<![\w])(?:{alternation(lx.count_blockers)})(?![\w])")
    return _Patterns(cue_first, noun_first, capacity, cue_anywhere, blockers)


def _value(token: str | None, code: str) -> int | None:
    if token is None:
        return None
    if token.isdigit():
        return int(token)
    lx = LEXICONS[code]
    return lx.numbers.get(token) or EN.numbers.get(token)


def _overlaps(start: int, end: int, blocked: list[Span]) -> bool:
    return any(start < e and s < end for s, e in blocked)


def _sentence(lower: str, pos: int) -> tuple[int, int]:
    start = max(lower.rfind(". ", 0, pos), lower.rfind("\n", 0, pos), lower.rfind("! ", 0, pos))
    ends = [i for i in (lower.find(". ", pos), lower.find("\n", pos), lower.find("! ", pos))
            if i >= 0]
    return start + 1, (min(ends) if ends else len(lower))


@dataclass(frozen=True, slots=True)
class Headcount:
    needed: int
    low: int | None
    span: Span


def find(lower: str, code: str, blocked: list[Span]) -> Headcount | None:
    pat = _patterns(code)
    for m in pat.capacity.finditer(lower):
        total = int(m.group(2))
        if 0 < total <= 10000 and int(m.group(1)) <= total:
            return Headcount(total, None, (m.start(), m.end()))
    candidates: list[tuple[int, Headcount]] = []
    for m in pat.cue_first.finditer(lower):
        if _overlaps(m.start(1), m.end(2) if m.group(2) else m.end(1), blocked):
            continue
        hc = _accept(lower, code, m, m.group(1), m.group(2), has_noun=bool(m.group(3)))
        if hc is not None:
            candidates.append((m.start(), hc))
    for m in pat.noun_first.finditer(lower):
        if _overlaps(m.start(1), m.end(), blocked):
            continue
        s, e = _sentence(lower, m.start())
        window = lower[max(s, m.start() - 80):min(e, m.end() + 60)]
        if not pat.cue_anywhere.search(window) and not (
                m.start() <= 2 or lower[:m.start()].strip() == ""):
            continue
        hc = _accept(lower, code, m, m.group(1), m.group(2), has_noun=True)
        if hc is not None:
            candidates.append((m.start(), hc))
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[0])
    return candidates[0][1]


def _accept(lower: str, code: str, m: re.Match[str], first: str, second: str | None,
            has_noun: bool) -> Headcount | None:
    pat = _patterns(code)
    low = _value(first, code)
    high = _value(second, code)
    if low is None:
        return None
    needed = max(low, high) if high is not None else low
    if not 1 <= needed <= 5000:
        return None
    if first.isdigit() and 1900 <= int(first) <= 2100:
        return None
    after = lower[m.end():m.end() + 30]
    before = lower[max(0, m.start() - 25):m.start()]
    before = re.split(r"[,.;!?]", before)[-1]
    if pat.blockers.search(after) or pat.blockers.search(before):
        return None
    if not has_noun:
        rest = after.lstrip()
        word = re.match(r"[^\W\d_]+", rest)
        if rest and rest[0].isdigit():
            return None
        if word is not None and word.group(0) not in _CONNECT:
            return None
    return Headcount(needed, low if high is not None else None, (m.start(), m.end()))
