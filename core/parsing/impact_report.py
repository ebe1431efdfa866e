"""What an organiser says a gathering achieved: "14 came, 32 bags and a shopping trolley".

Pure: text and a language in, figures out. The reply is read as a list ("," "and" "und"
"et" ... separate the items); in each item a number (digits, or "a"/"ein"/"un"... meaning one)
with a noun after it is a counted thing, and one with a people word ("people", "Leute",
"came", "of us", "wir waren 12") is the number of people who came. Items that say nothing
countable ("it went great") are left alone.

"a"/"ein" only counts as one where the same sentence also has a number in digits, so that
"we had a great time" counts nothing while "32 bags and a shopping trolley" counts the
trolley.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from core.parsing.impact_words import APPROX, ARTICLES, CONJUNCTIONS, NOT_THINGS, PEOPLE, STOPS

MAX_COUNT = 1_000_000
MAX_NOUN_WORDS = 2
MAX_THINGS = 20

_SENTENCES = re.compile(r"[.!?;\n]+(?:\s|$)|\n")
_ITEMS = re.compile(r"\s*[,+&/]\s*|\s+-\s+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d{3})*", re.UNICODE)


@dataclass(frozen=True)
class ReportFigures:
    """People who came (None: not said) and counted things as (noun as written, count)."""

    people: int | None = None
    things: tuple[tuple[str, int], ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return self.people is None and not self.things


def read_report(text: str, language: str) -> ReportFigures:
    """The figures in an organiser's free-text report, read in `language` (English words are
    understood too: they are common in every community)."""
    people: int | None = None
    things: dict[str, tuple[str, int]] = {}
    for sentence in _SENTENCES.split(text):
        items = _items(sentence, language)
        has_digits = any(_number(w) is not None for item in items for w in item)
        for words in items:
            for noun, count in _read_item(words, language, has_digits):
                if noun != "":
                    if len(things) < MAX_THINGS or key(noun) in things:
                        seen = things.get(key(noun))
                        things[key(noun)] = (noun, count + (seen[1] if seen else 0))
                    continue
                people = min((people or 0) + count, MAX_COUNT)
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


def _number(word: str) -> int | None:
    if word.isdigit() or re.fullmatch(r"\d+(?:[.,]\d{3})+", word):
        value = int(re.sub(r"\D", "", word))
        return value if 0 <= value <= MAX_COUNT else None
    return None


def _read_item(words: list[str], language: str, has_digits: bool) -> list[tuple[str, int]]:
    """("", n) for people, (noun, n) for a counted thing ("32 bags by 10 volunteers" has
    both). The noun keeps the case it was written in ("Säcke"); comparisons are lower case."""
    found: list[tuple[str, int]] = []
    people = _words_of(language, PEOPLE)
    approx = _words_of(language, APPROX)
    for i, word in enumerate(words):
        count = _number(word)
        one = word.lower() in _words_of(language, ARTICLES, english=False) and has_digits
        if count is None and not one:
            continue
        after = [w for w in words[i + 1 :] if w.lower() not in approx]
        before = [w.lower() for w in words[:i]]
        noun = _noun(after, language)
        next_two = [w.lower() for w in after[:2]]
        if (next_two and next_two[0] in people) or " ".join(next_two) in people or (
            not noun and _is_people(before[-2:], people)
        ):
            found.append(("", count if count is not None else 1))
        elif noun and key(noun) not in _not_things(language):
            found.append((noun, count if count is not None else 1))
        elif count is not None and len(words) == 1:
            found.append(("", count))  # a bare "14": the people who came
    return found


def _not_things(language: str) -> frozenset[str]:
    return frozenset(key(word) for word in _words_of(language, NOT_THINGS))


def _is_people(words: list[str], people: frozenset[str]) -> bool:
    return any(w in people for w in words) or " ".join(words) in people


def _most_words(language: str) -> int:
    """English names a thing with a word before its noun ("shopping trolley"); the others
    put the noun first ("25 Säcke Müll", "30 sacs poubelle"): the first word is the thing."""
    return MAX_NOUN_WORDS if language == "en" else 1


def _noun(after: list[str], language: str) -> str:
    stops = _words_of(language, STOPS)
    noun: list[str] = []
    for word in after:
        if word.lower() in stops or _number(word) is not None or len(noun) == _most_words(language):
            break
        noun.append(word)
    return " ".join(noun)
