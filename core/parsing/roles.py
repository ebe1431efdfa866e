"""Roles with their own counts: "need 15 pickers, 2 drivers and a first-aider".

A role is a people noun with a number ("a"/"an"/"one" and their kin count as 1). A list of
two or more of them, with distinct nouns, where the headcount reader found the target, makes
roles; one noun alone stays the plain target ("need 20 people"). Pure: text in, roles out.

A list may also name one role for as many as come, with a word for "many" instead of a
number: "3 drivers, a cook and lots of helpers". That role has no target; it comes first,
as the general role a plain join takes, so that nobody becomes a driver by pressing "I'm in".
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
    target: int | None  # None: as many as come ("lots of helpers")


@dataclass(frozen=True, slots=True)
class _Item:
    start: int  # where the count starts
    end: int
    noun_start: int
    target: int


@lru_cache(maxsize=16)
def _anyone(code: str) -> re.Pattern[str]:
    """A noun for anyone at all ("people", "volunteers"): a counted role like that is already
    the general role, and "20 people and lots of volunteers" is not two roles."""
    anyone = fragment_alternation(LEXICONS[code].anyone_nouns)
    return re.compile(rf"(?:{anyone})" if anyone else r"(?!)")


@lru_cache(maxsize=16)
def _open_patterns(code: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """An uncounted role right after a list ("… and lots of helpers") or right before it
    ("lots of helpers, 3 drivers and a cook"); None in a language without the words."""
    lx = LEXICONS[code]
    if not lx.open_counts:
        return None
    nouns = fragment_alternation(lx.role_nouns)
    opens = alternation(lx.open_counts)
    link = alternation(lx.role_links)
    joined = rf"\s*[,;]?\s*(?:(?:{link})\s+)?" if link else r"\s*[,;]\s*"
    after = re.compile(rf"{joined}(?:{opens})\s+({nouns})(?![\w'’-])")
    before = re.compile(rf"(?<![\w'’])(?:{opens})\s+({nouns})\s*[,;]\s*$")
    return after, before


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
        start, end = chain[0].start, chain[-1].end
        open_role = None
        if not any(_anyone(code).fullmatch(lower[i.noun_start:i.end]) for i in chain):
            open_role = _open_role(lower, code, start, end)
        if open_role is not None:
            start, end = min(start, open_role[0]), max(end, open_role[1])
        clause = re.split(r"[.;!?\n()]", lower[:start])[-1]
        counted = any(s <= item.start < e for item in chain for s, e in target_spans)
        if len(chain) + (open_role is not None) < 2 or not (counted or cue.search(clause)):
            continue
        names: list[tuple[str, int | None]] = [
            (text[item.noun_start:item.end], item.target) for item in chain
        ]
        if open_role is not None:  # first: the general role a plain join takes
            names.insert(0, (text[open_role[2]:open_role[1]], None))
        roles: list[ParsedRole] = []
        for name, target in names:
            if any(same_role(name, role.name) for role in roles):
                return (), None  # "10 people and 5 people": not roles
            roles.append(ParsedRole(name[:MAX_ROLE_NAME], target))
        if len(roles) > MAX_ROLES:
            return (), None
        if open_role is not None and open_role[0] < chain[0].start:
            # "need lots of helpers, 3 drivers": the cue goes with the list, not the place
            cued = cue.search(lower[:start])
            start = cued.start() if cued is not None else start
        return tuple(roles), (start, end)
    return (), None


def _open_role(lower: str, code: str, start: int, end: int) -> tuple[int, int, int] | None:
    """The uncounted role joined to the list at `start`..`end`: (its start, its end, where
    its noun starts), or None."""
    patterns = _open_patterns(code)
    if patterns is None:
        return None
    after, before = patterns
    found = after.match(lower, end)
    if found is not None:
        return found.start(), found.end(), found.start(1)
    found = before.search(lower[:start])
    if found is not None:
        return found.start(), found.end(1), found.start(1)
    return None


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
