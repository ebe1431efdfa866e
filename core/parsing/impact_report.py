"""What an organiser says a gathering achieved: "14 came, 32 bags and a shopping trolley".

Pure: text and a language in, figures out. The reply is read as a list ("," "and" "und"
"et" ... separate the items); in each item a number (digits, words such as "twelve" or "une
vingtaine", or "a"/"ein"/"un"... meaning one) with a noun after it is a counted thing, and
one with a people word ("people", "Leute", "came", "of us", "wir waren 12") is the number of
people who came. Items that say nothing countable ("it went great") are left alone.

"a"/"ein" only counts as one where the same sentence also has another number, so that
"we had a great time" counts nothing while "32 bags and a shopping trolley" counts the
trolley.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from core.parsing.impact_words import (
    APPROX,
    ARTICLES,
    CLOCK,
    CONJUNCTIONS,
    NOT_THINGS,
    NUMBER_WORDS,
    OF,
    PEOPLE,
    STOPS,
)

MAX_COUNT = 1_000_000
MAX_NOUN_WORDS = 2
MAX_THINGS = 20

_SENTENCES = re.compile(r"[.!?;\n]+(?:\s|$)|\n")
# "," and "/" separate items, but not inside "1,200", "3,5" or "28/11".
_ITEMS = re.compile(r"\s*(?:(?<!\d)[,/]|[,/](?!\d)|[+&])\s*|\s+-\s+")
# A number keeps its separators ("1,200", "3.5", "10:30", "28/11"); `_number` reads it.
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,:/]\d+)*", re.UNICODE)
# Markup pasted in ("<b>14</b> came") is no part of what was said.
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,40}>")
_THOUSANDS = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
# A count: whole ("32 bags") or, for weights and the like, with a fraction ("3.5 tonnes").
Count = int | float


@dataclass(frozen=True)
class ReportFigures:
    """People who came (None: not said) and counted things as (noun as written, count)."""

    people: int | None = None
    things: tuple[tuple[str, Count], ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return self.people is None and not self.things


def read_report(text: str, language: str) -> ReportFigures:
    """The figures in an organiser's free-text report, read in `language` (English words are
    understood too: they are common in every community)."""
    people: int | None = None
    things: dict[str, tuple[str, Count]] = {}
    for sentence in _SENTENCES.split(_TAG.sub(" ", text)):
        items = _items(sentence, language)
        has_numbers = any(_count(w, language) is not None for item in items for w in item)
        for words in items:
            for noun, count in _read_item(words, language, has_numbers):
                if noun != "":
                    if count > 0 and (len(things) < MAX_THINGS or key(noun) in things):
                        seen = things.get(key(noun))
                        total = round(count + (seen[1] if seen else 0), 3)
                        things[key(noun)] = (noun, total)
                    continue
                people = min((people or 0) + int(count), MAX_COUNT)
    return ReportFigures(people, tuple(things.values()))


def key(noun: str) -> str:
    """One key for the singular and plural of a noun, simply: accents folded, a common plural
    or gender ending cut ("bags"/"bag", "Säcke"/"Sack", "zakken"/"zak", "boxes"/"box")."""
    return " ".join(_stem(word) for word in noun.split())


def _stem(word: str) -> str:
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c)
    )
    folded = folded.replace("æ", "ae").replace("ø", "o").replace("ß", "ss")
    if folded.endswith("ies") and len(folded) > 4:
        folded = folded[:-3] + "y"
    else:
        for ending in ("en", "es", "er", "s", "e"):
            if folded.endswith(ending) and len(folded) - len(ending) >= 3:
                folded = folded[: -len(ending)]
                break
    if len(folded) > 3 and folded[-1] == folded[-2] and folded[-1] not in "aeiou":
        folded = folded[:-1]  # "zakk" -> "zak", "sækk" -> "saek"
    return folded


def _words_of(
    language: str, table: dict[str, frozenset[str]], *, english: bool = True
) -> frozenset[str]:
    """The words of `language`, with English ones too unless they would misread it (the
    Italian preposition "a" is no article)."""
    return table.get(language, table["en"]) | (table["en"] if english else frozenset())


def _items(sentence: str, language: str) -> list[list[str]]:
    conjunctions = _words_of(language, CONJUNCTIONS, english=False)
    items: list[list[str]] = []
    for part in _ITEMS.split(sentence):
        current: list[str] = []
        for word in _WORD.findall(part):
            if word.lower() in conjunctions:
                if current:
                    items.append(current)
                current = []
            else:
                current.append(word)
        if current:
            items.append(current)
    return items


def _number(word: str) -> Count | None:
    """A count written in digits: "32", "1,200" and "1.200" (thousands), "3.5" and "3,5" (a
    fraction, for weights). A time or a date ("10:30", "28/11") is none."""
    if not word.isascii():
        word = "".join(str(unicodedata.decimal(ch, "")) or ch for ch in word)  # "١٤", "１４"
    if not word.isascii() or not word[:1].isdigit():
        return None  # "²", "①", "½": not digits int() reads
    if word.isdigit():
        value: Count = int(word)
    elif _THOUSANDS.fullmatch(word):
        value = int(re.sub(r"\D", "", word))
    elif re.fullmatch(r"\d+[.,]\d+", word):
        value = float(word.replace(",", "."))
    else:
        return None
    return value if 0 <= value <= MAX_COUNT else None


def _count(word: str, language: str) -> Count | None:
    """A number in digits or in words ("twelve", "zwölf", "une vingtaine")."""
    value = _number(word)
    if value is None:
        value = _number_words(language).get(word.lower())
    return value


def _number_words(language: str) -> dict[str, int]:
    return {**NUMBER_WORDS["en"], **NUMBER_WORDS.get(language, {})}


def _read_item(words: list[str], language: str, has_numbers: bool) -> list[tuple[str, Count]]:
    """("", n) for people, (noun, n) for a counted thing ("32 bags by 10 volunteers" has
    both). The noun keeps the case it was written in ("Säcke"); comparisons are lower case."""
    found: list[tuple[str, Count]] = []
    people = _words_of(language, PEOPLE)
    approx = _words_of(language, APPROX)
    articles = _words_of(language, ARTICLES, english=False)
    for i, word in enumerate(words):
        count = _count(word, language)
        after = [w for w in words[i + 1 :] if w.lower() not in approx]
        # "a"/"ein" as one: of a thing ("a fridge"), never people ("a team of 8" is 8)
        one = count is None and word.lower() in articles and has_numbers
        if one:
            if after and _count(after[0], language) is not None:
                continue  # "a dozen", "une vingtaine": the number is the next word
            count = 1
        if count is None:
            continue
        if _number(word) is None and after and after[0].lower() in _words_of(language, OF):
            after = after[1:]  # "une vingtaine de bénévoles", "a dozen of us"
        before = [w.lower() for w in words[:i] if w.lower() not in approx]
        noun = _noun(after, language)
        next_two = [w.lower() for w in after[:2]]
        if not one and (
            (next_two and next_two[0] in people)
            or " ".join(next_two) in people
            or (not noun and _is_people(before[-2:], people, language))
        ):
            found.append(("", count))
        elif noun and not _not_things(language) & {key(noun), *map(key, noun.split())}:
            found.append((noun, count))  # not "a great time", "a lovely morning", "a few"
        elif len(words) == 1:
            found.append(("", count))  # a bare "14": the people who came
    return found


def _not_things(language: str) -> frozenset[str]:
    return frozenset(key(word) for word in _words_of(language, NOT_THINGS))


def _is_people(words: list[str], people: frozenset[str], language: str) -> bool:
    """"wir waren 12", "eravamo in 12": a people word just before; but "came at 10" is a time."""
    if words and words[-1] in _words_of(language, CLOCK):
        return False
    return any(w in people for w in words) or " ".join(words) in people


def _most_words(language: str) -> int:
    """English names a thing with a word before its noun ("shopping trolley"); the others
    put the noun first ("25 Säcke Müll", "30 sacs poubelle"): the first word is the thing."""
    return MAX_NOUN_WORDS if language == "en" else 1


def _noun(after: list[str], language: str) -> str:
    stops = _words_of(language, STOPS)
    noun: list[str] = []
    for word in after:
        if word.lower() in stops or _count(word, language) is not None:
            break
        if len(noun) == _most_words(language) or (noun and _plural(noun[-1])):
            break  # "2 tyres between 15 of us": a plural ends an English noun
        noun.append(word)
    return " ".join(noun)


def _plural(word: str) -> bool:
    return word.lower().endswith("s") and not word.lower().endswith("ss")
