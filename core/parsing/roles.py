"""Roles with their own counts: "need 15 pickers, 2 drivers and a first-aider".

A role is a people noun with a number ("a"/"an"/"one" and their kin count as 1). A list of
two or more of them, with distinct nouns, where the headcount reader found the target, makes
roles; one noun alone stays the plain target ("need 20 people"). Pure: text in, roles out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .headcount import AGENTS
from .lexicon import EN, LEXICONS, alternation, fragment_alternation

Span = tuple[int, int]
MAX_ROLES = 6  # more than a keyboard can carry in two rows of three
MAX_ROLE_NAME = 40
MAX_SLUG_BYTES = 40


@dataclass(frozen=True, slots=True)
class ParsedRole:
    """One role as written: its noun ("pickers", "first-aider") and how many are needed."""

    name: str
    target: int


@dataclass(frozen=True, slots=True)
class _Item:
    start: int  # where the count starts
    end: int
    noun_start: int
    target: int


@lru_cache(maxsize=16)
def _patterns(code: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    lx = LEXICONS[code]
    words = {w for w in lx.numbers if " " not in w} | set(lx.one_words)
    count = rf"\d{{1,4}}|{alternation(words)}"
    nouns = fragment_alternation(lx.role_nouns)
    agents = AGENTS.get(code, "")
    noun = f"{nouns}|{agents}" if agents else nouns
    # "un'autista": an elided article is glued to its noun
    item = re.compile(rf"(?<![\w'’])({count})(?:\s{{1,3}}|(?<=['’]))({noun})(?![\w'’-])")
    link = alternation(lx.role_links)
    gap = re.compile(rf"\s*[,;]?\s*(?:(?:{link})\s+)?$" if link else r"\s*[,;]\s*$")
    # a need cue closing the words before the list: "wir suchen: 3 Köche und einen Fahrer"
    cue = re.compile(rf"(?<![\w])(?:{alternation(lx.need_cues)})(?:\s+(?:de|d'|di))?[\s:]*$")
    return item, gap, cue


def _value(token: str, code: str) -> int | None:
    if token.isdigit():
        return int(token)
    lx = LEXICONS[code]
    if token in lx.one_words:
        return 1
    return lx.numbers.get(token) or EN.numbers.get(token)


def _chains(lower: str, code: str) -> list[list[_Item]]:
    """Runs of counted nouns joined by commas or "and" ("15 pickers, 2 drivers and a medic")."""
    item_re, gap_re, _ = _patterns(code)
    chains: list[list[_Item]] = []
    for m in item_re.finditer(lower):
        value = _value(m.group(1), code)
        if value is None or not 1 <= value <= 5000:
            continue
        item = _Item(m.start(1), m.end(), m.start(2), value)
        last = chains[-1][-1] if chains else None
        between = lower[last.end:item.start] if last else ""
        if last is not None and between.strip() and gap_re.match(between):
            chains[-1].append(item)
        else:
            chains.append([item])
    return chains


def find(text: str, lower: str, code: str, target_spans: tuple[Span, ...]
         ) -> tuple[tuple[ParsedRole, ...], Span | None]:
    """The roles in `lower` (`text` as written, the same length: names keep their case) and
    the span of their list, or none. `target_spans` are where the
    headcount reader found its counts: a list of roles must hold one of them, or follow a need
    cue ("we need 4 cooks and a driver"), so that a list of things is never roles."""
    cue = _patterns(code)[2]
    for chain in _chains(lower, code):
        clause = re.split(r"[.;!?\n()]", lower[:chain[0].start])[-1]
        counted = any(s <= item.start < e for item in chain for s, e in target_spans)
        if len(chain) < 2 or not (counted or cue.search(clause)):
            continue
        roles: list[ParsedRole] = []
        for item in chain:
            name = text[item.noun_start:item.end]
            if any(same_role(name, role.name) for role in roles):
                return (), None  # "10 people and 5 people": not roles
            roles.append(ParsedRole(name[:MAX_ROLE_NAME], item.target))
        if len(roles) > MAX_ROLES:
            return (), None
        return tuple(roles), (chain[0].start, chain[-1].end)
    return (), None


def slug(name: str) -> str:
    """A role's short word for a button and a command: "first aiders" -> "first-aiders"."""
    cleaned = re.sub(r"[^\w.+-]+", "-", name.strip().lower()).strip("-")[:32]
    # Telegram carries it in 64 bytes with the action and code: "bénévoles" takes 10
    while len(cleaned.encode()) > MAX_SLUG_BYTES:
        cleaned = cleaned[:-1]
    return cleaned or "role"


def same_role(said: str, name: str) -> bool:
    """Does `said` name the role `name`, singular or plural, in any case ("driver" and
    "Drivers", "autista" and "autisti", "Helfer" and "Helferinnen"), with or without its
    accents ("benevoles" for "bénévoles": phones and hurried thumbs drop them)?"""
    a, b = _folded(slug(said)), _folded(slug(name))
    if a == b:
        return True
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    longer, shorter = max(len(a), len(b)), min(len(a), len(b))
    return shorter >= 3 and common >= shorter - 1 and longer - common <= 5 and common >= 3


def _folded(word: str) -> str:
    """The word without its accents: "bénévoles" -> "benevoles", "chauffør" stays."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
