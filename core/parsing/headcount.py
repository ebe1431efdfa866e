"""How many people the organiser asks for ("need 20 people", "5 bis 10 Helfer gesucht").

A minimum or a plain number is the target; a maximum ("up to 15 singers", "höchstens 8") is
the capacity; both together give both ("need 10, max 20"). A bare range ("5-6 strong
people") gives its lower bound as the target and its upper bound as the capacity, and says so.
"""

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
AGENTS = {
    "en": r"[a-z]{2,14}(?:ers|ors|ists|ants|ents|als|ards|eers|ics|ians)",
    "fr": r"[a-zé]{2,14}(?:eurs|euses|istes|ants|antes|ices)",
    "es": r"[a-záéíóú]{2,14}(?:ores|oras|istas|antes|entes|eros|eras)",
    "it": r"[a-zàèéìòù]{2,14}(?:tori|trici|isti|iste|anti|enti|ieri)",
    "pt": r"[a-zãõáéíóúç]{2,14}(?:ores|oras|istas|antes|entes|eiros|eiras)",
    "de": r"(?!(?:kilo|zenti|milli)?meter|liter)[a-zäöüß]{3,14}(?:iker|eure|erinnen|ende)",
    "nl": r"[a-z]{2,14}(?:aars|ers|sters|isten)",
    "da": r"[a-zæøå]{2,14}(?:ere|ører|ister)",
}
# "6 hulppieten nodig", "3 Elektriker gesucht": any plural noun the cue comes right after
_AFTER_CUES = ("needed", "wanted", "required", "gesucht", "benötigt", "gebraucht",
               "recherchés", "recherchées", "demandés", "necesarios", "necesarias",
               "cercati", "richiesti", "necessários", "procurados", "nodig", "gezocht",
               "gevraagd", "søges", "efterlyses")
# "👥 15": the people emoji before a number says how many, in every language
_PEOPLE_EMOJI = ("👥",)
# "10 people would be great": a hope, next to a count of people, makes it a target too
_HOPES = ("would be great", "would be amazing", "would be ideal", "would be perfect",
          "wären super", "wären toll", "wären klasse", "wären ideal", "serait top",
          "serait super", "seraient super", "serían geniales", "sería genial",
          "sarebbe perfetto", "sarebbero perfetti", "seria ótimo", "seriam ótimos",
          "zou top zijn", "zou mooi zijn", "ville være super", "ville være perfekt")
# A maximum: the count is a capacity. Before the number, or after it ("8 people max").
_CAP_BEFORE = (
    "up to", "max", "max.", "maximum", "maximum of", "a maximum of", "max of", "at most",
    "no more than", "not more than", "limited to", "capped at", "limit of", "room for",
    "bis zu", "maximal", "bis maximal", "höchstens", "nicht mehr als", "begrenzt auf",
    "jusqu'à", "au maximum", "au max", "pas plus de", "limité à", "limitée à",
    "dans la limite de", "hasta", "máx", "máx.", "máximo", "máximo de", "como máximo",
    "un máximo de", "no más de", "limitado a", "fino a", "massimo", "massimo di",
    "un massimo di", "al massimo", "non più di", "limitato a", "até", "no máximo",
    "um máximo de", "não mais que", "não mais de", "maximaal", "hooguit", "hoogstens",
    "ten hoogste", "niet meer dan", "beperkt tot", "op til", "maks", "maks.", "maksimalt",
    "maksimum", "højst", "ikke flere end", "ikke mere end", "plads til", "begrænset til",
)
_CAP_AFTER = re.compile(
    r"\s{0,3}(?:max\.?|maximum|maks\.?|máx\.?|máximo|massimo|au maximum|como máximo|"
    r"al massimo|no máximo|höchstens|maximal|maximaal|hooguit|højst)(?![\w])")
# A minimum: the count is a target, and reads as a count even without a noun
_MIN_BEFORE = (
    "at least", "a minimum of", "minimum", "min.", "min", "mindestens", "wenigstens", "au moins",
    "au minimum", "al menos", "como mínimo", "mínimo", "almeno", "minimo", "pelo menos",
    "no mínimo", "minimaal", "minstens", "ten minste", "mindst", "minimum af")
