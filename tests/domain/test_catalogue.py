"""The gettext catalogue itself: complete in every language, and read the way gettext reads it.

Every language's .po file has exactly the template's entries, all translated and none fuzzy,
with the same named placeholders as the English, as many plural forms as its Plural-Forms
header says, and the Plural-Forms rule Babel knows for the language. Then the loader: plural
forms by each language's rule, English for an unknown language, and whole sentences turned
into spans with user text kept in user spans.
"""

from __future__ import annotations

import gettext
import io
import re
import string
from collections.abc import Iterable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from core.contract.messages import Span, code, user
from core.words import i18n

TRANSLATED = [language for language in i18n.LANGUAGES if language != "en"]


def _read(language: str) -> Catalog:
    path = i18n.LOCALES / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with path.open("rb") as po:
        return read_po(po, domain=i18n.DOMAIN)


def _template() -> Catalog:
    with (i18n.LOCALES / f"{i18n.DOMAIN}.pot").open("rb") as pot:
        return read_po(pot, domain=i18n.DOMAIN)


def _fields(texts: str | Iterable[str] | None) -> set[str]:
    texts = [texts] if isinstance(texts, str) else list(texts or ())
    return {name for t in texts for _, name, _, _ in string.Formatter().parse(t) if name}


def test_the_eight_languages_have_a_catalogue() -> None:
    assert sorted(i18n.LANGUAGES) == ["da", "de", "en", "es", "fr", "it", "nl", "pt"]


def test_every_english_entry_has_a_key_and_consistent_placeholders() -> None:
    keys = [m.context for m in _template() if m.id]
    assert None not in keys and len(keys) == len(set(keys))
    for message in _template():
        if message.pluralizable:  # the singular and plural English name the same values
            assert _fields(message.id[0]) | {"n"} == _fields(message.id[1]) | {"n"}, message.context


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_language_has_every_text_with_the_same_placeholders(language: str) -> None:
    template, catalogue = _template(), _read(language)
    english = {m.context: m for m in template if m.id}
    translated = {m.context: m for m in catalogue if m.id}
    assert sorted(set(english) - set(translated)) == []  # nothing falls back to English
    assert sorted(set(translated) - set(english)) == []  # nothing misspelt, so never used
    assert list(catalogue.obsolete) == []
    for key, message in translated.items():
        source = english[key]
        assert message.id == source.id, key  # the English it translates is the current one
        assert not message.fuzzy, key
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(forms), key  # nothing left untranslated
        assert message.pluralizable == source.pluralizable, key
        if message.pluralizable:
            assert len(forms) == catalogue.num_plurals, key
        for form in forms:  # a plural form may leave out the count ("une heure"), no other
            assert _fields(form) - {"n"} == _fields(source.id) - {"n"}, (key, form)
    assert [error for _, errors in catalogue.check() for error in errors] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_forms_are_the_languages_own(language: str) -> None:
    catalogue = _read(language)
    expected = get_plural(i18n.babel_locale(language))
    assert (catalogue.num_plurals, catalogue.plural_expr) == (
        expected.num_plurals,
        expected.plural_expr,
    )
    rule = gettext.c2py(catalogue.plural_expr)
    assert {rule(n) for n in [*range(200), 1_000_000]} <= set(range(catalogue.num_plurals))


@pytest.mark.parametrize(
    ("language", "counts", "expected"),
    [
        ("en", (0, 1, 2), ["0 hours", "1 hour", "2 hours"]),
        ("fr", (0, 1, 2), ["0 heure", "1 heure", "2 heures"]),  # French: 0 is singular
        ("pt", (0, 1, 2), ["0 horas", "1 hora", "2 horas"]),  # European Portuguese: 0 is not
        ("da", (0, 1, 2), ["0 timer", "1 time", "2 timer"]),
        ("nl", (1, 2), ["1 uur", "2 uur"]),
        ("es", (1, 1_000_000), ["1 hora", "1000000 horas"]),  # the "many" form
    ],
)
def test_plurals_follow_each_languages_rules(
    language: str, counts: tuple[int, ...], expected: list[str]
) -> None:
    assert [i18n.plural(language, "left.hours", n) for n in counts] == expected


