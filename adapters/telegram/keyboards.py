"""Inline keyboards: compact callback data (`j:K7QF`, `j:K7QF:driver`), parsed strictly.

Telegram allows 1-64 bytes of callback data; anyone with a modified client can send any
bytes, so a press is only trusted after `parse` accepts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core import BUTTON_ACTIONS, BUTTON_ARGUMENT, CODE_ALPHABET, Button

MAX_CALLBACK_BYTES = 64
# Three buttons fit a phone's width with their labels readable.
BUTTONS_PER_ROW = 3
# One letter per action: the first letter of each, which are all different.
PREFIXES = {action: action[0] for action in BUTTON_ACTIONS}
ACTIONS = {prefix: action for action, prefix in PREFIXES.items()}
_DATA = re.compile(
    rf"^([{''.join(ACTIONS)}]):([{CODE_ALPHABET}]{{4,8}})(?::({BUTTON_ARGUMENT}))?$"
)


@dataclass(frozen=True)
class Press:
    action: str  # one of BUTTON_ACTIONS
    code: str
    argument: str = ""

    @property
    def command(self) -> str:
        return " ".join(part for part in (f"/{self.action}", self.code, self.argument) if part)


def callback_data(button: Button) -> str:
    data = f"{PREFIXES[button.action]}:{button.code}"
    if button.argument:
        data += f":{button.argument}"
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
    return Press(ACTIONS[match.group(1)], match.group(2), match.group(3) or "")


def keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    """Rows of buttons, or None (an edit without a keyboard removes the old one)."""
    if not buttons:
        return None
    row = [InlineKeyboardButton(b.label, callback_data=callback_data(b)) for b in buttons]
    return InlineKeyboardMarkup(
        [row[start : start + BUTTONS_PER_ROW] for start in range(0, len(row), BUTTONS_PER_ROW)]
    )
