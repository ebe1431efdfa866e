"""Clock times, time ranges and durations, per language, with plain regexes.

Every regex here is linear: bounded repetitions only, no nested quantifiers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .evenings import activity
from .lexicon import EN, LEXICONS, WEAK_TIME_CUES, Lexicon, alternation, fragment_alternation

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Atom:
    start: int
    end: int
    hour: int
    minute: int
    meridiem: str | None  # "am" / "pm"
    strong: bool  # minutes, meridiem or a clock unit written
    cued: bool  # preceded by "at", "um", "alle ore", ...
    range_cued: bool  # preceded by "from", "von", "van", ...
    end_cued: bool  # preceded by "until", "fine evento", ...
    after_date: bool  # written right after a date ("sat 10-12")
    h24: bool  # written with a 24-hour unit (Uhr, uur, h, :)


@dataclass(frozen=True, slots=True)
class TimeMention:
    start: int
    end: int
    hour: int
    minute: int
    end_hm: tuple[int, int] | None  # end of a range, 24h
    end_cued: bool
    evening_hint: bool
    assumed_evening: str | None = None  # the evening activity that made a bare hour pm


@dataclass(frozen=True, slots=True)
class Duration:
    start: int
    end: int
    minutes: int


@dataclass(frozen=True, slots=True)
class TimeScan:
    mentions: tuple[TimeMention, ...]
    durations: tuple[Duration, ...]
    errors: tuple[str, ...]


_CONNECTORS = frozenset(
    ["on", "and", "to", "at", "for", "until", "till", "til", "sharp", "please", "this", "next", "y", "e", "et", "und", "og", "en", "tot", "bis", "a", "à", "am", "im", "op", "del", "di", "de", "i", "in", "på", "with", "ish", "or", "o", "oder", "ou", "of", "the", "le", "la", "el", "il", "den", "der", "die", "das", "het", "pm", "am", "noon", "onwards", "start", "del", "dalle", "alle", "uhr", "uur", "horas", "h", "hrs", "prompt"]
)


@dataclass(frozen=True)
class _Patterns:
    number: re.Pattern[str]
    cue_tail: re.Pattern[str]
    range_cue_tail: re.Pattern[str]
    end_cue_tail: re.Pattern[str]
    range_gap: re.Pattern[str]
    duration: re.Pattern[str]
    words: re.Pattern[str]
    evening: re.Pattern[str]
    half_past: re.Pattern[str] | None
    people_after: re.Pattern[str]


def _num_words(lx: Lexicon) -> str:
    return alternation(w for w in lx.numbers if " " not in w or w.startswith("a "))


@lru_cache(maxsize=16)
def _patterns(code: str) -> _Patterns:
    lx = LEXICONS[code]
    meridiem = r"\s{0,2}(a\.\s?m\.?|p\.\s?m\.?|am|pm)(?![\w])|(a|p)(?![\w])"
    if code != "en":
        # German "10 am Samstag": a spaced "am" is not a meridiem outside English
        meridiem = r"\s?(a\.m\.?|p\.m\.?)(?![\w])|(am|pm)(?![\w])"
    units = alternation((*lx.clock_units, "h", "hrs", "uhr", "hs", "h."))
    number = re.compile(
        r"(?<![\w.,:/€$£#+])(\d{1,2})(?:\s?([:.h])\s?(\d{2})(?!\d))?"
        rf"(?:{meridiem}|\s{{0,2}}({units})(?![\w]))?"
        r"(?:ish\b)?(?![\d/]|[.,]\d|\s?[€$£%]|[^\W_])"
    )
    single_cues = [c for c in lx.time_cues if c not in WEAK_TIME_CUES]
    cue_tail = re.compile(rf"(?:^|[^\w])(?:{alternation(single_cues)})\s{{0,3}}$")
    range_cue_tail = re.compile(rf"(?:^|[^\w])(?:{alternation(lx.range_from)})\s{{0,3}}$")
    end_words = alternation(lx.end_cues)
    time_cues = alternation(lx.time_cues)
    end_cue_tail = re.compile(
        rf"(?:^|[^\w])(?:{end_words})[\s:,]{{0,3}}(?:(?:{time_cues})\s{{0,3}})?$"
    )
    seps = alternation((*lx.range_seps, "-", "to", "/"))
    range_gap = re.compile(
        rf"\A\s{{0,3}}(?:(?:{seps})\s{{0,3}}(?:{time_cues})?\s{{0,3}}|\s{{0,2}})\Z"
    )
    ambiguous = set(lx.clock_units)
    hour_units = [u for u in lx.hour_units]
    num = rf"\d{{1,3}}(?:[.,]\d{{1,2}})?|½|{_num_words(lx)}|an|a|one|ein|eine|une|un|una|um|uma|een|en|et"
    unit_alt = alternation((*hour_units, *lx.minute_units))
    cues = alternation(lx.duration_cues)
    duration = re.compile(
        rf"(?:(?<![\w])({cues})\s{{1,3}})?(?<![\w.,:])({num})\s{{0,2}}({unit_alt})"
        r"(?:\s?(\d{2})(?!\d)|(?![\w]))"
        r"(\s(?:and a half|und eine halbe|et demie|e mezza|y media|e meia|en een half|og en halv))?"
    )
    _ = ambiguous
    word_alt = alternation((*lx.noon, *lx.midnight, *EN.noon, *EN.midnight))
    words = re.compile(rf"(?<![\w])(?<!après-)(?<!apres-)(?:12\s)?({word_alt})(?![\w-])")
    glued = "" if lx.compound_dayparts else r"(?<![\w])"  # "Freitagabend um 7"
    evening = re.compile(rf"{glued}(?:{alternation(lx.evening)})(?![\w])")
    half_past = None
    if code == "en":
        half_past = re.compile(
            rf"(?<![\w])(half past|quarter past|quarter to|half)\s({_num_words(lx)}|\d{{1,2}})"
            r"(?![\w:.])"
        )
    people = fragment_alternation((*lx.people, *EN.people[:6]))
    people_after = re.compile(
        r"(?:\s{0,3}(?:-|bis|to|à|a|tot|til|-|y|e|et|og|en|and|und|or|oder|ou|o)\s{0,3}\d{1,3})?"
        rf"\s{{0,3}}(?:[^\W\d_]{{3,14}}\s)?(?:{people})(?![\w])")
    return _Patterns(number, cue_tail, range_cue_tail, end_cue_tail, range_gap, duration,
                     words, evening, half_past, people_after)


def _overlaps(start: int, end: int, blocked: list[Span]) -> bool:
    return any(start < b_end and b_start < end for b_start, b_end in blocked)


def _to_number(word: str, lx: Lexicon) -> float | None:
    word = word.strip()
    if word == "½":
        return 0.5
    if word[0].isdigit():
        try:
            return float(word.replace(",", "."))
        except ValueError:
            return None
    if word in ("an", "a", "one", "ein", "eine", "une", "un", "una", "um", "uma", "een", "en",
                "et"):
        return 1.0
    value = lx.numbers.get(word)
    return float(value) if value is not None else None


def _durations(lower: str, lx: Lexicon, pat: _Patterns) -> list[Duration]:
    out: list[Duration] = []
    ambiguous = set(lx.clock_units) | {"h", "uur", "horas", "heures", "heure"}
    for m in pat.duration.finditer(lower):
        cue, num, unit, extra, half = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)
        if extra and (unit not in ("h", "u", "uur", "t") or not cue):
            continue
        if unit in ambiguous and not cue:
            continue
        if unit == "uur" and cue in ("een",):
            continue
        value = _to_number(num, lx)
        if value is None or value <= 0:
            continue
        if num in ("an", "a", "en", "et", "un", "una", "um", "uma", "een", "ein", "eine", "une") \
                and not (cue or unit in lx.hour_units):
            continue
        minutes = value if unit in lx.minute_units else value * 60
        if half:
            minutes += 30
        if extra:
            minutes += int(extra)
        if not 5 <= minutes <= 24 * 60:
            continue
        start = m.start(1) if cue else m.start(2)
        out.append(Duration(start, m.end(), round(minutes)))
    return out


def _connector_ok(text: str, lower: str, end: int) -> bool:
    """After a bare cued number ("at 10"), what follows must not make it a house number."""
    rest = lower[end:end + 20].lstrip(" ")
    if not rest or not rest[0].isalnum():
        return True
    if rest[0].isdigit():
        return False
    word = re.match(r"[^\W\d_]+", rest)
    return word is not None and word.group(0) in _CONNECTORS


def scan(text: str, lower: str, code: str, blocked: list[Span]) -> TimeScan:
    lx = LEXICONS[code]
    pat = _patterns(code)
    durations = [d for d in _durations(lower, lx, pat) if not _overlaps(d.start, d.end, blocked)]
    block = blocked + [(d.start, d.end) for d in durations]
    atoms: list[Atom] = []
    errors: list[str] = []

    date_ends = {e for _s, e in blocked}

    def context(start: int) -> tuple[bool, bool, bool, bool]:
        before = lower[max(0, start - 30):start]
        cued = bool(pat.cue_tail.search(before))
        # "sat 10-12", "Samstag 14-17 Uhr": a number right after a date is a time
        gap_start = start
        while gap_start > 0 and lower[gap_start - 1] in " ,!:":
            gap_start -= 1
        after_date = gap_start in date_ends and start - gap_start <= 4
        return (cued or after_date, bool(pat.range_cue_tail.search(before)),
                bool(pat.end_cue_tail.search(before)), after_date)

    for m in pat.number.finditer(lower):
        if _overlaps(m.start(), m.end(), block):
            continue
        hour = int(m.group(1))
        sep, mins = m.group(2), m.group(3)
        mer = m.group(4) or m.group(5)
        unit = m.group(6)
        minute = int(mins) if mins else 0
        meridiem = None
        if mer:
            meridiem = "am" if mer[0] == "a" else "pm"
        strong = bool(mins) or bool(meridiem) or bool(unit)
        cued, range_cued, end_cued, after_date = context(m.start())
        if hour > 24 or minute > 59 or (meridiem and not 1 <= hour <= 12):
            if strong and (sep == ":" or unit or meridiem):
                errors.append(m.group(0).strip())
            continue
        if sep == "." and not (unit or meridiem or cued or range_cued) and hour > 24:
            continue
        end = m.end()
        atoms.append(Atom(m.start(), end, hour, minute, meridiem, strong, cued, range_cued,
                          end_cued, after_date,
                          bool(unit) or sep == "h" or hour >= 13 or hour == 0
                          or (code != "en" and bool(sep))))
    for m in pat.words.finditer(lower):
        if _overlaps(m.start(), m.end(), block):
            continue
        word = m.group(1)
        hour = 0 if word in lx.midnight or word in EN.midnight else 12
        cued, range_cued, end_cued, after_date = context(m.start())
        atoms.append(Atom(m.start(), m.end(), hour, 0, None, True, cued, range_cued, end_cued,
                          after_date, True))
    if pat.half_past is not None:
        for m in pat.half_past.finditer(lower):
            if _overlaps(m.start(), m.end(), block):
                continue
            value = _to_number(m.group(2), lx)
            if value is None or not 1 <= value <= 12:
                continue
            h = int(value)
            kind = m.group(1)
            hour, minute = (h - 1 if h > 1 else 12, 45) if kind == "quarter to" else (
                h, 15 if kind == "quarter past" else 30)
            cued, range_cued, end_cued, after_date = context(m.start())
            atoms = [a for a in atoms if not (m.start() <= a.start < m.end())]
            atoms.append(Atom(m.start(), m.end(), hour, minute, None, True, cued, range_cued,
                              end_cued, after_date, False))
    atoms.sort(key=lambda a: a.start)
    mentions = _assemble(text, lower, code, atoms, pat)
    return TimeScan(tuple(mentions), tuple(durations), tuple(errors))


def _h24(a: Atom) -> int:
    if a.meridiem == "pm" and a.hour < 12:
        return a.hour + 12
    if a.meridiem == "am" and a.hour == 12:
        return 0
    return a.hour


def _single_hour(a: Atom, code: str, evening: bool) -> int:
    h = _h24(a)
    if a.meridiem is None and h < 12 and (evening or (code == "en" and 1 <= h <= 6
                                                      and not a.h24)) and a.hour != 12:
        h += 12
    return h


def _assemble(text: str, lower: str, code: str, atoms: list[Atom],
              pat: _Patterns) -> list[TimeMention]:
    out: list[TimeMention] = []
    used: set[int] = set()
    evening_activity = activity(text, lower, code)
    for i, a in enumerate(atoms):
        if i in used:
            continue
        window = lower[max(0, a.start - 40):a.end + 40]
        evening = bool(pat.evening.search(window))
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        if b is not None and pat.range_gap.match(lower[a.end:b.start]) is not None:
            gap = lower[a.end:b.start].strip()
            ok = (b.strong or a.strong or a.range_cued or a.cued) and (gap or a.range_cued)
            if ok and code == "en" and not (a.strong or b.strong or a.after_date) \
                    and not _connector_ok(text, lower, b.end):
                ok = False
            if ok and not (a.strong or b.strong) and pat.people_after.match(lower, b.end):
                ok = False  # "5 bis 10 Helfer" is a headcount
            if ok and (a.strong or a.cued or a.range_cued or b.strong):
                start_h, end_h = _range_hours(a, b, code, evening)
                out.append(TimeMention(a.start, b.end, start_h, a.minute, (end_h, b.minute),
                                       a.end_cued, evening))
                used.add(i + 1)
                continue
        accept = a.strong or ((a.cued or a.range_cued or a.end_cued)
                              and (code != "en" or _connector_ok(text, lower, a.end)))
        if accept and not a.strong and pat.people_after.match(lower, a.end):
            accept = False  # "Samstag: 5 bis 10 Helfer", "at 5 volunteers"
        if not accept:
            continue
        hour = _single_hour(a, code, evening)
        assumed = None
        if evening_activity and a.meridiem is None and not a.h24 and 1 <= hour <= 11:
            hour, assumed = hour + 12, evening_activity  # "Pub quiz Thursday at 8"
        out.append(TimeMention(a.start, a.end, hour, a.minute, None, a.end_cued, evening,
                               assumed))
    return out


def _range_hours(a: Atom, b: Atom, code: str, evening: bool) -> tuple[int, int]:
    start, end = _h24(a), _h24(b)
    if b.meridiem and not a.meridiem and a.hour < 12:
        if b.meridiem == "pm":
            candidate = a.hour + 12
            start = candidate if candidate * 60 + a.minute <= end * 60 + b.minute else a.hour
        else:
            start = a.hour
    elif a.meridiem and not b.meridiem and b.hour < 12:
        if (a.meridiem == "pm" or b.hour < a.hour) and b.hour + 12 > start:
            end = b.hour + 12
    elif not a.meridiem and not b.meridiem:
        if evening and start < 12 and end < 12:
            start, end = start + 12, end + 12
        elif (code == "en" and not (a.h24 and b.h24)) and end < start and end < 12:
            end += 12
        elif code == "en" and not a.h24 and 1 <= start <= 6 and end <= 12 and start < end:
            start, end = start + 12, end + 12 if end < 12 else end
    return start, end
