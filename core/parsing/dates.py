"""Date mentions: explicit, numeric, relative and weekday forms, resolved against `today`."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from .lexicon import EN, LEXICONS, Lexicon, alternation

Span = tuple[int, int]

EXPLICIT, RELATIVE, WEEKDAY, RECURRING = 3, 2, 1, 0

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    rank: int
    day: date | None
    end_day: date | None = None
    error: str | None = None
    weekday: int | None = None  # a weekday written next to an explicit date
    weekday_only: bool = False  # a bare weekday: may move a week if the time is past
    rolled_year: bool = False  # no year written and this year's date was already past
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _Patterns:
    iso: re.Pattern[str]
    numeric_year: re.Pattern[str]
    numeric_slash: re.Pattern[str]
    numeric_dot: re.Pattern[str]
    day_range: re.Pattern[str]
    dm: re.Pattern[str]
    md: re.Pattern[str]
    nth_weekday: re.Pattern[str]
    day_only: re.Pattern[str]
    relative: re.Pattern[str]
    weekend: re.Pattern[str]
    weekday: re.Pattern[str]
    weekday_abbr: re.Pattern[str]
    wd_day: re.Pattern[str]
    week_on: re.Pattern[str] | None
    in_days: re.Pattern[str] | None
    time_cue_tail: re.Pattern[str]


NEXT_WEEK = {
    "en": ("next week", "the week after next"), "de": ("nächste woche", "kommende woche"),
    "fr": ("la semaine prochaine",), "es": ("la semana que viene", "la próxima semana"),
    "it": ("la prossima settimana", "settimana prossima"),
    "pt": ("semana que vem", "na próxima semana", "próxima semana"),
    "nl": ("volgende week", "komende week"), "da": ("i næste uge", "næste uge"),
}

_ORD = r"(?:st|nd|rd|th|er|ère|e|ème|º|ª|°|o|a|\.)?"

_DAY_ONLY = {
    "en": r"(?<![\w])(?:the|on the)\s(\d{1,2})(?:st|nd|rd|th)"
          r"(?=\s?[,.!;)]|\s?$|\s(?:at|from|@|from|\d|till|until|to|-|and|we|i)(?![\w]))",
    "de": r"(?<![\w])(?:am|den|dem)\s(\d{1,2})\.(?![\d\w])",
    "da": r"(?<![\w])(?:den|d\.)\s(\d{1,2})\.(?![\d\w])",
    "fr": r"(?<![\w])le\s(\d{1,2})(?:er)?(?=\s?[,.;)]|\s(?:à|a|dès|de|au)\s)",
    "es": r"(?<![\w])(?:el\s)?día\s(\d{1,2})(?![\d\w])",
    "it": r"(?<![\w])(?:il|giorno)\s(\d{1,2})(?=\s?[,.;)]|\s(?:alle|dalle|ore)\s)",
    "pt": r"(?<![\w])dia\s(\d{1,2})(?![\d\w/])",
    "nl": r"(?<![\w])de\s(\d{1,2})(?:e|ste|de)(?![\w])",
}


@lru_cache(maxsize=16)
def _patterns(code: str) -> _Patterns:
    lx = LEXICONS[code]
    months = alternation(lx.months)
    weekdays = alternation(lx.weekdays)
    abbr = alternation(lx.weekday_abbr)
    people = "|".join(lx.people + EN.people[:6])
    not_people = rf"(?!\s{{1,2}}(?:{people})(?![\w]))"
    year = r"(?:,?\s{1,3}(?:de\s|del\s)?(\d{4})(?![\d:.]\d))?"
    join = r"(?:\s(?:of|de|di|del|da|do|den|d'|du))?"
    dm = re.compile(
        rf"(?<![\w.,:/])(\d{{1,2}}){_ORD}{join}[\s\-]{{1,3}}({months})(?![\w])\.?{year}"
    )
    md = re.compile(
        rf"(?<![\w])({months})\.?,?\s{{1,3}}(?:the\s)?(\d{{1,2}})(?:st|nd|rd|th|er|e|\.)?"
        rf"(?![\w:]|[.,]\d|\s?(?:am|pm|a\.m|p\.m|h\b|uhr|uur|horas))"
        rf"{not_people}{year}"
    )
    range_join = r"\s{0,2}(?:-|und|and|&|et|y|e|en|og|bis|to|au|al|a|till|til|t/m)\s{0,2}"
    day_range = re.compile(
        rf"(?<![\w.,:/])(\d{{1,2}}){_ORD}{range_join}(\d{{1,2}}){_ORD}{join}\s{{1,3}}"
        rf"({months})(?![\w])\.?{year}"
    )
    ords = alternation(lx.ordinals)
    nth = re.compile(
        rf"(?<![\w])({ords})\s({weekdays})\s(?:{alternation(lx.of_words)})\s?({months})(?![\w])"
    )
    rel_words = (*lx.today, *lx.tonight, *lx.tomorrow, *lx.after_tomorrow)
    relative = re.compile(rf"(?<![\w'-])({alternation(rel_words)})(?![\w'-])")
    mods = alternation((*lx.this, *lx.next_before, *lx.past, *lx.every, "this", "next",
                        *NEXT_WEEK[code]))
    weekend = re.compile(
        rf"(?<![\w])(?:({mods})\s{{1,3}})?({alternation(lx.weekend)})(?![\w-])"
        rf"(?:\s{{1,3}}({alternation((*lx.next_after, 'next', 'prochain', 'que vem'))}))?"
    )
    after = alternation(lx.next_after) if lx.next_after else r"(?!x)x"
    weekday = re.compile(
        rf"(?<![\w-])(?:({mods})\s{{1,3}})?({weekdays})(?![\w-])(?:\s{{1,3}}({after})(?![\w]))?"
    )
    weekday_abbr = re.compile(
        rf"(?<![\w-])(?:({mods})\s{{1,3}}({abbr})\.?(?![\w-])|"
        rf"({abbr})\.?(?![\w-])(?=[!,]{{0,3}}\s{{0,3}}[,(]?\s{{0,2}}\d))"
    )
    wd_day = re.compile(
        rf"(?<![\w-])(?:({mods})\s{{1,3}})?({weekdays}|{abbr})\.?,?\s{{0,3}}(\(?)\s{{0,2}}"
        r"(?:(?:the|den|dem|d\.|dia|le|el|il|de)\s{1,3})?(\d{1,2})(st|nd|rd|th|er|e|\.|º|ª)?"
        r"(?![\w:/\-–]|[.,]\d|\s?(?:am|pm|a\.m|p\.m|h\b|uhr|uur|horas|u\b))"
    )
    week_on = in_days = None
    if code == "en":
        week_on = re.compile(
            rf"(?<![\w])(?:a\sweek\s(?:on|from|this)\s({weekdays})|({weekdays})\sweek)(?![\w])"
        )
        in_days = re.compile(
            r"(?<![\w])in\s(\d{1,2}|a|one|two|three|four|five|six|seven)\s(day|days|week|weeks)"
            r"(?:'s?\stime)?(?![\w])"
        )
    time_cue_tail = re.compile(rf"(?:^|[^\w])(?:{alternation(lx.time_cues)})\s{{0,3}}$")
    return _Patterns(
        iso=re.compile(r"(?<![\d\w.])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])"),
        numeric_year=re.compile(
            r"(?<![\w./-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d]|[./-]\d)"),
        numeric_slash=re.compile(
            r"(?<![\w./,:-])(\d{1,2})/(\d{1,2})(?![\d/]|[.,]\d|\s?(?:h\b|hours?|stunden|%))"),
        numeric_dot=re.compile(r"(?<![\w./,:])(\d{1,2})\.(\d{1,2})\.(?![\d])"),
        day_range=day_range, dm=dm, md=md, nth_weekday=nth,
        day_only=re.compile(_DAY_ONLY[code]), relative=relative, weekend=weekend,
        weekday=weekday, weekday_abbr=weekday_abbr, wd_day=wd_day, week_on=week_on,
        in_days=in_days,
        time_cue_tail=time_cue_tail,
    )


def next_occurrence(month: int, day: int, today: date) -> tuple[date | None, bool]:
    """This year's (month, day) if not past, else the next one. (None, _) if impossible."""
    for offset in range(0, 9):
        year = today.year + offset
        try:
            d = date(year, month, day)
        except ValueError:
            if month == 2 and day == 29:
                continue
            return None, False
        if d >= today:
            return d, offset > 0
    return None, False


