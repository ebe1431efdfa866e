"""The fake servers the fault tests run against: the same fixtures as each network's tests."""

from tests.discord.conftest import dc, world

__all__ = ["dc", "world"]
