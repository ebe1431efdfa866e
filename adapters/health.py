"""/healthz, /readyz and /metrics over HTTP, for systemd, load balancers and Prometheus.

`routes()` can be added to any aiohttp application (the web page server mounts them too);
`serve()` runs them on their own listen address (bots.toml `[metrics] listen`, 127.0.0.1 by
default, so nothing is exposed beyond this machine unless asked).
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from adapters.runtime.inbound import process_name
from core import Gather

log = logging.getLogger(__name__)

# Networks with no receiver to watch (the console reads a terminal).
UNWATCHED = ("console",)


def routes(gather: Gather, networks: list[str]) -> list[web.RouteDef]:
    """The three endpoints for the networks this process receives."""
    watched = [network for network in networks if network not in UNWATCHED]
    process = process_name()

    async def healthz(_request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(_request: web.Request) -> web.Response:
        operations = gather.operations
        if not await asyncio.to_thread(operations.database_answers):
            return web.Response(status=503, text="the database does not answer\n")
        connected = await asyncio.to_thread(operations.connected, process, watched)
        missing = [network for network in watched if network not in connected]
        if missing:
            return web.Response(status=503, text=f"not connected: {', '.join(missing)}\n")
        return web.Response(text="ready\n")

    async def metrics(_request: web.Request) -> web.Response:
        body = await asyncio.to_thread(gather.operations.metrics.exposition)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    return [web.get("/healthz", healthz), web.get("/readyz", readyz), web.get("/metrics", metrics)]


async def serve(gather: Gather, listen: str, networks: list[str]) -> None:
    """Serve the endpoints at `listen` (host:port) until cancelled. A port already taken
    (a second process on this machine) is logged, not fatal: the bots matter more."""
    host, _, port = listen.rpartition(":")
    app = web.Application()
    app.add_routes(routes(gather, networks))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host.strip("[]"), int(port))
        try:
            await site.start()
        except OSError as error:
            log.warning("health and metrics not served on %s: %s", listen, error)
            await asyncio.Event().wait()
        log.info("health and metrics on http://%s/metrics", listen)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