def weekday_date(wd: int, today: date, mode: str, next_weekday: str) -> date:
    delta = (wd - today.weekday()) % 7
    if mode == "next":
        if next_weekday == "following":
            monday = today + timedelta(days=7 - today.weekday())
            return monday + timedelta(days=wd)
        return today + timedelta(days=delta or 7)
    return today + timedelta(days=delta)


def _fmt(d: date) -> str:
    return f"{WEEKDAY_NAMES[d.weekday()]} {d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


@dataclass
class _Ctx:
    lower: str
    lx: Lexicon
    pat: _Patterns
    today: date
    order: str | None
    next_weekday: str
    claimed: list[Span] = field(default_factory=list)
    out: list[DateMention] = field(default_factory=list)
    order_error: str | None = None

    def free(self, start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e in self.claimed)

    def add(self, m: DateMention) -> None:
        self.claimed.append((m.start, m.end))
        self.out.append(m)


def _explicit(ctx: _Ctx, start: int, end: int, year: int | None, month: int, day: int,
              end_day: int | None = None) -> DateMention:
    if not 1 <= month <= 12:
        return DateMention(start, end, EXPLICIT, None, error="month")
    rolled = False
    if year is not None:
        if year < 100:
            year += 2000
        try:
            d: date | None = date(year, month, day)
        except ValueError:
            d = None
    else:
        d, rolled = next_occurrence(month, day, ctx.today)
    if d is None:
        return DateMention(start, end, EXPLICIT, None,
                           error=f"There is no {day} {MONTH_NAMES[month - 1]}"
                           + (f" {year}" if year else "") + ".")
    if d < ctx.today:
        return DateMention(start, end, EXPLICIT, None,
                           error=f"{_fmt(d)} is in the past.")
    e: date | None = None
    if end_day is not None and end_day > day:
        try:
            e = d.replace(day=end_day)
        except ValueError:
            e = None
    return DateMention(start, end, EXPLICIT, d, end_day=e, rolled_year=rolled)


