from __future__ import annotations

from tests.telegram.conftest import tg

__all__ = ["tg"]
