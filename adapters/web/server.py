"""The web edge: each gathering's page, its calendar file, its community's page and feed, the
organiser's private page, and the live count, served by the bot process itself (aiohttp).

What a page shows comes from the core (`Gather.pages`: `gathering_page` and friends); this module only
routes, limits and lays out. No request ever sees a stack trace: trouble is a plain page.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from typing import Any

from aiohttp import web

from adapters.web import html, sheets
from adapters.web.calendar import calendar_file
from adapters.web.limits import RateLimiter
from adapters.web.live import LiveCounts
from core import Gather, gathering_code

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
GATHER_KEY = web.AppKey("gather", Gather)
HEADERS = {
    # Nothing but this server's own files: no inline script, no third-party anything.
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HEARTBEAT_SECONDS = 15.0
ADDRESSES_FOR_SECONDS = 30.0
_STATIC = {"page.css": "text/css", "live.js": "text/javascript"}


class WebServer:
    """The pages of one Gather, on `[web] listen` and `port` (0: any free port)."""

    def __init__(
        self,
        gather: Gather,
        *,
        requests_per_second: float = 5.0,
        burst: int = 60,
        poll_seconds: float = 0.5,
        max_live_pages: int = 5_000,
        threads: int = 4,
        extra_routes: list[web.RouteDef] | None = None,
    ) -> None:
        self.gather = gather
        self.extra_routes = extra_routes or []  # e.g. /healthz, /readyz, /metrics
        # Its own threads: a flood of page requests queues here, not in front of the bots.
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="web")
        self.limiter = RateLimiter(requests_per_second, burst)
        self.live = LiveCounts(
            gather, self.executor, poll_seconds=poll_seconds, max_watchers=max_live_pages
        )
        self._known_addresses: dict[str, str] | None = None
        self._addresses_read = 0.0
        self.base_url = ""  # where people reach the pages (`[web] public_url`, if set)
        self.address = ""  # where this server listens
        self._runner: web.AppRunner | None = None
        self._poller: asyncio.Task[None] | None = None
        self._static = {
            name: resources.files("adapters.web").joinpath("static", name).read_bytes()
            for name in _STATIC
        }

    def application(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app[GATHER_KEY] = self.gather
        app.on_response_prepare.append(_secure)
        app.router.add_get(r"/g/{code:[^/.]{1,40}}.ics", self.gathering_calendar)
        app.router.add_get(r"/g/{code:[^/.]{1,40}}/live", self.live_count)
        app.router.add_get(r"/g/{code:[^/.]{1,40}}", self.gathering_page)
        app.router.add_get(r"/c/{name:[^/]{1,200}}.ics", self.community_calendar)
        app.router.add_get(r"/c/{name:[^/]{1,200}}", self.community_page)
        app.router.add_get(r"/o/{token:[A-Za-z0-9_-]{1,100}}.csv", self.organiser_sheet)
        app.router.add_get(r"/o/{token:[A-Za-z0-9_-]{1,100}}", self.organiser_page)
        app.router.add_get(r"/static/{name}", self.static)
        app.add_routes(self.extra_routes)
        return app

    async def start(self) -> str:
        """Listen, and return the address people reach the pages at."""
        settings = self.gather.web_settings()
        self._runner = web.AppRunner(
            self.application(), access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, settings.listen, settings.port)
        await site.start()
        port = self._runner.addresses[0][1]
        self.address = f"http://{settings.listen}:{port}"
        self.base_url = settings.base_url(port)
        if not settings.public_url:
            self.gather.pages_served_at(self.base_url)
        log.info("pages at %s (listening on %s:%s)", self.base_url, settings.listen, port)
        self._poller = asyncio.create_task(self.live.run())
        return self.base_url

    async def stop(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
        if self._runner is not None:
            await self._runner.cleanup()
        self.executor.shutdown(wait=False, cancel_futures=True)

    async def serve(self) -> None:
        """Run until cancelled."""
        await self.start()
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()

    # Routes -----------------------------------------------------------------------------

    async def gathering_page(self, request: web.Request) -> web.StreamResponse:
        view = await self._read(self.gather.pages.gathering_page, request.match_info["code"])
        if view is None:
            return await self._not_found()
        addresses = await self._addresses()
        text = html.gathering(view, self._base(), addresses)
        return _html(text, cache="no-cache")

    async def gathering_calendar(self, request: web.Request) -> web.StreamResponse:
        view = await self._read(self.gather.pages.gathering_page, request.match_info["code"])
        if view is None:
            return await self._not_found()
        body = calendar_file([view], self._base(), view.title, single=True)
        return _calendar(body, f"{view.code}.ics")

    async def community_page(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        found = await self._read(self.gather.pages.community_page, name)
        if found is None:
            return await self._not_found()
        language, views = found
        return _html(html.community(name, language, views), cache="no-cache")

    async def community_calendar(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        found = await self._read(self.gather.pages.community_page, name)
        if found is None:
            return await self._not_found()
        series = await self._read(self.gather.pages.community_series, name)
        body = calendar_file(found[1], self._base(), name, single=False, series=series)
        return _calendar(body, "gatherings.ics")

    async def organiser_page(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        found = await self._read(self.gather.pages.organiser_page, token)
        if found is None:
            return await self._not_found()
        return _html(html.organiser(found, token), cache="no-store", noindex=True)

    async def organiser_sheet(self, request: web.Request) -> web.StreamResponse:
        found = await self._read(self.gather.pages.organiser_page, request.match_info["token"])
        if found is None:
            return await self._not_found()
        response = web.Response(
            text=sheets.organiser_csv(found), content_type="text/csv", charset="utf-8"
        )
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{found.gathering.code}.csv"'
        )
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response

    async def live_count(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: the count, each time it changes."""
        found = await self._read(self.gather.pages.count, request.match_info["code"])
        if found is None:
            return await self._not_found()
        code = gathering_code(request.match_info["code"]) or ""
        async with self.live.watch(code) as updates:
            if updates is None:  # too many open pages: the page still works, just not live
                return web.Response(status=503, text="busy", headers={"Retry-After": "30"})
            response = web.StreamResponse(
                headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"}
            )
            await response.prepare(request)
            await response.write(b"retry: 2000\n\n")
            with contextlib.suppress(ConnectionResetError, asyncio.CancelledError):
                while True:
                    try:
                        payload = await asyncio.wait_for(updates.get(), HEARTBEAT_SECONDS)
                    except TimeoutError:
                        await response.write(b": still here\n\n")
                        continue
                    await response.write(f"data: {payload}\n\n".encode())
            return response

    async def static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in self._static:
            return await self._not_found()
        return web.Response(
            body=self._static[name],
            content_type=_STATIC[name],
            charset="utf-8",
            headers={"Cache-Control": "public, max-age=3600"},
        )

    # Guard rails ------------------------------------------------------------------------

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        language = self.gather.pages.default_language()
        if not self.limiter.allow(request.remote or "?"):
            return _html(html.too_many(language), status=429, headers={"Retry-After": "10"})
        try:
            return await handler(request)
        except web.HTTPException as error:
            if error.status == 404:
                return await self._not_found()
            return web.Response(status=error.status, text=str(error.status))
        except (asyncio.CancelledError, ConnectionResetError):
            raise
        except Exception:
            log.exception("page %s failed", request.path)
            return _html(
                html.document(language, "500", f"<h1>{html.t(language, 'reply.trouble')}</h1>"),
                status=500,
            )

    async def _not_found(self) -> web.Response:
        # The same page for a code that never existed and one that is malformed.
        return _html(html.not_found(self.gather.pages.default_language()), status=404)

    async def _addresses(self) -> dict[str, str]:
        """The networks' own addresses for join links, read again at most every 30 seconds
        (they change when a bot is renamed, not per page)."""
        now = time.monotonic()
        if self._known_addresses is None or now - self._addresses_read > ADDRESSES_FOR_SECONDS:
            self._known_addresses = await self._read(self.gather.pages.join_addresses)
            self._addresses_read = now
        return self._known_addresses

    async def _read(self, work: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, work, *args)

    def _base(self) -> str:
        return self.gather.web_settings().base_url()


async def _secure(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)


def _html(
    text: str,
    *,
    status: int = 200,
    cache: str = "no-cache",
    noindex: bool = False,
    headers: dict[str, str] | None = None,
) -> web.Response:
    response = web.Response(
        text=text, status=status, content_type="text/html", charset="utf-8", headers=headers
    )
    response.headers["Cache-Control"] = cache
    if noindex:
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _calendar(body: bytes, filename: str) -> web.Response:
    response = web.Response(body=body, content_type="text/calendar", charset="utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-cache"
    return response
