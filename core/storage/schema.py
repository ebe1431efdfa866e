"""The whole schema: the domain's tables and those of running the bots, in one metadata.

Importing a model module registers its tables on `Base.metadata`; this module imports them
all, so migrations and tests that walk every table see every one of them.
"""

from __future__ import annotations

from sqlalchemy import MetaData

from core.storage import models, reports, running, series, traffic

__all__ = ["metadata", "models", "reports", "running", "series", "traffic"]

metadata: MetaData = models.Base.metadata
