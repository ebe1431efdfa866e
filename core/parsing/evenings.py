"""Activities that happen in the evening ("potluck dinner", "pub quiz", "Spieleabend"): a bare
hour from 1 to 11 written for one is read after noon, and the parser says so.

Read from the whole message, not one sentence: "Potluck Friday at 7. Bring a dish for dinner".
"""

from __future__ import annotations

import re
from functools import lru_cache

# Daytime events that share a word are left out: "work party" (a volunteers' work session),
# "fête" / "Fest" (often a daytime fair), "dance class", "Repair Café", the city of Essen.
_ACTIVITIES = {
    "en": ("dinner", "supper", "potluck", "pub", "pub quiz", "quiz", "quiz night", "karaoke",
           "christmas party", "birthday party", "dinner party", "drinks", "gig", "concert",
           "disco", "ceilidh", "movie night", "film night", "games night", "game night",
           "board games", "cocktails", "happy hour"),
    "de": ("abendessen", "spieleabend", "kneipe", "kneipenquiz", "quiz", "party", "konzert",
           "stammtisch", "filmabend", "kino", "disco"),
    "fr": ("dîner", "diner", "soirée", "apéro", "apéritif", "quiz", "concert", "karaoké",
           "ciné", "repas partagé"),
    "es": ("cena", "copas", "concierto", "karaoke", "quiz", "cine"),
    "it": ("cena", "aperitivo", "apericena", "concerto", "karaoke", "quiz", "cinema"),
    "pt": ("jantar", "concerto", "karaoke", "quiz", "cinema"),
    "nl": ("diner", "avondeten", "borrel", "kroeg", "kroegquiz", "quiz", "concert", "karaoke",
           "filmavond", "spelletjesavond"),
    "da": ("middag", "aftensmad", "koncert", "quiz", "fredagsbar", "karaoke", "filmaften",
           "spilleaften", "fællesspisning"),
}


@lru_cache(maxsize=16)
def _pattern(code: str) -> re.Pattern[str]:
    words = sorted(_ACTIVITIES.get(code, ()), key=len, reverse=True)
    return re.compile(rf"(?<![\w])(?:{'|'.join(re.escape(w) for w in words)})(?![\w])")


def activity(text: str, lower: str, code: str) -> str | None:
    """The first evening activity named in the message, as written."""
    m = _pattern(code).search(lower)
    return text[m.start():m.end()] if m else None
