"""The words the bot writes for other people, in the eight languages it reads.

The catalogue is gettext: `core/words/locales/gather.pot` holds every entry's English text
(msgid) under its key (msgctxt), and `locales/<language>/LC_MESSAGES/gather.po` its
translation, with plural forms chosen by the file's own `Plural-Forms` rule. Babel reads the
.po files at run time, once per language, so there is no compile step for an install to miss.
English is the fallback for any entry a language lacks (untranslated or fuzzy), and for an
unknown language, so a gap shows English instead of failing. Templates use named `str.format`
placeholders; plural texts get the count as `{n}`. User text (titles, places, names, reasons)
never passes through `text`: callers put it in `user(...)` spans, through `spans`, so it is
never translated or re-escaped.
"""

from __future__ import annotations

import gettext
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from babel.messages.pofile import read_po

from core.contract.messages import Span

Entry = str | tuple[str, ...]  # a text, or its plural forms in the order of Plural-Forms
LOCALES = resources.files("core.words") / "locales"
DOMAIN = "gather"
# The languages with a catalogue: English (the template) and every locales/<language>/ folder.
LANGUAGES: tuple[str, ...] = ("en", *sorted(p.name for p in LOCALES.iterdir() if p.is_dir()))
# The Babel locale for dates: British English (day before month, 24-hour clock) and European
# Portuguese (its plural rule, in pt's Plural-Forms, also differs from Brazil's for 0).
_BABEL_LOCALES = {"en": "en_GB", "pt": "pt_PT"}


@dataclass(frozen=True)
class Catalogue:
    language: str
    entries: Mapping[str, Entry]  # by key; only the translated ones
    plural_index: Callable[[int], int]  # a count -> the index of its form in a plural entry


def babel_locale(language: str) -> str:
    return _BABEL_LOCALES.get(language, language)


def text(language: str, key: str, **values: object) -> str:
    """The text for `key` in `language` (English if it has none), with `values` filled in.

    A plural entry asked for without a count gives its most general (last) form."""
    return _template(language, key).format(**values)


def plural(language: str, key: str, count: int, **values: object) -> str:
    """The form of `key` that suits `count` in `language`, with `{n}` set to `count`.

    A plain text entry serves every count (English "{n} going", Dutch "nog {n} nodig")."""
    return _plural_template(language, key, count).format(n=count, **values)


def spans(language: str, key: str, **values: object) -> list[str | Span]:
    """The text for `key` as parts of a line, its placeholders filled with `values`.

    A value that is a Span (a `user(...)` title, a `code(...)` command) stays that span, so
    user text placed by a whole-sentence template is still escaped by the adapters."""
    return _split(_template(language, key), values)


def plural_spans(language: str, key: str, count: int, **values: object) -> list[str | Span]:
    """`spans` for the form of `key` that suits `count`; `{n}` is `count` unless given."""
    return _split(_plural_template(language, key, count), {"n": count, **values})


def catalogue(language: str) -> Catalogue:
    """The catalogue of `language`, read from its .po file (the template's for English)."""
    return _catalogue(language if language in LANGUAGES else "en")


def _split(template: str, values: Mapping[str, object]) -> list[str | Span]:
    parts: list[str | Span] = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if literal:
            parts.append(literal)
        if name is None:
            continue
        value = values[name]  # KeyError: the template names a value nobody gave
        if isinstance(value, Span):
            parts.append(value)
        else:
            shown = repr(value) if conversion == "r" else value
            parts.append(format(shown, spec or ""))
    return parts


def _template(language: str, key: str) -> str:
    entry = _entry(language, key)
    return entry if isinstance(entry, str) else entry[-1]


def _plural_template(language: str, key: str, count: int) -> str:
    own = catalogue(language)
    entry = own.entries.get(key)
    if entry is None:
        own = catalogue("en")
        entry = own.entries[key]  # KeyError: nobody defined it
    if isinstance(entry, str):
        return entry
    return entry[min(own.plural_index(count), len(entry) - 1)]


def _entry(language: str, key: str) -> Entry:
    entry = catalogue(language).entries.get(key)
    return catalogue("en").entries[key] if entry is None else entry  # KeyError: nobody defined it


@cache
def _catalogue(language: str) -> Catalogue:
    # Reading a .po file takes a few milliseconds: once per language for the process.
    if language == "en":
        source = LOCALES / f"{DOMAIN}.pot"
    else:
        source = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with source.open("rb") as po:
        parsed = read_po(po, domain=DOMAIN)
    entries: dict[str, Entry] = {}
    for message in parsed:
        if not message.id or message.context is None:
            continue  # the header
        # The template's text is its msgid; a translation counts once it is whole and not fuzzy.
        entry = message.id if language == "en" else message.string
        forms = (entry,) if isinstance(entry, str) else tuple(entry or ())
        if language != "en" and (message.fuzzy or not all(forms)):
            continue
        entries[message.context] = forms[0] if isinstance(entry, str) else forms
    return Catalogue(language, entries, gettext.c2py(parsed.plural_expr))
