"""The newest migration's revision: what an upgraded database reports."""

from __future__ import annotations

from alembic.config import Config
from alembic.script import ScriptDirectory

from core.storage.db import MIGRATIONS


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head