def test_a_missing_text_or_language_falls_back_to_english() -> None:
    assert i18n.text("xx", "button.join") == "I'm in"
    assert i18n.plural("xx", "short.need", 1, title="Picnic") == "We need 1 more person for Picnic!"
    with pytest.raises(KeyError):
        i18n.text("de", "no.such.key")


def test_an_untranslated_or_fuzzy_entry_is_left_to_english() -> None:
    po = b"""msgid ""
msgstr ""
"Language: de\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgctxt "button.join"
msgid "I'm in"
msgstr "Bin dabei"

msgctxt "button.leave"
msgid "Can't make it"
msgstr ""

#, fuzzy
msgctxt "button.guest"
msgid "+1 guest"
msgstr "+1 Gast?"

msgctxt "left.hours"
msgid "{n} hour"
msgid_plural "{n} hours"
msgstr[0] "{n} Stunde"
msgstr[1] ""
"""
    german = i18n.read_catalogue("de", io.BytesIO(po))
    assert german.entries == {"button.join": "Bin dabei"}
    assert [german.plural_index(n) for n in (0, 1, 2)] == [1, 0, 1]


def test_a_whole_sentence_keeps_user_text_in_user_spans_wherever_the_language_puts_it() -> None:
    title = user("<b>Picnic</b>")
    assert i18n.plural_spans("en", "short.need_at", 2, title=title, place=user("Pier")) == [
        "We need 2 more people for ",
        title,
        " at ",
        Span("Pier", "user"),
        "!",
    ]
    german = i18n.plural_spans("de", "short.need", 1, n=code("1"), title=title)
    assert title in german and Span("1", "code") in german
    assert "".join(p if isinstance(p, str) else p.text for p in german) == (
        "Wir brauchen noch 1 Person für <b>Picnic</b>!"
    )


def test_emphasis_in_a_template_becomes_strong_spans_and_a_phrase_fills_a_placeholder() -> None:
    phrase = (user("Picnic"), " (", code("K7QF"), ")")
    assert i18n.spans("en", "cancelled.headline", gathering=phrase) == [
        Span("Cancelled:", "strong"),
        " ",
        *phrase,
    ]
    # text() has no spans to put emphasis in: it gives the words alone.
    assert i18n.text("en", "announcement.cancelled_title", title="Picnic") == "CANCELLED: Picnic"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_emphasis_is_well_formed(language: str) -> None:
    for key, entry in i18n.catalogue(language).entries.items():
        for form in [entry] if isinstance(entry, str) else entry:
            marks = re.findall(r"</?b>", form)
            assert marks == ["<b>", "</b>"] * (len(marks) // 2), (key, form)
            assert "<" not in re.sub(r"</?b>", "", form), (key, form)  # no other markup


# Code names entries by key, so there is no `pybabel extract`: this is its check instead.
_CALL = re.compile(r"\bi18n\.(?:text|plural|spans|plural_spans)\(\s*[^,()]+,\s*\"([^\"]+)\"")


def test_every_key_the_code_names_is_in_the_template() -> None:
    keys = {m.context for m in _template() if m.id}
    root = Path(__file__).resolve().parents[2]
    named = {
        (path.relative_to(root).as_posix(), key)
        for package in ("core", "adapters", "sandbox")
        if (root / package).is_dir()
        for path in (root / package).rglob("*.py")
        for key in _CALL.findall(path.read_text(encoding="utf-8"))
    }
    assert len(named) > 100  # the pattern still finds the calls
    assert sorted((path, key) for path, key in named if key not in keys) == []


@pytest.mark.parametrize("path", sorted(i18n.LOCALES.rglob("gather.po*")), ids=str)
def test_every_entry_is_whole_after_a_merge(path: Path) -> None:
    """`.po` files merge by union (.gitattributes), which can drop a line of an entry: every
    entry keeps its msgctxt, msgid and msgstr, and no key appears twice."""
    text = path.read_text(encoding="utf-8")
    blocks = [b for b in text.split("\n\n") if "\nmsgctxt " in f"\n{b}"]
    keys: list[str] = []
    for block in blocks:
        lines = [line.split(" ", 1)[0] for line in block.splitlines() if line.startswith("msg")]
        assert lines[0] == "msgctxt" and lines[1] == "msgid", block
        assert "msgstr" in lines or "msgstr[0]" in lines, block
        assert lines.count("msgctxt") == 1, block
        keys.append(block.split("msgctxt ", 1)[1].split("\n", 1)[0])
    assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1]