def _numeric_order(ctx: _Ctx, a: int, b: int) -> tuple[int, int] | None:
    """Returns (day, month) for a numeric pair, or None if it cannot be a date."""
    if a == 0 or b == 0 or (a > 12 and b > 12) or a > 31 or b > 31:
        return None
    if a > 12:
        return (a, b) if b <= 12 else None
    if b > 12:
        return (b, a)
    if a == b:
        return (a, b)
    if ctx.order == "MDY":
        return (b, a)
    if ctx.order in ("DMY", "YMD"):
        return (a, b)
    return None


def scan(lower: str, code: str, today: date, order: str | None, next_weekday: str,
         tz_order: str | None) -> tuple[list[DateMention], str | None]:
    lx = LEXICONS[code]
    pat = _patterns(code)
    ctx = _Ctx(lower, lx, pat, today, order, next_weekday)
    if ctx.order is None:
        ctx.order = _order_from_text(lower, pat) or tz_order
    steps: tuple[Callable[[_Ctx], None], ...] = (
        _scan_iso, _scan_numeric_year, _scan_day_range, _scan_textual, _scan_nth,
        _scan_numeric_short, _scan_week_on, _scan_weekday_day, _scan_day_only, _scan_relative, _scan_weekend,
        _scan_weekdays,
    )
    for step in steps:
        step(ctx)
    ctx.out.sort(key=lambda m: m.start)
    return _merge_weekdays(ctx), ctx.order_error


def _order_from_text(lower: str, pat: _Patterns) -> str | None:
    for rx in (pat.numeric_year, pat.numeric_slash):
        for m in rx.finditer(lower):
            a, b = int(m.group(1)), int(m.group(3) if rx is pat.numeric_year else m.group(2))
            if 12 < a <= 31 and 1 <= b <= 12:
                return "DMY"
            if 12 < b <= 31 and 1 <= a <= 12:
                return "MDY"
    return None


def _scan_iso(ctx: _Ctx) -> None:
    for m in ctx.pat.iso.finditer(ctx.lower):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1900 < y < 2200:
            ctx.add(_explicit(ctx, m.start(), m.end(), y, mo, d))


def _ambiguous_pair(ctx: _Ctx, m: re.Match[str], a: int, b: int, year: int | None) -> None:
    # Try to settle "03/04" with a weekday written right before it
    before = ctx.lower[max(0, m.start() - 14):m.start()]
    for name, wd in (*ctx.lx.weekdays.items(), *ctx.lx.weekday_abbr.items()):
        if re.search(rf"(?<![\w]){re.escape(name)}\.?[\s,(]{{0,3}}$", before):
            fits = []
            for day, month in ((a, b), (b, a)):
                if year is not None:
                    try:
                        cand: date | None = date(year + (2000 if year < 100 else 0), month, day)
                    except ValueError:
                        cand = None
                else:
                    cand, _ = next_occurrence(month, day, ctx.today)
                if cand is not None and cand.weekday() == wd:
                    fits.append((day, month))
            if len(fits) == 1:
                ctx.add(_explicit(ctx, m.start(), m.end(), year, fits[0][1], fits[0][0]))
                return
    ctx.claimed.append((m.start(), m.end()))
    if ctx.order_error is None:
        ctx.order_error = (
            f"'{m.group(0)}' could be {a} {MONTH_NAMES[b - 1]} or {b} {MONTH_NAMES[a - 1]}: "
            "write the month as a word, e.g. 4 March."
        )


