"""Result types of the gathering parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

AmbiguityField = Literal["date", "time", "place", "needed", "dst", "title"]

GOOD_EXAMPLE = "/gather Beach clean at Portobello beach, Saturday 10am, need 20 people"


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """Something the parser had to guess; `message` is a short user-facing hint."""

    field: AmbiguityField
    message: str


@dataclass(frozen=True, slots=True)
class ParsedGathering:
    """What, when, where and how many, read from one announcement."""

    title: str
    starts_at: datetime
    has_time: bool
    ends_at: datetime | None
    place: str | None
    needed: int | None
    language: str
    ambiguities: tuple[Ambiguity, ...] = field(default=())


class ParseError(ValueError):
    """No usable start could be read; `message` is a friendly sentence with an example."""

    def __init__(self, reason: str) -> None:
        reason = reason.strip()
        if reason.endswith(("e.g.", "e.g.:")):
            reason = reason.rsplit(" ", 1)[0].rstrip(" ,:")
        if reason and reason[-1] not in ".!?":
            reason += "."
        message = f"{reason} Try e.g.: {GOOD_EXAMPLE}"
        super().__init__(message)
        self.reason = reason
        self.message = message
