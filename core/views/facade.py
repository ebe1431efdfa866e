"""The web pages' questions to the core, as one part of the facade (`Gather.pages`).

Each answer is read in one read-only transaction, in the language of the gathering's
community, on the core's clock.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from core.clock import Clock
from core.config import Settings
from core.rules.rooms import community_language
from core.storage.db import Database
from core.views import organiser_pages, pages, series_pages
from core.views.organiser_pages import OrganiserView
from core.views.pages import Count, GatheringView
from core.views.series_pages import SeriesView


class Pages:
    """What `adapters/web` asks: a gathering's page, a community's, the organiser's, counts."""

    def __init__(self, settings: Callable[[], Settings], database: Database, clock: Clock) -> None:
        # Settings are read at each call: the pages' address is known only once they listen.
        self._settings = settings
        self._database = database
        self._clock = clock

    def default_language(self) -> str:
        return self._settings().languages[0]

    def gathering_page(self, code: str) -> GatheringView | None:
        """The gathering with this code as its page shows it; None if there is none."""

        def work(session: Session) -> GatheringView | None:
            gathering = pages.find(session, code)
            if gathering is None:
                return None
            language = community_language(self._settings(), gathering.community)
            return pages.view(session, gathering, language, self._clock.now())

        return self._database.read(work)

    def community_page(self, name: str) -> tuple[str, list[GatheringView]] | None:
        """(language, coming gatherings) of a configured community; None if there is none."""
        if self._settings().community_named(name) is None:
            return None
        language = community_language(self._settings(), name)
        now = self._clock.now()
        return language, self._database.read(
            lambda s: [pages.view(s, g, language, now) for g in pages.upcoming(s, name, now)]
        )

    def community_series(self, name: str) -> list[SeriesView]:
        """The community's series, each once, for its calendar feed (recurring events)."""
        now = self._clock.now()
        return self._database.read(lambda s: series_pages.community_series(s, name, now))

    def organiser_page(self, token: str) -> OrganiserView | None:
        """The organiser's view for a live token; None for an unknown or revoked one."""

        def work(session: Session) -> OrganiserView | None:
            gathering = organiser_pages.gathering_for_token(session, token)
            if gathering is None:
                return None
            language = community_language(self._settings(), gathering.community)
            view = pages.view(session, gathering, language, self._clock.now())
            return OrganiserView(view, organiser_pages.pledgers(session, gathering))

        return self._database.read(work)

    def live_counts(self, codes: list[str]) -> dict[str, tuple[int, int, str]]:
        """code -> (headcount, version, status): what a page server polls to push changes."""
        return self._database.read(lambda s: pages.live(s, codes))

    def count(self, code: str) -> tuple[str, Count] | None:
        """(page language, live count) of a gathering; None if there is none."""

        def work(session: Session) -> tuple[str, Count] | None:
            gathering = pages.find(session, code)
            if gathering is None:
                return None
            language = community_language(self._settings(), gathering.community)
            return language, pages.count_of(session, gathering)

        return self._database.read(work)

    def remember_address(self, network: str, value: str) -> None:
        """A network's own address for join links (the Telegram bot's username)."""
        self._database.transact(
            lambda s: pages.remember_address(s, network, value, self._clock.now())
        )

    def join_addresses(self) -> dict[str, str]:
        return self._database.read(pages.addresses)
