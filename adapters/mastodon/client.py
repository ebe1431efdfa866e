"""Mastodon.py calls, off the event loop, each booked against the account's request budget."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

from adapters.mastodon.budget import Budget, Priority
from adapters.mastodon.settings import MastodonSettings

log = logging.getLogger(__name__)
T = TypeVar("T")


class OverBudget(Exception):
    """No request slot within the wait the caller accepts."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"request budget: next slot in {wait:.1f}s")
        self.wait = wait


def make_client(settings: MastodonSettings, token: str) -> Mastodon:
    # "throw": Mastodon.py must never sleep minutes inside a worker thread; we pace ourselves.
    return Mastodon(
        access_token=token,
        api_base_url=settings.api_base_url,
        ratelimit_method="throw",
        request_timeout=settings.request_timeout,
        user_agent="Gather (community gatherings bot)",
    )


def status_code(error: BaseException) -> int | None:
    if isinstance(error, MastodonAPIError) and len(error.args) > 1:
        try:
            return int(error.args[1])
        except (TypeError, ValueError):
            return None
    return None


def describe(error: BaseException) -> str:
    """For logs: the error's class and HTTP status, never the request (which holds no token,
    but may hold people's text)."""
    code = status_code(error)
    return f"{type(error).__name__}" + (f" (HTTP {code})" if code else "")


class Api:
    def __init__(self, settings: MastodonSettings, token: str) -> None:
        self.settings = settings
        self.token = token
        self.client = make_client(settings, token)
        self.requests = Budget(settings.rate_limit, settings.rate_window_seconds, margin=5)
        self.posts = Budget(settings.post_limit, settings.post_window_seconds, margin=5)

    async def call(
        self,
        priority: Priority,
        function: Callable[..., T],
        *args: Any,
        max_wait: float | None = None,
        post: bool = False,
        **kwargs: Any,
    ) -> T:
        """Run `function(*args, **kwargs)` in a thread once the budget allows. A 429 pauses
        the whole budget until the server's reset and is raised as MastodonRatelimitError."""
        if post:
            wait = self.posts.wait_needed(priority)
            if wait > 0 and (max_wait is None or wait > max_wait):
                raise OverBudget(wait)
        if not await self.requests.take(priority, max_wait=max_wait):
            raise OverBudget(self.requests.wait_needed(priority))
        if post:
            self.posts.try_take(priority)
        try:
            result = await asyncio.to_thread(function, *args, **kwargs)
        except MastodonRatelimitError:
            paused = self.requests.pause_until_wall(self._reset())
            log.warning("mastodon: rate limited (429); pausing requests for %.0fs", paused)
            raise
        except MastodonAPIError as error:
            if status_code(error) == 429:
                self.requests.pause_until_wall(self._reset())
            raise
        limit = getattr(self.client, "ratelimit_limit", None)
        self.requests.observe(
            self._remaining(), self._reset(), int(limit) if isinstance(limit, int) else None
        )
        return result

    def _remaining(self) -> int | None:
        value = getattr(self.client, "ratelimit_remaining", None)
        return int(value) if isinstance(value, int | float) else None

    def _reset(self) -> float | None:
        value = getattr(self.client, "ratelimit_reset", None)
        return float(value) if isinstance(value, int | float) else None

    async def pages(self, priority: Priority, first: Callable[[], Any]) -> list[Any]:
        """Every item of a paginated listing (Link: next), one budgeted request per page."""
        page = await self.call(priority, first)
        items: list[Any] = []
        while page:
            items.extend(page)
            page = await self.call(priority, self.client.fetch_next, page)
        return items

    def close(self) -> None:
        self.client.session.close()


def is_transient(error: BaseException) -> bool:
    return isinstance(error, MastodonNetworkError | MastodonServerError | MastodonRatelimitError)


__all__ = [
    "Api",
    "MastodonNotFoundError",
    "MastodonUnauthorizedError",
    "OverBudget",
    "describe",
    "is_transient",
    "status_code",
]