def _scan_numeric_year(ctx: _Ctx) -> None:
    for m in ctx.pat.numeric_year.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()):
            continue
        a, b, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
        dm = _numeric_order(ctx, a, b)
        if dm is None:
            if a <= 12 and b <= 12:
                _ambiguous_pair(ctx, m, a, b, y)
            continue
        ctx.add(_explicit(ctx, m.start(), m.end(), y, dm[1], dm[0]))


def _month(ctx: _Ctx, word: str) -> int:
    return ctx.lx.months[word]


def _scan_day_range(ctx: _Ctx) -> None:
    for m in ctx.pat.day_range.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()):
            continue
        y = int(m.group(4)) if m.group(4) else None
        ctx.add(_explicit(ctx, m.start(), m.end(), y, _month(ctx, m.group(3)), int(m.group(1)),
                          int(m.group(2))))


def _scan_textual(ctx: _Ctx) -> None:
    for m in ctx.pat.dm.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()):
            continue
        y = int(m.group(3)) if m.group(3) else None
        ctx.add(_explicit(ctx, m.start(), m.end(), y, _month(ctx, m.group(2)), int(m.group(1))))
    for m in ctx.pat.md.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()):
            continue
        y = int(m.group(3)) if m.group(3) else None
        ctx.add(_explicit(ctx, m.start(), m.end(), y, _month(ctx, m.group(1)), int(m.group(2))))


def _scan_nth(ctx: _Ctx) -> None:
    for m in ctx.pat.nth_weekday.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()):
            continue
        n = ctx.lx.ordinals[m.group(1)]
        wd = ctx.lx.weekdays[m.group(2)]
        month = _month(ctx, m.group(3))
        for offset in range(0, 3):
            d = _nth_weekday(ctx.today.year + offset, month, wd, n)
            if d is not None and d >= ctx.today:
                ctx.add(DateMention(m.start(), m.end(), RELATIVE, d))
                break


def _nth_weekday(year: int, month: int, wd: int, n: int) -> date | None:
    if n > 0:
        first = date(year, month, 1)
        d = first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
        return d if d.month == month else None
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - wd) % 7)


def _scan_numeric_short(ctx: _Ctx) -> None:
    for rx in (ctx.pat.numeric_slash, ctx.pat.numeric_dot):
        for m in rx.finditer(ctx.lower):
            if not ctx.free(m.start(), m.end()):
                continue
            a, b = int(m.group(1)), int(m.group(2))
            if rx is ctx.pat.numeric_dot:
                before = ctx.lower[max(0, m.start() - 12):m.start()]
                if ctx.pat.time_cue_tail.search(before):
                    continue
            if a == 24 and b == 7:
                continue
            dm = _numeric_order(ctx, a, b)
            if rx is ctx.pat.numeric_dot:
                dm = (a, b) if 1 <= a <= 31 and 1 <= b <= 12 else None
            if dm is None:
                if 1 <= a <= 12 and 1 <= b <= 12:
                    _ambiguous_pair(ctx, m, a, b, None)
                continue
            mention = _explicit(ctx, m.start(), m.end(), None, dm[1], dm[0])
            if mention.error and rx is ctx.pat.numeric_slash:
                continue  # "11/50" is a count, not a broken date
            ctx.add(mention)


def _scan_week_on(ctx: _Ctx) -> None:
    if ctx.pat.week_on is not None:
        for m in ctx.pat.week_on.finditer(ctx.lower):
            if not ctx.free(m.start(), m.end()):
                continue
            wd = ctx.lx.weekdays[m.group(1) or m.group(2)]
            d = weekday_date(wd, ctx.today, "next", "coming") + timedelta(days=7)
            ctx.add(DateMention(m.start(), m.end(), RELATIVE, d))
    if ctx.pat.in_days is not None:
        for m in ctx.pat.in_days.finditer(ctx.lower):
            if not ctx.free(m.start(), m.end()):
                continue
            raw = m.group(1)
            n = int(raw) if raw.isdigit() else (1 if raw in ("a", "one") else
                                                 EN.numbers.get(raw, 1))
            days = n * (7 if m.group(2).startswith("week") else 1)
            ctx.add(DateMention(m.start(), m.end(), RELATIVE,
                                ctx.today + timedelta(days=days)))


