"""Mastodon's streaming API (server-sent events) for the fake: connections per account, the
frames Mastodon's streaming server writes, and the faults a test can provoke on them."""

from __future__ import annotations

import asyncio

from aiohttp import web

from .mastodon_entities import Account


class StreamHub:
    """Open SSE connections per account, framed like Mastodon's streaming server:
    ``:)`` on connect, ``event: NAME`` / ``data: PAYLOAD`` / blank line, ``:thump`` comments."""

    def __init__(self, heartbeat_interval: float) -> None:
        self.heartbeat_interval = heartbeat_interval
        self.connections: list[StreamConnection] = []
        self.opened = 0

    def publish(self, account: Account, event: str, data: str) -> None:
        for connection in self.connections:
            if connection.account is not account or connection.silenced:
                continue
            if connection.only is None or event in connection.only:
                connection.queue.put_nowait((event, data))

    async def serve(self, request: web.Request, account: Account,
                    only: tuple[str, ...] | None = None) -> web.StreamResponse:
        response = web.StreamResponse(headers={
            "Content-Type": "text/event-stream", "Cache-Control": "private, no-store"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        connection = StreamConnection(account, request, only)
        self.connections.append(connection)
        self.opened += 1
        try:
            await response.write(b":)\n")
            while True:
                try:
                    item = await asyncio.wait_for(connection.queue.get(), self.heartbeat_interval)
                except TimeoutError:
                    if not connection.silenced:
                        await response.write(b":thump\n\n")
                    continue
                if item is None:
                    break
                event, data = item
                await response.write(f"event: {event}\ndata: {data}\n\n".encode())
        except ConnectionResetError:
            pass
        finally:
            self.connections.remove(connection)
        return response

    def silence(self) -> None:
        for connection in self.connections:
            connection.silenced = True

    def drop(self, abrupt: bool = False) -> None:
        for connection in list(self.connections):
            if abrupt and connection.request.transport is not None:
                connection.request.transport.close()
            connection.queue.put_nowait(None)


class StreamConnection:
    def __init__(self, account: Account, request: web.Request,
                 only: tuple[str, ...] | None) -> None:
        self.account = account
        self.only = only
        self.request = request
        self.queue: asyncio.Queue[tuple[str, str] | None] = asyncio.Queue()
        self.silenced = False
