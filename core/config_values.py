"""bots.toml's single values, read and checked the same way in every section: offsets like
'2h', language lists, time zones, tables and misspelt keys.

Apart from `core.config` (the whole file) and `core.config_sections` (its sections) so each
section's reader can share them; every problem is appended to the caller's list.
"""

from __future__ import annotations

import difflib
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale, UnknownLocaleError

from core.parsing.fallback import known_locale

SUPPORTED_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "da")
_OFFSET = re.compile(r"^\s*(\d{1,4})\s*([dhm])\s*$")


def parse_offset(text: str) -> int:
    """'1d' / '2h' / '30m' as minutes; raises ValueError otherwise."""
    match = _OFFSET.match(text)
    if not match:
        raise ValueError(f"{text!r} is not an offset like '1d', '2h' or '30m'")
    amount, unit = int(match.group(1)), match.group(2)
    return amount * {"d": 1440, "h": 60, "m": 1}[unit]


def unknown_keys(
    table: dict[str, Any], known: frozenset[str], where: str, problems: list[str]
) -> None:
    """A misspelt key would otherwise be ignored in silence (`timezone` running in UTC)."""
    for key in sorted(set(table) - known):
        close = difflib.get_close_matches(key, sorted(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(f"{where}: unknown setting {key!r}{hint}")


def table(raw: dict[str, Any], name: str, problems: list[str]) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        problems.append(f"[{name}] must be a table")
        return {}
    return value


def check_zone(name: str, where: str, problems: list[str]) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        hint = next((z for z in sorted(available_timezones()) if z.endswith("/" + name)), None)
        problems.append(
            f"{where}: unknown time zone {name!r}" + (f" (did you mean {hint!r}?)" if hint else "")
        )


def read_languages(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    """The eight languages the hand-written readers know, or any locale the fallback reader
    (dateparser) knows ("pl", "sv", "pt-BR"); dateparser is imported only to check the latter."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        problems.append(f'{where}: give a list of language codes, e.g. ["en"]')
        return ("en",)
    # "pt_BR" is written as often as "pt-BR": one spelling from here on.
    tags = [str(code).replace("_", "-") for code in value]
    good = [tag for tag in tags if _regional_form(tag) or known_locale(tag)]
    bad = [tag for tag in tags if tag not in good]
    if bad:
        problems.append(
            f"{where}: unknown language {', '.join(bad)}: give one of "
            f"{', '.join(SUPPORTED_LANGUAGES)} or a locale dateparser reads, like pl or sv"
        )
    return tuple(good) or ("en",)


def _regional_form(tag: str) -> bool:
    """One of the eight, or a real regional form of one ("pt-BR", "fr-CA", not "fr-XX")."""
    if tag in SUPPORTED_LANGUAGES:
        return True
    if tag.split("-")[0] not in SUPPORTED_LANGUAGES:
        return False
    try:
        Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        return False
    return True


def read_offsets(
    value: Any, where: str, problems: list[str], key: str = "reminders"
) -> tuple[int, ...]:
    if not isinstance(value, list):
        problems.append(f'{where} {key}: give a list like ["1d", "2h"]')
        return ()
    minutes: list[int] = []
    for item in value:
        try:
            minutes.append(parse_offset(str(item)))
        except ValueError as error:
            problems.append(f"{where} {key}: {error}")
    return tuple(sorted(set(minutes), reverse=True))
