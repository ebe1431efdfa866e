"""The words the bot writes for other people, in the eight languages it reads.

One module per language holds a flat catalogue: key -> text, or key -> plural forms keyed by
the CLDR category Babel names for a count ("one", "other", and in some languages "many").
English is complete and is the fallback for any key or form a language lacks, so a gap shows
English instead of failing. Templates use `str.format` placeholders; plural texts get the
count as `{n}`. User text (titles, places, names, reasons) never passes through here: callers
put it in `user(...)` spans around these words, so it is never translated or re-escaped.

No gettext: the catalogues are small, live next to the code, and need no build step.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from babel import Locale

from core.words.i18n import da, de, en, es, fr, it, nl, pt

Entry = str | Mapping[str, str]  # a text, or its plural forms by CLDR category

CATALOGUES: Mapping[str, Mapping[str, Entry]] = {
    "en": en.MESSAGES,
    "de": de.MESSAGES,
    "fr": fr.MESSAGES,
    "es": es.MESSAGES,
    "it": it.MESSAGES,
    "pt": pt.MESSAGES,
    "nl": nl.MESSAGES,
    "da": da.MESSAGES,
}
# The Babel locale for dates and plural rules: British English (day before month, 24-hour
# clock) and European Portuguese (the plural rules differ from Brazil's for 0).
_BABEL_LOCALES = {"en": "en_GB", "pt": "pt_PT"}


def babel_locale(language: str) -> str:
    return _BABEL_LOCALES.get(language, language)


def text(language: str, key: str, **values: object) -> str:
    """The text for `key` in `language` (English if it has none), with `values` filled in."""
    entry = _entry(language, key)
    template = entry if isinstance(entry, str) else entry["other"]
    return template.format(**values)


def plural(language: str, key: str, count: int, **values: object) -> str:
    """The form of `key` that suits `count` in `language`, with `{n}` set to `count`.

    A plain text entry serves every count (English "{n} going", Dutch "nog {n} nodig")."""
    template = _form(_entry(language, key), _category(language, count))
    if template is None:  # the language has the key but not this form, nor "other"
        template = _form(CATALOGUES["en"][key], _category("en", count)) or ""
    return template.format(n=count, **values)


def _entry(language: str, key: str) -> Entry:
    entry = CATALOGUES.get(language, CATALOGUES["en"]).get(key)
    # An empty text is a real one (Spanish needs nothing after a place); only absence falls back.
    return CATALOGUES["en"][key] if entry is None else entry  # KeyError: nobody defined it


def _form(entry: Entry, category: str) -> str | None:
    if isinstance(entry, str):
        return entry
    return entry.get(category, entry.get("other"))


@lru_cache(maxsize=16)
def _plural_rule(language: str) -> Locale:
    # Parsing a locale reads Babel's data files: once per language is enough.
    return Locale.parse(babel_locale(language) if language in CATALOGUES else "en_GB")


def _category(language: str, count: int) -> str:
    return str(_plural_rule(language).plural_form(count))