_DAY_THEN_TIME = re.compile(
    r"\s{0,2}[,(]?\s{0,2}(?:at|um|à|a las|alle|às|as|om|kl\.?|klokken|ore|dalle|de|from|von|van|"
    r"fra|das|ab|dès|vanaf|desde las|dalle ore|alle ore)?\s{0,2}\d{1,2}(?:[:.h]\d{2})?\s?"
    r"(?:am|pm|a\.m|p\.m|h|uhr|uur|u|horas|hrs|[-–]|\d|:|\.|\s|,|$)"
)


def _scan_weekday_day(ctx: _Ctx) -> None:
    """'sat 28th', 'sábado 28', 'Samstag, den 28.': the next date with that day number."""
    lx = ctx.lx
    for m in ctx.pat.wd_day.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()) or _mode(ctx, m.group(1), None) in (None, "every"):
            continue
        name = m.group(2)
        wd = lx.weekdays.get(name, lx.weekday_abbr.get(name))
        day = int(m.group(4))
        paren = m.group(3) == "(" and ctx.lower[m.end():m.end() + 1] == ")"
        if m.group(3) == "(" and not paren and not m.group(5):
            continue
        if not (m.group(5) or paren or day > 24 or _DAY_THEN_TIME.match(ctx.lower, m.end())):
            continue  # "sat 10 at the park" is a time, "sábado 28, a las 8" a date
        if wd is None or not 1 <= day <= 31:
            continue
        best: date | None = None
        first: date | None = None
        for d in _coming_days_of_month(ctx.today, day, months=14):
            first = first or d
            if d.weekday() == wd:
                best = d
                break
        d2 = first if best is None or (first and (best - first).days > 62) else best
        if d2 is not None:
            ctx.add(DateMention(m.start(), m.end(), EXPLICIT, d2, weekday=wd))


def _coming_days_of_month(today: date, day: int, *, months: int) -> Iterator[date]:
    """The dates with this day of the month, from today on, within `months` calendar months
    (months too short for the day are passed over: no 31 November)."""
    for offset in range(months):
        month = (today.month - 1 + offset) % 12 + 1
        year = today.year + (today.month - 1 + offset) // 12
        with contextlib.suppress(ValueError):
            candidate = date(year, month, day)
            if candidate >= today:
                yield candidate


def _scan_day_only(ctx: _Ctx) -> None:
    for m in ctx.pat.day_only.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()):
            continue
        day = int(m.group(1))
        if not 1 <= day <= 31:
            continue
        coming = next(_coming_days_of_month(ctx.today, day, months=3), None)
        if coming is not None:
            ctx.add(DateMention(m.start(), m.end(), RELATIVE, coming))


_MORNING_BEFORE = re.compile(r"(?:la|por la|esta|de la|am|guten|jeden|den|diesen|frühen|"
                             r"am frühen|e)\s$")


def _scan_relative(ctx: _Ctx) -> None:
    lx = ctx.lx
    for m in ctx.pat.relative.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()):
            continue
        word = m.group(1)
        if word in lx.tomorrow and lx.code in ("es", "de") and _MORNING_BEFORE.search(
                ctx.lower[max(0, m.start() - 10):m.start()]):
            continue
        if word in lx.after_tomorrow:
            offset = 2
        elif word in lx.tomorrow:
            offset = 1
        else:
            offset = 0
        ctx.add(DateMention(m.start(), m.end(), RELATIVE, ctx.today + timedelta(days=offset)))


def _mode(ctx: _Ctx, before: str | None, after: str | None) -> str | None:
    lx = ctx.lx
    if before in lx.past:
        return None
    if before in lx.every:
        return "every"
    if before in NEXT_WEEK[lx.code]:
        return "next_week"
    if before in lx.next_before or after:
        return "next"
    return "this"


