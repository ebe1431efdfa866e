"""The date regexes of one language, built once and cached."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import EN, LEXICONS, WEAK_TIME_CUES, alternation


@dataclass(frozen=True)
class Patterns:
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
    abbr_after_time: re.Pattern[str]  # "10am Sat", "10 Uhr Sa", "10h sam."
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


_NEVER = r"(?!x)x"  # stands for an empty word list: matches nothing


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
def patterns(code: str) -> Patterns:
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
    after = alternation(lx.next_after) or _NEVER
    parts = alternation((*lx.dayparts, *lx.daypart_after_weekday)) or _NEVER
    # "Samstagvormittag", "zaterdagochtend": the weekday ends where the part of the day starts
    glued = rf"|(?=(?:{parts})(?![\w-]))" if lx.compound_dayparts else ""
    weekday = re.compile(
        rf"(?<![\w-])(?:({mods})\s{{1,3}})?({weekdays})(?:(?![\w-]){glued})"
        rf"(?:\s{{1,3}}({after})(?![\w]))?"
    )
    # a bare abbreviation counts before a time ("Sa 9:30", "lør kl. 10", "sáb a las 10") or a
    # part of the day ("Sat morning"); one that is an everyday word too ("so", "ter", "mer")
    # only right before a number or with its dot ("So. um 14 Uhr")
    strong = alternation(a for a in lx.weekday_abbr if a not in lx.weak_abbr)
    weak = alternation(lx.weak_abbr) or _NEVER
    cues = alternation([*(c for c in lx.time_cues if c not in WEAK_TIME_CUES), *lx.range_from,
                        "@"])
    links = alternation(lx.daypart_links) or _NEVER
    lead = r"[!,]{0,3}\s{0,3}[,(]?\s{0,2}"
    weekday_abbr = re.compile(
        rf"(?<![\w-])(?:({mods})\s{{1,3}}({abbr})\.?(?![\w-])|"
        rf"({strong})\.?(?![\w-])(?={lead}(?:(?:{cues})\.?\s{{0,2}})?\d"
        rf"|[\s,]{{1,3}}(?:(?:{links})\s{{1,3}})?(?:{parts})(?![\w-]))|"
        rf"({weak})(?:\.(?={lead}(?:(?:{cues})\.?\s{{0,2}})?\d)|(?![\w-])(?={lead}\d)))"
    )
    # a short weekday right after a clock time with its unit or minutes: the time is the cue
    abbr_after_time = re.compile(
        r"(?<![\w.,:])\d{1,2}(?:[:.h]\d{2}\s?(?:a\.?m\.?|p\.?m\.?|h|uhr|uur|u)?|"
        r"\s?(?:a\.?m\.?|p\.?m\.?|h|uhr|uur|u)(?![\w]))\s{1,3}"
        rf"({abbr})\.?(?![\w-])")
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
    return Patterns(
        iso=re.compile(r"(?<![\d\w.])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])"),
        numeric_year=re.compile(
            r"(?<![\w./-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d]|[./-]\d)"),
        numeric_slash=re.compile(
            r"(?<![\w./,:-])(\d{1,2})/(\d{1,2})(?![\d/]|[.,]\d|\s?(?:h\b|hours?|stunden|%))"),
        numeric_dot=re.compile(r"(?<![\w./,:])(\d{1,2})\.(\d{1,2})\.(?![\d])"),
        day_range=day_range, dm=dm, md=md, nth_weekday=nth,
        day_only=re.compile(_DAY_ONLY[code]), relative=relative, weekend=weekend,
        weekday=weekday, weekday_abbr=weekday_abbr, abbr_after_time=abbr_after_time, wd_day=wd_day, week_on=week_on,
        in_days=in_days,
        time_cue_tail=time_cue_tail,
    )
