"""Inline keyboards: compact callback data (`j:K7QF`), parsed strictly.

Telegram allows 1-64 bytes of callback data; anyone with a modified client can send any
bytes, so a press is only trusted after `parse` accepts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core import CODE_ALPHABET, Button

MAX_CALLBACK_BYTES = 64
PREFIXES = {"join": "j", "leave": "l", "guest": "g"}
ACTIONS = {prefix: action for action, prefix in PREFIXES.items()}
_DATA = re.compile(rf"^([jlg]):([{CODE_ALPHABET}]{{4,8}})$")


@dataclass(frozen=True)
class Press:
    action: str  # join | leave | guest
    code: str

    @property
    def command(self) -> str:
        return f"/{self.action} {self.code}"


def callback_data(button: Button) -> str:
    data = f"{PREFIXES[button.action]}:{button.code}"
    if len(data.encode()) > MAX_CALLBACK_BYTES or parse(data) is None:
        raise ValueError(f"cannot make callback data for {button!r}")
    return data


def parse(data: str | None) -> Press | None:
    """The press a callback carries, or None for unknown, stale or tampered data."""
    if not data or len(data.encode("utf-8", "replace")) > MAX_CALLBACK_BYTES:
        return None
    match = _DATA.fullmatch(data)
    if match is None:
        return None
    return Press(ACTIONS[match.group(1)], match.group(2))


def keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    """One row of buttons, or None (an edit without a keyboard removes the old one)."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=callback_data(b)) for b in buttons]]
    )
