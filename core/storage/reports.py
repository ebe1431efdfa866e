"""What gatherings achieved, as their organisers reported it (issue 17, "what it achieved").

One row per gathering, written by /report or by answering the "how did it go?" DM, and
replaced by a later report. It holds figures only, never the text the organiser wrote.
`reported_by` is the person who reported; /forget clears it, and the figures stay, as
anonymous totals (nobody's name is ever shown with them).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.models import Base


class ImpactReport(Base):
    __tablename__ = "impact_reports"

    gathering_id: Mapped[int] = mapped_column(
        ForeignKey("gatherings.id", ondelete="CASCADE"), primary_key=True
    )
    # None: the report did not say; the pledged count stands in for it.
    people: Mapped[int | None] = mapped_column(Integer, default=None)
    # JSON list of [noun as written, count]: [["bags", 32], ["shopping trolley", 1]].
    things: Mapped[str] = mapped_column(Text, default="[]")
    reported_by: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None, index=True
    )
    reported_at: Mapped[datetime]
