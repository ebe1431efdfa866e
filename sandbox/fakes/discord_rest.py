"""The REST pipeline of the fake Discord: routing, auth, faults and rate limits.

Every request below /api/v10 is recorded, then answered by a queued fault, refused (401,
404, 429 with Discord's headers and body), or passed to the route's handler. The handlers
live with their resources (discord_resources.py, discord_guilds.py, discord_interactions.py).
"""

from __future__ import annotations

import collections
import hashlib
import json
import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .discord_models import DiscordError, RecordedRequest, json_response
from .server import CannedReply, Faults

Handler = Callable[[web.Request, dict[str, str], Any], Awaitable[web.StreamResponse]]
MESSAGE_SEND = "POST /channels/{channel_id}/messages"
# Discord keys interaction follow-ups by their token too (as discord.py's Route does).
MAJOR_PARAMS = ("channel_id", "guild_id", "webhook_id", "webhook_token", "interaction_id")
NO_AUTH_PREFIXES = ("/interactions/", "/webhooks/")


@dataclass
class _Window:
    limit: int
    per: float
    reset_at: float  # time.monotonic()
    count: int = 0


@dataclass
class Route:
    method: str
    template: str
    regex: re.Pattern[str]
    handler: Handler

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"


def make_route(method: str, template: str, handler: Handler) -> Route:
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return Route(method, template, re.compile(f"^{pattern}$"), handler)


def rate_limit_body(retry_after: float, *, is_global: bool = False) -> dict[str, Any]:
    return {"message": "You are being rate limited.", "retry_after": retry_after,
            "global": is_global, "code": 0}


def rate_limit_headers(retry_after: float, *, scope: str = "user") -> dict[str, str]:
    headers = {"Via": "1.1 google", "Retry-After": str(max(1, math.ceil(retry_after))),
               "X-RateLimit-Scope": scope}
    if scope == "global":
        headers["X-RateLimit-Global"] = "true"
    return headers


class RestPipeline:
    """Routes requests; counts what Discord counts (429s, and invalid requests for its ban)."""

    def __init__(self, token: str, requests: list[RecordedRequest],
                 faults: Faults[CannedReply], notify: Callable[[], None], *,
                 route_limits: dict[str, tuple[int, float]] | None, global_limit: int) -> None:
        self.token = token
        self.requests = requests
        self.faults = faults
        self.notify = notify
        self.routes: list[Route] = []
        self.route_limits: dict[str, tuple[int, float]] = {MESSAGE_SEND: (5, 5.0)}
        self.route_limits.update(route_limits or {})
        self.default_route_limit: tuple[int, float] = (50, 1.0)
        self.global_limit = global_limit
        self.rate_limit_hits = 0  # 429s answered (provoked or injected)
        self.invalid_requests = 0  # 401 + 403 + 429, as Discord counts them for its IP ban
        self._windows: dict[tuple[str, str], _Window] = {}
        self._global_times: collections.deque[float] = collections.deque()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body = await read_body(request)
        rec = RecordedRequest(request.method, path, dict(request.query), body, time.time())
        self.requests.append(rec)
        resp = await self._process(request, rec, path, body)
        rec.status = resp.status
        if resp.status in (401, 403) or (
            resp.status == 429 and resp.headers.get("X-RateLimit-Scope") != "shared"
        ):
            self.invalid_requests += 1
        if resp.status == 429:
            self.rate_limit_hits += 1
        self.notify()
        return resp

    async def _process(self, request: web.Request, rec: RecordedRequest,
                       path: str, body: Any) -> web.StreamResponse:
        route, params = self._route(request.method, path)
        rec.route = route.key if route else None
        fault = self.faults.take(request.method, path)
        if fault is not None:
            return json_response(fault.body, fault.status, fault.headers)
        exempt = path.startswith(NO_AUTH_PREFIXES)
        if not exempt and request.headers.get("Authorization") != f"Bot {self.token}":
            return json_response({"message": "401: Unauthorized", "code": 0}, 401)
        if route is None:
            return json_response({"message": "404: Not Found", "code": 0}, 404)
        if not exempt:
            wait = self._take_global()
            if wait is not None:
                return json_response(rate_limit_body(wait, is_global=True), 429,
                                     rate_limit_headers(wait, scope="global"))
        headers, limited = self._take_bucket(route, params)
        if limited is not None:
            return json_response(rate_limit_body(limited), 429,
                                 {**headers, **rate_limit_headers(limited)})
        try:
            resp = await route.handler(request, params, body)
        except DiscordError as exc:
            resp = json_response(exc.body(), exc.status)
        resp.headers.update(headers)
        return resp

    def _route(self, method: str, path: str) -> tuple[Route | None, dict[str, str]]:
        for candidate in self.routes:
            m = candidate.regex.match(path)
            if m and candidate.method == method:
                return candidate, m.groupdict()
        return None, {}

    def _take_global(self) -> float | None:
        """Seconds to wait when the global limit (requests per second) is reached."""
        now = time.monotonic()
        while self._global_times and now - self._global_times[0] >= 1.0:
            self._global_times.popleft()
        if len(self._global_times) >= self.global_limit:
            return round(1.0 - (now - self._global_times[0]), 3)
        self._global_times.append(now)
        return None

    def _take_bucket(self, route: Route, params: dict[str, str]
                     ) -> tuple[dict[str, str], float | None]:
        limit, per = self.route_limits.get(route.key, self.default_route_limit)
        bucket = hashlib.md5(route.key.encode()).hexdigest()
        major = ":".join(params.get(p, "") for p in MAJOR_PARAMS)
        now = time.monotonic()
        win = self._windows.get((bucket, major))
        if win is None or now >= win.reset_at or (win.limit, win.per) != (limit, per):
            win = self._windows[bucket, major] = _Window(limit, per, now + per)
        retry: float | None = None
        if win.count >= win.limit:
            retry = round(win.reset_at - now, 3)
        else:
            win.count += 1
        after = max(0.0, win.reset_at - now)
        headers = {
            "X-RateLimit-Limit": str(win.limit),
            "X-RateLimit-Remaining": str(win.limit - win.count),
            "X-RateLimit-Reset": f"{time.time() + after:.3f}",
            "X-RateLimit-Reset-After": f"{after:.3f}",
            "X-RateLimit-Bucket": bucket,
        }
        return headers, retry


async def read_body(request: web.Request) -> Any:
    if not request.can_read_body:
        return None
    if request.content_type.startswith("multipart/"):
        form = await request.post()
        raw = form.get("payload_json")
        data = json.loads(raw) if isinstance(raw, str) else {}
        data["_files"] = [k for k in form if k != "payload_json"]
        return data
    raw_bytes = await request.read()
    try:
        return json.loads(raw_bytes) if raw_bytes else None
    except ValueError:
        return raw_bytes.decode(errors="replace")
