"""Gateway (websocket) half of the fake Discord server."""

from __future__ import annotations

import asyncio
import json
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from .discord_models import snowflake

if TYPE_CHECKING:
    from .discord_server import FakeDiscord

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE, RESUME, RECONNECT, MEMBERS = 0, 1, 2, 3, 4, 6, 7, 8
INVALID_SESSION, HELLO, HEARTBEAT_ACK = 9, 10, 11
ALWAYS = -1  # dispatches that need no intent (READY, INTERACTION_CREATE, ...)


@dataclass
class GatewaySession:
    session_id: str
    intents: int
    seq: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)  # every dispatch, for RESUME
    conn: GatewayConnection | None = None
    valid: bool = True


@dataclass
class GatewayConnection:
    ws: web.WebSocketResponse
    request: web.Request
    compress: str | None
    session: GatewaySession | None = None
    received: list[dict[str, Any]] = field(default_factory=list)
    queue: asyncio.Queue[dict[str, Any] | None] = field(default_factory=asyncio.Queue)

    def send(self, payload: dict[str, Any]) -> None:
        """Frames go out strictly in the order they were queued (one writer per socket)."""
        self.queue.put_nowait(payload)

    async def writer(self) -> None:
        zctx = zlib.compressobj() if self.compress == "zlib-stream" else None
        while (payload := await self.queue.get()) is not None:
            if self.ws.closed:
                return
            text = json.dumps(payload)
            try:
                if zctx is not None:
                    data = zctx.compress(text.encode()) + zctx.flush(zlib.Z_SYNC_FLUSH)
                    await self.ws.send_bytes(data)
                else:
                    await self.ws.send_str(text)
            except (ConnectionError, RuntimeError):
                return


class GatewayMixin:
    """Gateway sessions, dispatch and connection faults. Mixed into FakeDiscord."""

    def _gateway_init(self: FakeDiscord, heartbeat_interval: int) -> None:
        self.heartbeat_interval = heartbeat_interval
        self.sessions: dict[str, GatewaySession] = {}
        self.connections: list[GatewayConnection] = []
        self.identify_count = 0
        self.resume_count = 0
        self.gateway_connects = 0
        self.gateway_queries: list[dict[str, str]] = []  # query string of every connection

    # ---------------------------------------------------------------- public API
    def dispatch(self: FakeDiscord, event: str, data: dict[str, Any], *, intent: int = ALWAYS
                 ) -> None:
        """Queue a dispatch (op 0) for every valid session whose intents include ``intent``
        (a bit number). Sessions that are disconnected keep it for RESUME."""
        for session in list(self.sessions.values()):
            if not session.valid or (intent != ALWAYS and not session.intents >> intent & 1):
                continue
            session.seq += 1
            frame = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
            session.events.append(frame)
            if session.conn is not None:
                session.conn.send(frame)

    async def drop_gateway(self: FakeDiscord, code: int | None = None) -> None:
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

    async def invalidate_session(self: FakeDiscord, resumable: bool = False) -> None:
        """Send op 9 (INVALID_SESSION, d=resumable) on every live connection."""
        for conn in list(self.connections):
            if conn.session is not None and not resumable:
                conn.session.valid = False
                conn.session.conn = None
            conn.send({"op": INVALID_SESSION, "d": resumable})

    async def request_reconnect(self: FakeDiscord) -> None:
        """Send op 7 (RECONNECT): the client closes and resumes."""
        for conn in list(self.connections):
            conn.send({"op": RECONNECT, "d": None})

    def live_sessions(self: FakeDiscord) -> list[GatewaySession]:
        return [s for s in self.sessions.values() if s.valid and s.conn is not None]

    # ---------------------------------------------------------------- internals
    async def _handle_gateway(self: FakeDiscord, request: web.Request) -> web.StreamResponse:
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
                self._notify()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            conn.queue.put_nowait(None)
            await writer
            self.connections.remove(conn)
            if conn.session is not None and conn.session.conn is conn:
                conn.session.conn = None
            self._notify()
        return ws

    async def _on_gateway_message(self: FakeDiscord, conn: GatewayConnection,
                                  payload: dict[str, Any]) -> None:
        op, d = payload.get("op"), payload.get("d")
        if op == HEARTBEAT:
            conn.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            if d.get("token") != self.token:
                await conn.ws.close(code=4004, message=b"Authentication failed.")
                return
            self.identify_count += 1
            session = GatewaySession(f"{snowflake():x}", int(d.get("intents", 0)))
            self.sessions[session.session_id] = session
            session.conn = conn
            conn.session = session
            self.dispatch("READY", self._ready_payload(session, d))
            for guild in self.guilds.values():
                self.dispatch("GUILD_CREATE", guild.payload(), intent=0)
        elif op == RESUME:
            session = self.sessions.get(d.get("session_id", ""))
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

    def _ready_payload(self: FakeDiscord, session: GatewaySession, identify: dict[str, Any]
                       ) -> dict[str, Any]:
        return {
            "v": 10, "user": {**self.bot_user.payload(), "verified": True,
                              "mfa_enabled": False},
            "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
            "session_id": session.session_id, "session_type": "normal",
            "resume_gateway_url": self.gateway_url, "shard": identify.get("shard", [0, 1]),
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [], "presences": [], "relationships": [],
            "guild_join_requests": [], "user_settings": {}, "geo_ordered_rtc_regions": [],
            "_trace": ["fake-discord"],
        }
