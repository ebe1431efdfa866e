"""Parsing as a community of one language would: that language only, in a time zone where it
is spoken, on Wednesday 18 November 2026 at 09:00 local time unless `now` says otherwise."""

from datetime import datetime
from zoneinfo import ZoneInfo

from core.parsing import ParsedGathering, parse_gathering

TZ = {
    "en": "Europe/London",
    "de": "Europe/Berlin",
    "fr": "Europe/Paris",
    "es": "Europe/Madrid",
    "it": "Europe/Rome",
    "pt": "America/Sao_Paulo",
    "nl": "Europe/Amsterdam",
    "da": "Europe/Copenhagen",
}


def parse(
    text: str,
    lang: str,
    now: tuple[int, int, int, int, int] = (2026, 11, 18, 9, 0),
) -> ParsedGathering:
    zone = ZoneInfo(TZ[lang])
    return parse_gathering(text, now=datetime(*now, tzinfo=zone), tz=TZ[lang], languages=[lang])
