"""The fake servers the fault tests run against: the same fixtures as each network's tests."""

from tests.discord.conftest import dc, world
from tests.telegram.conftest import tg

__all__ = ["dc", "tg", "world"]
