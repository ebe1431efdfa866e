"""The words the bot writes for other people, in the eight languages it reads.

The catalogue is gettext: `core/words/locales/gather.pot` holds every entry's English text
(msgid) under its key (msgctxt), and `locales/<language>/LC_MESSAGES/gather.po` its
translation, with plural forms chosen by the file's own `Plural-Forms` rule. Babel reads the
.po files at run time, once per language, so there is no compile step for an install to miss.
English is the fallback for any entry a language lacks (untranslated or fuzzy), and for an
unknown language, so a gap shows English instead of failing. Templates use named `str.format`
placeholders; plural texts get the count as `{n}`. User text (titles, places, names, reasons)
never passes through `text`: callers give it to `spans` as `user(...)` spans, which a
whole-sentence template places where the language puts them, so it is never translated or
re-escaped. `<b>…</b>` in a template marks words shown bold (strong spans); no other markup.
"""

from __future__ import annotations

import gettext
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import IO

from babel.messages.pofile import read_po

from core.contract.messages import Span

_BOLD = re.compile(r"(</?b>)")  # emphasis in a template: the words between become strong spans
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


def catalogue_language(language: str) -> str:
    """The catalogue that speaks `language`: its own, its base language's for a regional form
    ("fr-CA", "pt_BR" speak French and Portuguese), or English for one with none ("pl")."""
    if language in LANGUAGES:
        return language
    base = language.replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else "en"


def babel_locale(language: str) -> str:
    """The Babel locale for dates in `language`. A language with no catalogue (a community
    reading Polish through the fallback reader) gets English replies, so its dates are English
    too: one language in a sentence. A regional form gets the base language's dates."""
    spoken = catalogue_language(language)
    return _BABEL_LOCALES.get(spoken, spoken)


def text(language: str, key: str, **values: object) -> str:
    """The text for `key` in `language` (English if it has none), with `values` filled in.

    A plural entry asked for without a count gives its most general (last) form. Emphasis
    (`<b>…</b>`) is dropped: a plain string has none; `spans` keeps it."""
    return _plain(_template(language, key)).format(**values)


def plural(language: str, key: str, count: int, **values: object) -> str:
    """The form of `key` that suits `count` in `language`, with `{n}` set to `count`.

    A plain text entry serves every count (English "{n} going", Dutch "nog {n} nodig")."""
    return _plain(_plural_template(language, key, count)).format(n=count, **values)


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
    return _catalogue(catalogue_language(language))


def _split(template: str, values: Mapping[str, object]) -> list[str | Span]:
    parts: list[str | Span] = []
    for run, bold in _runs(template):
        for literal, name, spec, conversion in string.Formatter().parse(run):
            if literal:
                parts.append(Span(literal, "strong") if bold else literal)
            if name is None:
                continue
            value = values[name]  # KeyError: the template names a value nobody gave
            if isinstance(value, Span):
                parts.append(value)
            elif isinstance(value, tuple | list):  # a phrase: spans and text, as they are
                parts.extend(part for part in value if part)
            else:
                shown = format(repr(value) if conversion == "r" else value, spec or "")
                parts.append(Span(shown, "strong") if bold else shown)
    return _merged(parts)


@cache
def _plain(template: str) -> str:
    return _BOLD.sub("", template)


@cache
def _runs(template: str) -> tuple[tuple[str, bool], ...]:
    """'<b>Reminder:</b> {title} starts' -> [('Reminder:', True), (' {title} starts', False)]."""
    pieces = _BOLD.split(template)
    runs, bold = [], False
    for piece in pieces:
        if piece in ("<b>", "</b>"):
            bold = piece == "<b>"
        elif piece:
            runs.append((piece, bold))
    return tuple(runs)


def _merged(parts: list[str | Span]) -> list[str | Span]:
    # "Code: " and "K7QF" stay apart; two pieces of plain (or of bold) text become one.
    merged: list[str | Span] = []
    for part in parts:
        last = merged[-1] if merged else None
        if isinstance(part, str) and isinstance(last, str):
            merged[-1] = last + part
        elif _is_bold(part) and _is_bold(last):
            assert isinstance(part, Span) and isinstance(last, Span)
            merged[-1] = Span(last.text + part.text, "strong")
        else:
            merged.append(part)
    return merged


def _is_bold(part: object) -> bool:
    return isinstance(part, Span) and part.style == "strong" and part.target is None


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
        return read_catalogue(language, po)


def read_catalogue(language: str, po: IO[bytes]) -> Catalogue:
    """A catalogue from a .po file (the .pot for English, whose texts are its msgids)."""
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