# what may follow a count standing alone in its clause ("…, 4 marshals please")
# "3pm", "10am", "15:00", "15h", "15 uhr", "kl. 10" right before a count: the time ends a
# clause that was never punctuated
_AFTER_CLOCK = re.compile(r"(?<![\w:.])\d{1,2}(?:[:.h]\d{2})?\s?(?:am|pm|h|uhr)\s+$|"
                          r"(?<![\w:.])\d{1,2}[:.h]\d{2}\s+$")
_ALONE_AFTER = re.compile(
    r"\s{0,3}(?:$|[,.;!?)\n]|(?:please|pls|needed|wanted|short|required|welcome|max\.?|"
    r"maximum|bitte|gesucht|benötigt|svp|merci|por favor|per favore|por favor|nodig|gezocht|"
    r"tak|gerne|søges|min\.?|minimum)(?![\w]))")


@dataclass(frozen=True)
class _Patterns:
    cue_first: re.Pattern[str]
    noun_first: re.Pattern[str]
    capacity: re.Pattern[str]
    cue_anywhere: re.Pattern[str]
    blockers: re.Pattern[str]
    cue_after: re.Pattern[str]
    cap_tail: re.Pattern[str]
    min_tail: re.Pattern[str]


@lru_cache(maxsize=16)
def _patterns(code: str) -> _Patterns:
    lx = LEXICONS[code]
    words = {w: v for w, v in lx.numbers.items() if w not in _ONE_WORDS}
    if code == "en":
        words["one"] = 1
    num = rf"\d{{1,4}}|{alternation(words)}"
    count = rf"({num})\+?(?:{_RANGE}({num}))?"
    people = fragment_alternation((*lx.people, *EN.people[:4]))
    quals = alternation(_QUALIFIERS)
    more = alternation(_MORE)
    cues = alternation((*lx.need_cues, *_CAP_BEFORE, *_MIN_BEFORE, *_PEOPLE_EMOJI))
    agents = AGENTS.get(code, "")
    people_or_agent = f"{people}|{agents}" if agents else people
    cue_first = re.compile(
        rf"(?<![\w])(?:{cues}):?\s{{1,3}}(?:(?:{quals})\s{{1,3}}){{0,2}}{count}"
        rf"(?:\s{{1,3}}(?:{more}))?(?:\s{{1,3}}(?:[^\W\d_]{{3,14}}\s)?((?:{people_or_agent})"
        rf"(?![\w])))?"
    )
    noun_first = re.compile(
        rf"(?<![\w.,:/])(?:(?:{quals})\s{{1,3}}){{0,2}}{count}\s{{1,3}}(?:(?:{more})\s{{1,3}})?"
        rf"(?:[^\W\d_]{{3,14}}\s{{1,3}})?(?:{people_or_agent})(?![\w])"
    )
    capacity = re.compile(
        r"(?<![\w])(?:plätze|spots|places|plazas|posti|vagas|plekken|pladser|slots|"
        r"belegte plätze|spots taken|places taken)\s?:?\s{0,3}(\d{1,3})\s?/\s?(\d{1,4})(?![\d])"
    )
    cue_anywhere = re.compile(rf"(?<![\w])(?:{cues}|{alternation(_HOPES)})(?![\w])")
    blockers = re.compile(rf"(?<![\w])(?:{alternation(lx.count_blockers)})(?![\w])")
    cap_tail = re.compile(rf"(?<![\w])(?:{alternation(_CAP_BEFORE)})[\s:]{{0,3}}$")
    min_tail = re.compile(rf"(?<![\w])(?:{alternation(_MIN_BEFORE)})[\s:]{{0,3}}$")
    cue_after = re.compile(
        rf"(?<![\w.,:/])(?:(?:{quals})\s{{1,3}}){{0,2}}{count}\s{{1,3}}[^\W\d_]{{3,20}}"
        rf"\s{{1,3}}(?:{alternation(_AFTER_CUES)})(?![\w])")
    return _Patterns(cue_first, noun_first, capacity, cue_anywhere, blockers, cue_after,
                     cap_tail, min_tail)


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
    target: int | None
    capacity: int | None
    ranged: bool  # a bare range: target and capacity are its bounds
    spans: tuple[Span, ...]

    @property
    def span(self) -> Span:
        return self.spans[0]


