"""Short public codes that are easy to read aloud and type."""

from __future__ import annotations

import secrets

# Without 0/O and 1/I/L, which people confuse when reading a code aloud or off a screen.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GATHERING_CODE_LENGTH = 4
LINK_CODE_LENGTH = 6


def new_code(length: int = GATHERING_CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_code(text: str) -> str | None:
    """The code a person typed (any case, a stray '#'), or None if the text cannot be one."""
    cleaned = text.strip().lstrip("#").rstrip(".,!?;:)").upper()
    if 4 <= len(cleaned) <= 8 and all(character in ALPHABET for character in cleaned):
        return cleaned
    return None
