"""Messages as plain terminal text."""

from __future__ import annotations

from core import Message


def render(message: Message) -> str:
    lines = []
    for paragraph in message.paragraphs:
        parts = []
        for span in paragraph:
            text = "".join(ch if ch.isprintable() else " " for ch in span.text)
            if span.style == "link" and span.target:
                text = f"{text} <{span.target}>"
            parts.append(text)
        lines.append("".join(parts))
    if message.buttons:
        # A button is pressed here by typing what it says: an announcement's join and leave,
        # or each correction offered after a doubtful reading (/fix K7QF 20261205T0700).
        code = message.buttons[0].code
        joins = any(b.action == "join" for b in message.buttons)
        typed = f"/join {code}, /leave {code}" if joins else ", ".join(
            b.command for b in message.buttons
        )
        lines.append("  ".join(f"[ {b.label} ]" for b in message.buttons) + f"   ({typed})")
    return "\n".join(lines)
