"""The gateway (websocket) of the fake Discord: HELLO, IDENTIFY, RESUME, heartbeats, and
the connection faults a test can provoke. Dispatching events is discord_sessions.py's."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from aiohttp import WSMsgType, web

from .discord_models import snowflake
from .discord_sessions import (
    DISPATCH,
    HEARTBEAT,
    HEARTBEAT_ACK,
    HELLO,
    IDENTIFY,
    INVALID_SESSION,
    RECONNECT,
    RESUME,
    GatewayConnection,
    GatewaySession,
    Sessions,
)
from .discord_world import DiscordWorld


class Gateway:
    """Websocket connections to the fake gateway, and counts of what clients did on them."""

    def __init__(self, world: DiscordWorld, sessions: Sessions, token: str, *,
                 heartbeat_interval: int, url: Callable[[], str],
                 notify: Callable[[], None]) -> None:
        self.world = world
        self.sessions = sessions
        self.token = token
        self.heartbeat_interval = heartbeat_interval
        self.url = url
        self.notify = notify
        self.connections: list[GatewayConnection] = []
        self.identify_count = 0
        self.resume_count = 0
        self.gateway_connects = 0
        self.gateway_queries: list[dict[str, str]] = []  # query string of every connection

    # ---------------------------------------------------------------- faults
    async def drop(self, code: int | None = None) -> None:
        """Kill every gateway connection. With ``code=None`` the TCP connection is cut
        without a close frame (abnormal closure, 1006); otherwise a close frame with ``code``
        is sent (4000-4009 are resumable for discord.py). Sessions stay resumable."""
        for conn in list(self.connections):
            if conn.session is not None:
                conn.session.conn = None
            if code is None:
                transport = conn.request.transport
                if transport is not None:
                    transport.abort()
            else:
                conn.queue.put_nowait(None)
                await conn.ws.close(code=code, message=b"fake drop")

    async def invalidate_session(self, resumable: bool = False) -> None:
        """Send op 9 (INVALID_SESSION, d=resumable) on every live connection."""
        for conn in list(self.connections):
            if conn.session is not None and not resumable:
                conn.session.valid = False
                conn.session.conn = None
            conn.send({"op": INVALID_SESSION, "d": resumable})

    async def request_reconnect(self) -> None:
        """Send op 7 (RECONNECT): the client closes and resumes."""
        for conn in list(self.connections):
            conn.send({"op": RECONNECT, "d": None})

    # ---------------------------------------------------------------- internals
    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.gateway_connects += 1
        self.gateway_queries.append(dict(request.query))
        compress = request.query.get("compress")
        conn = GatewayConnection(ws, request, compress if compress == "zlib-stream" else None)
        self.connections.append(conn)
        writer = asyncio.get_running_loop().create_task(conn.writer())
        try:
            conn.send({"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval},
                             "s": None, "t": None})
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                conn.received.append(payload)
                await self._on_gateway_message(conn, payload)
                self.notify()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            conn.queue.put_nowait(None)
            await writer
            self.connections.remove(conn)
            if conn.session is not None and conn.session.conn is conn:
                conn.session.conn = None
            self.notify()
        return ws

    async def _on_gateway_message(self, conn: GatewayConnection,
                                  payload: dict[str, Any]) -> None:
        op = payload.get("op")
        d: dict[str, Any] = payload.get("d") or {}
        if op == HEARTBEAT:
            conn.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            await self._identify(conn, d)
        elif op == RESUME:
            self._resume(conn, d)

    async def _identify(self, conn: GatewayConnection, d: dict[str, Any]) -> None:
        if d.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        self.identify_count += 1
        session = GatewaySession(f"{snowflake():x}", int(d.get("intents", 0)))
        self.sessions.by_id[session.session_id] = session
        session.conn = conn
        conn.session = session
        self.sessions.dispatch("READY", self._ready_payload(session, d))
        for guild in self.world.guilds.values():
            self.sessions.dispatch("GUILD_CREATE", guild.payload(), intent=0)

    def _resume(self, conn: GatewayConnection, d: dict[str, Any]) -> None:
        session = self.sessions.by_id.get(d.get("session_id", ""))
        if session is None or not session.valid or d.get("token") != self.token:
            conn.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        self.resume_count += 1
        if session.conn is not None and session.conn is not conn:
            session.conn.session = None
        session.conn = conn
        conn.session = session
        last = d.get("seq") or 0
        for frame in session.events:
            if frame["s"] > last:
                conn.send(frame)
        session.seq += 1
        frame = {"op": DISPATCH, "t": "RESUMED", "s": session.seq,
                 "d": {"_trace": ["fake-discord"]}}
        session.events.append(frame)
        conn.send(frame)

    def _ready_payload(self, session: GatewaySession, identify: dict[str, Any]
                       ) -> dict[str, Any]:
        return {
            "v": 10, "user": {**self.world.bot_user.payload(), "verified": True,
                              "mfa_enabled": False},
            "guilds": [{"id": str(g), "unavailable": True} for g in self.world.guilds],
            "session_id": session.session_id, "session_type": "normal",
            "resume_gateway_url": self.url(), "shard": identify.get("shard", [0, 1]),
            "application": {"id": str(self.world.application_id), "flags": 0},
            "private_channels": [], "presences": [], "relationships": [],
            "guild_join_requests": [], "user_settings": {}, "geo_ordered_rtc_regions": [],
            "_trace": ["fake-discord"],
        }

    async def close_all(self) -> None:
        """The server is shutting down: close every connection with 1001."""
        for conn in list(self.connections):
            conn.queue.put_nowait(None)
            await conn.ws.close(code=1001, message=b"server shutting down")
