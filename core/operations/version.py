"""Gather's version: written once, in pyproject.toml, and read from the installed metadata."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

CHAT_LIBRARIES = ("python-telegram-bot", "discord.py", "Mastodon.py", "SQLAlchemy", "aiohttp")


def gather_version() -> str:
    return installed("gather")


def installed(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def library_versions() -> dict[str, str]:
    return {name: installed(name) for name in CHAT_LIBRARIES}
