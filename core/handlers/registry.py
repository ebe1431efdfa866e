"""Which handler answers which command word: the table `Gather.handle` dispatches on.

Apart from `core.app` so the facade holds the transaction and the word list lives with the
handlers it names.
"""

from __future__ import annotations

from collections.abc import Callable

from core.contract.commands import Context, Reply, help_message
from core.handlers import (
    accounts,
    attendance,
    corrections,
    editing,
    gatherings,
    impact,
    listing,
    organiser,
    series,
    series_edits,
    still_coming,
    telling,
)

Handler = Callable[[Context], Reply]
HANDLERS: dict[str, Handler] = {
    "gather": lambda ctx: gatherings.gather(ctx, repeating=series.start),
    "join": series.or_gathering(series.join, attendance.join),
    "leave": series.or_gathering(series.leave, attendance.leave),
    "list": listing.upcoming,
    "who": attendance.who,
    "show": attendance.who,
    "edit": editing.rate_limited(series.or_gathering(series_edits.edit, editing.edit)),
    "cancel": editing.rate_limited(series.or_gathering(series.cancel, editing.cancel)),
    # A correction button after a doubtful reading: `/fix K7QF 20261205T0700`.
    "fix": editing.rate_limited(corrections.fix),
    "link": accounts.link,
    "forget": accounts.forget,
    "settings": accounts.settings,
    "start": accounts.start,
    "organiser": organiser.organiser,
    "tell": telling.tell,
    "report": impact.report,
    "impact": impact.impact_of,
    # The answer to "Still coming?" (its buttons, or a Mastodon reply): /still CODE yes|no.
    "still": still_coming.still,
    "help": lambda ctx: Reply(help_message(ctx.language)),
    # The "+1 guest" button: one more friend than the person already brings.
    "guest": lambda ctx: attendance.join(ctx, add_guest=True),
}