def _scan_weekend(ctx: _Ctx) -> None:
    for m in ctx.pat.weekend.finditer(ctx.lower):
        if not ctx.free(m.start(), m.end()):
            continue
        mode = _mode(ctx, m.group(1), m.group(3))
        if mode is None or mode == "every":
            ctx.claimed.append((m.start(), m.end()))
            continue
        t = ctx.today
        if mode == "this" and t.weekday() >= 5:
            d = t
        elif mode == "next_week":
            d = weekday_date(5, t, "next", "following")
        else:
            d = weekday_date(5, t, mode, ctx.next_weekday)
        notes = (f"I read '{m.group(0)}' as {_fmt(d)}: say the date if you meant another "
                 "day.",)
        ctx.add(DateMention(m.start(), m.end(), RELATIVE, d, notes=notes))


def _scan_weekdays(ctx: _Ctx) -> None:
    lx = ctx.lx
    found: list[tuple[re.Match[str], int, bool]] = []
    for m in ctx.pat.weekday.finditer(ctx.lower):
        found.append((m, lx.weekdays[m.group(2)], _is_plural(m.group(2), lx.weekdays)))
    for m in ctx.pat.weekday_abbr.finditer(ctx.lower):
        found.append((m, lx.weekday_abbr[m.group(2) or m.group(3)], False))
    for m, wd, plural in found:
        if not ctx.free(m.start(), m.end()):
            continue
        after = m.group(3) if m.re is ctx.pat.weekday else None
        mode = _mode(ctx, m.group(1), after)
        if mode is None:
            ctx.claimed.append((m.start(), m.end()))
            continue
        if mode == "next_week":
            d = weekday_date(wd, ctx.today, "next", "following")
        else:
            d = weekday_date(wd, ctx.today, "next" if mode == "next" else "this",
                             ctx.next_weekday)
        notes: tuple[str, ...] = ()
        if mode == "next":
            notes = (f"I read '{m.group(0).strip()}' as {_fmt(d)}: say the date if you "
                     "meant another week.",)
        rank = RECURRING if (mode == "every" or plural) else WEEKDAY
        ctx.add(DateMention(m.start(), m.end(), rank, d, weekday=wd,
                            weekday_only=mode == "this", notes=notes))


def _is_plural(name: str, weekdays: dict[str, int]) -> bool:
    return name.endswith("'s") or name[:-1] in weekdays or name in ("sabati", "domeniche")


def _merge_weekdays(ctx: _Ctx) -> list[DateMention]:
    """'Saturday, 13 April' is one mention: the explicit date keeps the weekday for checks."""
    out: list[DateMention] = []
    items = ctx.out
    skip: set[int] = set()
    for i, m in enumerate(items):
        if i in skip:
            continue
        if m.rank in (WEEKDAY, RECURRING) and i + 1 < len(items):
            nxt = items[i + 1]
            gap = ctx.lower[m.end:nxt.start]
            if nxt.rank >= RELATIVE and len(gap) <= 8 and re.fullmatch(
                    r"[\s,(\-]*(?:the|den|dem|le|el|il|o|de|dia|der|den)?[\s,(]*", gap):
                merged = DateMention(m.start, nxt.end, nxt.rank, nxt.day, nxt.end_day,
                                     nxt.error, m.weekday, False, nxt.rolled_year, nxt.notes)
                out.append(merged)
                skip.add(i + 1)
                continue
        if m.rank == RELATIVE and m.notes and i + 1 < len(items) and m.day is not None:
            nxt = items[i + 1]
            gap = ctx.lower[m.end:nxt.start]
            if nxt.rank == WEEKDAY and nxt.weekday in (5, 6) and re.fullmatch(r"[\s,:(\-]*", gap) \
                    and len(gap) <= 4 and m.day.weekday() >= 5:
                # "ce week-end, dimanche": the Sunday of that weekend
                sat = m.day - timedelta(days=m.day.weekday() - 5)
                d = sat + timedelta(days=nxt.weekday - 5)
                if d >= ctx.today:
                    out.append(DateMention(m.start, nxt.end, RELATIVE, d, weekday=nxt.weekday))
                    skip.add(i + 1)
                    continue
        if m.rank >= RELATIVE and i + 1 < len(items):
            nxt = items[i + 1]
            gap = ctx.lower[m.end:nxt.start]
            if nxt.rank in (WEEKDAY,) and re.fullmatch(r"[\s,(]*", gap) and len(gap) <= 3:
                out.append(DateMention(m.start, nxt.end, m.rank, m.day, m.end_day, m.error,
                                       nxt.weekday, False, m.rolled_year, m.notes))
                skip.add(i + 1)
                continue
        out.append(m)
    return out
