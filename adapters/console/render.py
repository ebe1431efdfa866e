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
    if any(b.argument for b in message.buttons):
        # Answers ("Still coming?"): each button with the command it stands for.
        lines.append("  ".join(f"[ {b.label} ] {b.command}" for b in message.buttons))
    elif message.buttons:
        code = message.buttons[0].code
        lines.append(
            "  ".join(f"[ {b.label} ]" for b in message.buttons)
            + f"   (/join {code}, /leave {code})"
        )
    return "\n".join(lines)
