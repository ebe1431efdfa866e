"""Gateway sessions of the fake Discord and the dispatch of events to them.

Kept apart from the websocket handling (discord_gateway.py) so that the fake's state
(discord_world.py) can dispatch events without knowing about sockets.
"""

from __future__ import annotations

import asyncio
import json
import zlib
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiohttp import web

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE, RESUME, RECONNECT, MEMBERS = 0, 1, 2, 3, 4, 6, 7, 8
INVALID_SESSION, HELLO, HEARTBEAT_ACK = 9, 10, 11
ALWAYS = -1  # dispatches that need no intent (READY, INTERACTION_CREATE, ...)


class Dispatch(Protocol):
    """Send event ``event`` with ``data`` to the sessions whose intents include ``intent``."""

    def __call__(self, event: str, data: dict[str, Any], *, intent: int = ALWAYS) -> None: ...


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


class Sessions:
    """Every gateway session, live or waiting to be resumed."""

    def __init__(self) -> None:
        self.by_id: dict[str, GatewaySession] = {}

    def dispatch(self, event: str, data: dict[str, Any], *, intent: int = ALWAYS) -> None:
        """Queue a dispatch (op 0) for every valid session whose intents include ``intent``
        (a bit number). Sessions that are disconnected keep it for RESUME."""
        for session in list(self.by_id.values()):
            if not session.valid or (intent != ALWAYS and not session.intents >> intent & 1):
                continue
            session.seq += 1
            frame = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
            session.events.append(frame)
            if session.conn is not None:
                session.conn.send(frame)

    def live(self) -> list[GatewaySession]:
        return [s for s in self.by_id.values() if s.valid and s.conn is not None]
