"""Words and records the place readers share (core/parsing/places.py and
core/parsing/standalone_places.py)."""

from __future__ import annotations

from dataclasses import dataclass

Span = tuple[int, int]

DETERMINERS = frozenset(
    ["the", "our", "their", "a", "an", "der", "die", "das", "dem", "den", "des", "le", "la", "les", "l'", "l", "el", "los", "las", "il", "lo", "gli", "i", "o", "os", "as", "um", "uma", "het", "de", "een", "en", "et", "ein", "eine", "einem", "einer", "un", "une", "una", "uno"])
BAD_HEADS = frozenset(
    ["morning", "afternoon", "evening", "night", "time", "advance", "mind", "case", "total", "need", "order", "support", "touch", "aid", "meantime", "all", "full", "person", "addition", "return", "charge", "general", "particular", "least", "most", "future", "past", "moment", "weeks", "days", "hours", "minutes", "week", "day", "hour", "minute", "years", "year", "months", "month", "spring", "summer", "autumn", "fall", "winter", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "rain", "sun", "touch", "person", "progress", "fact", "colaboración", "collaboration", "zusammenarbeit", "collaborazione", "colaboração", "samenwerking", "samarbejde", "kooperation", "regard", "terms", "tow", "next", "upcoming", "following", "coming", "wherever", "anywhere", "home", "your", "my", "from", "here", "there", "and", "und", "et", "og", "kl", "klokken", "ore", "uhr"])
PRONOUNS = frozenset(
    ["we", "you", "they", "i", "he", "she", "it", "wir", "ihr", "sie", "nous", "vous", "on", "ils", "nosotros", "vosotros", "ellos", "noi", "voi", "loro", "nós", "vocês", "eles", "wij", "jullie", "zij", "vi", "i", "de", "which", "where", "who", "that", "welche", "qui", "que", "dove", "donde", "onde", "waar", "hvor", "please", "bitte"])

# Spans of time and amounts, in the eight languages: "einmal im Monat", "in der Woche",
# "à partir de 10 ans", "molti volontari", "en línea" are never a meeting point.
NOT_PLACES = frozenset([
    "monat", "monate", "woche", "wochen", "jahr", "jahre", "tag", "tage", "mois", "semaine",
    "semaines", "année", "ans", "jour", "jours", "mes", "meses", "semana", "semanas", "año",
    "años", "día", "días", "mese", "mesi", "settimana", "settimane", "anno", "anni", "giorno",
    "giorni", "mês", "meses", "ano", "anos", "dia", "dias", "maand", "maanden", "jaar", "jaren",
    "dag", "dagen", "måned", "måneder", "uge", "uger", "år", "partir", "molti", "molte",
    "tanti", "tante", "viele", "beaucoup", "muchos", "muchas", "muitos", "muitas", "veel",
    "mange", "many", "several", "mehrere", "plusieurs", "varios", "vari", "vários", "enkele",
    "flere", "línea", "linea", "ligne", "online", "zoom", "jeden", "jede", "jedes", "chaque",
    "cada", "ogni", "elke", "hver", "hvert", "every", "each", "todo", "toda", "todos", "tutti",
    "tous", "alle"])


# Kinds of place an English place name ends with: quick chat writes them in lower case
# ("picnic at inverleith park sun 1pm"), where only the noun says it is a place.
EN_PLACE_NOUNS = frozenset([
    "park", "links", "beach", "sands", "station", "hall", "church", "chapel", "centre",
    "center", "library", "square", "street", "st", "road", "rd", "lane", "avenue", "steps",
    "garden", "gardens", "field", "fields", "common", "meadows", "pier", "harbour", "harbor",
    "shore", "foreshore", "promenade", "prom", "woods", "wood", "forest", "pub", "cafe",
    "café", "school", "market", "bridge", "castle", "canal", "towpath", "river", "playground",
    "allotment", "allotments", "farm", "green", "hill", "museum", "warehouse", "gate",
    "tower", "arena", "stadium", "pool", "hub", "quay", "docks", "marina", "cathedral",
    "mosque", "temple", "synagogue", "campus", "estate", "reservoir", "loch", "lake", "bay",
])


@dataclass(frozen=True, slots=True)
class Place:
    start: int
    end: int
    cue_start: int
    priority: int


def overlaps(start: int, end: int, blocked: list[Span]) -> bool:
    return any(start < e and s < end for s, e in blocked)
