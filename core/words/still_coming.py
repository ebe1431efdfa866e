"""The words of the "Still coming?" check: the question and its two answers, the replies to
an answer, and the post that a place has opened.

On networks with buttons the answers are buttons that run `/still CODE yes|no`; on Mastodon,
which has none, the person replies to the message with a yes or a no in the community's
language (`answer_in`), and the question says which words to use.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import dropwhile
from typing import Literal

from core.contract.messages import Message, MessageBuilder, code, strong, user
from core.storage.models import Gathering
from core.words import i18n

Answer = Literal["yes", "no"]
ANSWERS: tuple[Answer, ...] = ("yes", "no")
# Networks where the answers cannot be buttons: people reply to the question instead.
REPLY_NETWORKS = frozenset({"mastodon"})
_WORD = re.compile(r"\w+")


def ask(b: MessageBuilder, gathering: Gathering, language: str, network: str) -> None:
    """Put the question as the message's last line, with its answers."""
    if network in REPLY_NETWORKS:
        b.line(
            *i18n.spans(
                language,
                "still.question_reply",
                yes=strong(_words(language, "yes")[0]),
                no=strong(_words(language, "no")[0]),
            )
        )
        return
    b.line(*i18n.spans(language, "still.question_buttons"))
    b.button("still", gathering.code, i18n.text(language, "button.still_yes"), "yes")
    b.button("still", gathering.code, i18n.text(language, "button.still_no"), "no")


def answer_in(text: str, languages: tuple[str, ...]) -> Answer | None:
    """'yes' or 'no' when a reply begins with one of those words in one of `languages` (or
    in English, which everyone's bot understands); None for anything else. "Yes but late"
    counts as yes: the first word decides. A "no" followed by "problem" or "worries" ("No
    problem, see you there!") is not one: giving a place away on a misreading is worse than
    asking once more (None gets how to answer)."""
    words = _WORD.findall(text.casefold())
    if not words:
        return None
    for language in (*languages, "en"):
        for answer in ANSWERS:
            if words[0] in _words(language, answer):
                return None if answer == "no" and _not_a_no(words, language) else answer
    return None


def _words(language: str, answer: Answer) -> tuple[str, ...]:
    """The words that mean `answer` in `language`, the usual one first."""
    return _listed(language, f"still.{answer}_words")


def _not_a_no(words: list[str], language: str) -> bool:
    """Whether one of the three words after the "no" (or "no, no") makes it an idiom ("no
    problem", "non non, pas de souci"), in `language` or English."""
    noes = set(_words(language, "no"))
    rest = list(dropwhile(lambda word: word in noes, words))
    idioms = {*_listed(language, "still.not_a_no_words"), *_listed("en", "still.not_a_no_words")}
    return any(word in idioms for word in rest[:3])


@cache
def _listed(language: str, key: str) -> tuple[str, ...]:
    """A catalogue entry that lists words, split once per language: every Mastodon reply to
    a question is read with these."""
    listed = i18n.text(language, key)
    return tuple(word.strip().casefold() for word in listed.split(",") if word.strip())


def reply(language: str, key: str, gathering: Gathering) -> Message:
    """A one-line answer to /still that names the gathering (and how to join again)."""
    values = {
        "title": user(gathering.title),
        "code": code(gathering.code),
        "command": code(f"/join {gathering.code}"),
    }
    return MessageBuilder().line(*i18n.spans(language, key, **values)).build()


def place_opened(gathering: Gathering, free: int, language: str) -> Message:
    """The room post that places came free (released by people who can't make it)."""
    b = MessageBuilder()
    b.line(*i18n.plural_spans(language, "opened.places", free, title=user(gathering.title)))
    b.line(*i18n.spans(language, "opened.join", command=code(f"/join {gathering.code}")))
    b.button("join", gathering.code, i18n.text(language, "button.join"))
    return b.build()
