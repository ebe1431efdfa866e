"""Platform-neutral messages: plain text with light, explicit structure.

The core says *what* to say; each adapter decides how it looks on its network and escapes
every span of user text on the way out. Nothing here is markup.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

SpanStyle = Literal["plain", "strong", "code", "link", "mention", "user"]
# The command a press runs: `/<action> <code> [<argument>]`. "still" answers a still-coming
# check (argument yes/no); "fix" takes one of the readings offered after a doubtful parse.
ButtonAction = Literal["join", "leave", "guest", "still", "fix"]
BUTTON_ACTIONS: tuple[ButtonAction, ...] = ("join", "leave", "guest", "still", "fix")
# A button's argument (a role, an answer, a reading): a short word, so that every network can
# carry it in its button data (Telegram: 64 bytes with the action and code).
BUTTON_ARGUMENT = r"[\w.+-]{1,32}"


@dataclass(frozen=True)
class Span:
    """A run of text. `user` spans came from people and must be escaped and de-fanged."""

    text: str
    style: SpanStyle = "plain"
    # For links: the address. For mentions: "network:native id" of the person mentioned.
    target: str | None = None


@dataclass(frozen=True)
class Button:
    action: ButtonAction
    code: str
    label: str
    # Said after the code when pressed (a role, "yes"/"no", a reading); "" for none.
    argument: str = ""

    @property
    def command(self) -> str:
        """What pressing it says, as if typed: `/join K7QF driver`."""
        return " ".join(part for part in (f"/{self.action}", self.code, self.argument) if part)


@dataclass(frozen=True)
class Message:
    """Paragraphs of spans, plus the buttons that belong to a gathering announcement."""

    paragraphs: tuple[tuple[Span, ...], ...]
    buttons: tuple[Button, ...] = ()

    def plain(self) -> str:
        """The text as a person would read it with no formatting at all."""
        return "\n".join("".join(span.text for span in paragraph) for paragraph in self.paragraphs)

    def to_json(self) -> str:
        return json.dumps(
            {
                "paragraphs": [
                    [[span.text, span.style, span.target] for span in paragraph]
                    for paragraph in self.paragraphs
                ],
                "buttons": [[b.action, b.code, b.label, b.argument] for b in self.buttons],
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Message:
        data: dict[str, Any] = json.loads(text)
        return cls(
            paragraphs=tuple(
                tuple(Span(t, s, target) for t, s, target in paragraph)
                for paragraph in data["paragraphs"]
            ),
            buttons=tuple(Button(*fields) for fields in data.get("buttons", [])),
        )


@dataclass
class MessageBuilder:
    """Builds a Message line by line: `b.line("Hello ", b.user(name))`."""

    _paragraphs: list[tuple[Span, ...]] = field(default_factory=list)
    _buttons: list[Button] = field(default_factory=list)

    def line(self, *parts: str | Span) -> MessageBuilder:
        self._paragraphs.append(
            tuple(part if isinstance(part, Span) else Span(part) for part in parts if part)
        )
        return self

    def button(
        self, action: ButtonAction, code: str, label: str, argument: str = ""
    ) -> MessageBuilder:
        self._buttons.append(Button(action, code, label, argument))
        return self

    def build(self) -> Message:
        return Message(tuple(self._paragraphs), tuple(self._buttons))


def strong(text: str) -> Span:
    return Span(text, "strong")


def code(text: str) -> Span:
    return Span(text, "code")


def user(text: str) -> Span:
    return Span(text, "user")


def link(label: str, url: str) -> Span:
    return Span(label, "link", url)


def text_message(*lines: str | Span | tuple[str | Span, ...]) -> Message:
    builder = MessageBuilder()
    for item in lines:
        if isinstance(item, tuple):
            builder.line(*item)
        else:
            builder.line(item)
    return builder.build()