@dataclass(frozen=True, slots=True)
class _Count:
    start: int
    low: int
    high: int | None
    cap: bool  # a maximum was written
    minimum: bool  # a minimum was written
    span: Span


def find(lower: str, code: str, blocked: list[Span]) -> Headcount | None:
    pat = _patterns(code)
    for m in pat.capacity.finditer(lower):
        total = int(m.group(2))
        if 0 < total <= 10000 and int(m.group(1)) <= total:
            return Headcount(total, None, False, ((m.start(), m.end()),))
    found: dict[int, _Count] = {}
    for m in pat.cue_first.finditer(lower):
        if _overlaps(m.start(1), m.end(2) if m.group(2) else m.end(1), blocked):
            continue
        count = _accept(lower, code, m, m.group(1), m.group(2), has_noun=bool(m.group(3)))
        if count is not None:
            found.setdefault(m.start(1), count)
    for m in pat.noun_first.finditer(lower):
        if _overlaps(m.start(1), m.end(), blocked):
            continue
        s, e = _sentence(lower, m.start())
        window = lower[max(s, m.start() - 80):min(e, m.end() + 60)]
        opening = lower[:m.start()].strip() == ""  # "Four to six people to help on ..."
        if not pat.cue_anywhere.search(window) and not opening and not _alone(lower, m):
            continue
        count = _accept(lower, code, m, m.group(1), m.group(2), has_noun=True)
        if count is not None:
            found.setdefault(m.start(1), count)
    for m in pat.cue_after.finditer(lower):
        if m.start(1) in found or _overlaps(m.start(1), m.end(), blocked):
            continue
        count = _accept(lower, code, m, m.group(1), m.group(2), has_noun=True)
        if count is not None:
            found[m.start(1)] = count
    return _combine(sorted(found.values(), key=lambda c: c.start))


def _alone(lower: str, m: re.Match[str]) -> bool:
    """'…, 20 people' / '4 marshals please': a count that is its clause on its own; or, in
    quick chat, one right after the clock time ('flash mob sat 3pm 1000 ppl!!')."""
    before = re.split(r"[,;:.!?\n()]|\s[-–]\s", lower[:m.start()])[-1]
    # the whole text before it, not the clause: "15:00" holds a colon
    opens_clause = before.strip() == "" or _AFTER_CLOCK.search(lower, 0, m.start()) is not None
    return opens_clause and _ALONE_AFTER.match(lower, m.end()) is not None


def _combine(counts: list[_Count]) -> Headcount | None:
    """The first minimum or plain count is the target; the first maximum the capacity."""
    if not counts:
        return None
    target = next((c for c in counts if not c.cap), None)
    cap = next((c for c in counts if c.cap), None)
    spans = tuple(c.span for c in counts if c is target or c is cap)
    if target is not None and target.high is not None:
        if cap is None and not target.minimum:
            return Headcount(target.low, target.high, True, spans)
        return Headcount(max(target.low, target.high), cap.high or cap.low if cap else None,
                         False, spans)
    if cap is not None and target is not None and target.low > (cap.high or cap.low):
        cap = None  # "need 30, max 20" contradicts itself: keep the target
    return Headcount(target.low if target else None,
                     (cap.high or cap.low) if cap else None, False, spans)


def _accept(lower: str, code: str, m: re.Match[str], first: str, second: str | None,
            has_noun: bool) -> _Count | None:
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
    head = lower[max(0, m.start() - 30):m.start(1)]
    minimum = pat.min_tail.search(head) is not None
    if not has_noun and not minimum and pat.cap_tail.search(head) is None:
        rest = after.lstrip()
        word = re.match(r"[^\W\d_]+", rest)
        if rest and rest[0].isdigit():
            return None
        if word is not None and word.group(0) not in _CONNECT:
            return None
    cap = pat.cap_tail.search(head) is not None or _CAP_AFTER.match(lower, m.end()) is not None
    if high is not None and high < low:
        return None
    return _Count(m.start(1), low, high, cap and not minimum, minimum, (m.start(), m.end()))
