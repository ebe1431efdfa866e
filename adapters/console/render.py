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
        # A button is pressed here by typing what it says: an announcement's joins (a role's:
        # "/join K7QF driver") and leave, a correction after a doubtful reading, an answer to
        # "Still coming?" (/still K7QF yes). "+1 guest" is /join K7QF +1, said in /help.
        typed = ", ".join(b.command for b in message.buttons if b.action != "guest")
        lines.append("  ".join(f"[ {b.label} ]" for b in message.buttons) + f"   ({typed})")
    return "\n".join(lines)
