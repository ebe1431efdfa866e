"""The organiser's list as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from core import OrganiserView, network_name, page_words

# A cell starting with one of these is a formula to a spreadsheet: a name like "=HYPERLINK(…)"
# would run. A leading apostrophe makes it text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def organiser_csv(found: OrganiserView) -> str:
    view = found.gathering
    lang = view.language
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            page_words(lang, key)
            for key in (
                "web.column_name",
                "web.column_network",
                "web.column_guests",
                "web.column_state",
                "web.column_since",
            )
        ]
    )
    zone = ZoneInfo(view.time_zone)
    for p in found.pledgers:
        network = network_name(p.network)
        writer.writerow(
            [
                _cell(p.name or page_words(lang, "web.someone", network=network)),
                network,
                p.guests,
                page_words(lang, "web.going" if p.state == "going" else "web.waitlisted"),
                p.since.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return out.getvalue()


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
