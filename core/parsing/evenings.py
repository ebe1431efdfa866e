"""Activities that happen in the evening ("potluck dinner", "pub quiz", "Spieleabend"): a bare
hour from 1 to 11 written for one is read after noon, and the parser says so.

Read from the whole message, not one sentence: "Potluck Friday at 7. Bring a dish for dinner".
"""

from __future__ import annotations

import re
from functools import lru_cache

_ACTIVITIES = {
    "en": ("dinner", "supper", "potluck", "pub", "quiz", "karaoke", "party", "drinks", "gig",
           "concert", "disco", "ceilidh", "movie night", "film night", "games night",
           "game night", "board games", "cocktails", "social", "bar", "happy hour", "dance"),
    "de": ("abendessen", "spieleabend", "kneipe", "quiz", "party", "feier", "konzert",
           "stammtisch", "filmabend", "kino", "disco", "essen", "tanz", "bar"),
    "fr": ("dîner", "diner", "soirée", "apéro", "apéritif", "quiz", "fête", "concert",
           "karaoké", "bar", "bal", "ciné", "repas partagé"),
    "es": ("cena", "fiesta", "copas", "concierto", "karaoke", "quiz", "bar", "cine",
           "baile"),
    "it": ("cena", "aperitivo", "apericena", "festa", "concerto", "karaoke", "quiz", "pub",
           "cinema", "ballo"),
    "pt": ("jantar", "festa", "concerto", "karaoke", "quiz", "bar", "cinema", "baile"),
    "nl": ("diner", "avondeten", "borrel", "feest", "kroeg", "quiz", "concert", "karaoke",
           "filmavond", "spelletjesavond", "café"),
    "da": ("middag", "aftensmad", "fest", "koncert", "quiz", "bar", "fredagsbar", "karaoke",
           "filmaften", "spilleaften", "fællesspisning"),
}


@lru_cache(maxsize=16)
def _pattern(code: str) -> re.Pattern[str]:
    words = sorted(_ACTIVITIES.get(code, ()), key=len, reverse=True)
    return re.compile(rf"(?<![\w])(?:{'|'.join(re.escape(w) for w in words)})(?![\w])")


def activity(text: str, lower: str, code: str) -> str | None:
    """The first evening activity named in the message, as written."""
    m = _pattern(code).search(lower)
    return text[m.start():m.end()] if m else None
