"""One way to validate a network's section of bots.toml: its keys declared once, every
problem listed in one go (never the secret itself), defaults filled in for the adapter.

A section is checked at start-up, before any network is built (`adapters.networks.problems`);
each adapter then gets only its own section, with the defaults filled in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
Kind = Literal["env", "url", "bool", "number", "integer", "choice", "text"]


@dataclass(frozen=True)
class Key:
    """One setting: its kind, its default, and what values it takes."""

    kind: Kind
    default: Any = None
    minimum: float | None = None  # numbers: at least this
    positive: bool = False  # numbers: above zero
    maximum: float | None = None
    schemes: tuple[str, ...] = ("http", "https")  # URLs
    choices: tuple[str, ...] = ()
    required: str = ""  # when required: an example value, for the message
    strip_slash: bool = False  # URLs: the adapter appends paths to it

    def problem(self, value: Any) -> str | None:
        """What is wrong with `value` (a phrase after the key's name), or None."""
        if self.kind == "env":
            ok = isinstance(value, str) and ENV_NAME.match(value) is not None
            return None if ok else f"must name an environment variable, got {value!r}"
        if self.kind == "url":
            parts = urlsplit(value) if isinstance(value, str) else None
            if parts is None or parts.scheme not in self.schemes or not parts.netloc:
                return f"must be a {' or '.join(self.schemes)} URL, got {value!r}"
            return None
        if self.kind == "bool":
            return None if isinstance(value, bool) else f"must be true or false, got {value!r}"
        if self.kind == "choice":
            options = " or ".join(repr(choice) for choice in self.choices)
            return None if value in self.choices else f"must be {options}, got {value!r}"
        if self.kind == "text":
            ok = isinstance(value, str) and bool(value)
            return None if ok else f"must be a non-empty text, got {value!r}"
        return self._number_problem(value)

    def _number_problem(self, value: Any) -> str | None:
        whole = self.kind == "integer"
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (whole and not isinstance(value, int))
        ):
            what = "a whole number" if whole else "a number"
            return f"must be {what}, got {value!r}"
        number = float(value)
        if self.positive and number <= 0:
            return f"must be above 0, got {value!r}"
        if self.minimum is not None and number < self.minimum:
            return f"must be at least {self.minimum:g}, got {value!r}"
        if self.maximum is not None and number > self.maximum:
            return f"must be at most {self.maximum:g}, got {value!r}"
        return None

    def load(self, value: Any) -> Any:
        if self.kind == "number":
            return float(value)
        if self.kind == "url" and self.strip_slash:
            return str(value).rstrip("/")
        return value


@dataclass(frozen=True)
class Section:
    """A network's section: its keys, and the environment variable holding its secret.

    `default_token_env` is None for a network with no secret (the console): it starts when
    its section says `enabled = true`. `rules` checks what involves several keys at once.
    """

    network: str
    keys: Mapping[str, Key]
    default_token_env: str | None = None
    rules: Callable[[Mapping[str, Any], Mapping[str, str]], list[str]] = field(
        default=lambda section, environ: []
    )

    def problems(self, section: Mapping[str, Any], environ: Mapping[str, str]) -> list[str]:
        """Every problem with the section, one line each, each naming the key."""
        name = self.network
        found = [
            f"[{name}] unknown setting {key!r}" for key in sorted(set(section) - set(self.keys))
        ]
        for key, declared in self.keys.items():
            if key not in section:
                if declared.required:
                    found.append(f"[{name}] {key} is required, e.g. {declared.required}")
                continue
            if (problem := declared.problem(section[key])) is not None:
                found.append(f"[{name}] {key} {problem}")
        return found + self.rules(section, environ)

    def values(self, section: Mapping[str, Any]) -> dict[str, Any]:
        """Every key's value, the default where it is not set (of a section without problems)."""
        return {
            key: declared.load(section[key]) if key in section else declared.default
            for key, declared in self.keys.items()
        }

    def token_env(self, section: Mapping[str, Any]) -> str:
        name = section.get("token_env", self.default_token_env)
        return name if isinstance(name, str) else ""

    def secret(self, section: Mapping[str, Any], environ: Mapping[str, str]) -> str:
        """The token held by the environment variable the section names, or ""."""
        name = self.token_env(section)
        return environ.get(name, "").strip() if name else ""

    def startable(self, section: Mapping[str, Any], environ: Mapping[str, str]) -> bool:
        """Whether the network can start: its secret is set (or, with none, it is enabled)."""
        if self.default_token_env is None:
            return bool(section.get("enabled", False))
        return bool(self.secret(section, environ))
