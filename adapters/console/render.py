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
        # what to type instead of pressing: "/join K7QF driver" for a role's button
        typed = [b.command for b in message.buttons if b.action in ("join", "leave")]
        lines.append(
            "  ".join(f"[ {b.label} ]" for b in message.buttons) + f"   ({', '.join(typed)})"
        )
    return "\n".join(lines)
