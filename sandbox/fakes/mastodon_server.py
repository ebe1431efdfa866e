"""A fake Mastodon 4.x server (REST + SSE streaming) on 127.0.0.1 for adapter tests.

Run it in the test's event loop and drive the real Mastodon.py (synchronous) from a thread::

    async with FakeMastodon(max_characters=500) as m:
        api = Mastodon(access_token=m.access_token, api_base_url=m.api_base_url)
        post = await asyncio.to_thread(api.status_post, "Picnic Saturday", visibility="public")
        alice = m.create_account("alice", "remote.example")
        m.boost(alice, post.id)                      # a reblog notification, streamed
        page = await asyncio.to_thread(api.notifications, min_id=last_seen)

Replies are built from recorded real responses (``mastodon_fixtures/``). Everything is in
memory and single-threaded in the event loop; simulation methods are plain synchronous calls.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from .mastodon_entities import Account, Ids, Notification, Status
from .mastodon_routes import VIEWER, error, setup_routes
from .mastodon_state import MastodonError, World
from .mastodon_streams import StreamHub
from .server import CannedReply, FakeServer, Faults

ERRORS = {400: "Bad request", 401: "The access token is invalid", 403: "This action is not allowed",
          404: "Record not found", 422: "Validation failed", 429: "Too many requests",
          500: "Internal server error", 502: "Bad gateway", 503: "Service unavailable",
          504: "Gateway timeout"}


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    account: str | None  # acct of the authenticated account
    time: float  # time.time() when it arrived
    status: int = 0  # HTTP status answered (0 while a stream is still open)


class RateLimiter:
    """Fixed windows per key, like Rack::Attack: every request counts, over the limit is 429."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self.windows: dict[str, tuple[float, int]] = {}

    def hit(self, key: str, now: float) -> tuple[bool, dict[str, str]]:
        start, count = self.windows.get(key, (now, 0))
        if now >= start + self.window:
            start, count = now, 0
        count += 1
        self.windows[key] = (start, count)
        reset = datetime.fromtimestamp(start + self.window, UTC)
        return count > self.limit, {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.limit - count)),
            "X-RateLimit-Reset": reset.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        }


STATUS_POSTS = re.compile(r"^/api/v1/statuses(/[^/]+/reblog)?$")
STATUS_DELETES = re.compile(r"^/api/v1/statuses/[^/]+(/unreblog)?$")


class FakeMastodon(FakeServer[RecordedRequest]):
    name = "fake Mastodon"

    def __init__(self, *, domain: str = "social.example", bot_username: str = "gather",
                 access_token: str = "gather-test-token", max_characters: int = 500,
                 rate_limit: int = 300, rate_window: float = 300.0,
                 status_rate_limit: int = 300, status_rate_window: float = 3 * 3600.0,
                 delete_rate_limit: int = 30, delete_rate_window: float = 1800.0,
                 heartbeat_interval: float = 15.0, id_style: str = "snowflake",
                 resolve_remote_mentions: bool = True) -> None:
        super().__init__()
        self.domain = domain
        self.max_characters = max_characters
        self.ids = Ids(id_style)
        self.streams = StreamHub(heartbeat_interval)
        self.world = World(domain, lambda: self.api_base_url, self.ids, self.streams.publish,
                           resolve_remote_mentions)
        self.bot = self.world.create_account(bot_username, token=access_token, bot=True)
        self.access_token = access_token
        self.limits = {"api": RateLimiter(rate_limit, rate_window),
                       "statuses": RateLimiter(status_rate_limit, status_rate_window),
                       "deletes": RateLimiter(delete_rate_limit, delete_rate_window)}
        self.rate_limited_count = 0
        self.faults = Faults[CannedReply]()

    # lifecycle ---------------------------------------------------------------------------
    def application(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware])
        setup_routes(app, self)
        return app

    async def close_connections(self) -> None:
        self.streams.drop(abrupt=True)
        await asyncio.sleep(0)

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def streaming_url(self) -> str:
        """What the instance endpoints advertise (Mastodon.py turns ws:// into http://)."""
        return f"ws://127.0.0.1:{self.port}"

    # HTTP plumbing -------------------------------------------------------------------------
    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        token = token or request.query.get("access_token", "")
        account = self.world.account_by_token(token) if token else None
        record = RecordedRequest(
            request.method, request.path,
            {k: request.query.getall(k) for k in request.query}, dict(request.headers),
            account.acct if account else None, time.time())
        self.requests.append(record)
        response = await self._respond(request, handler, token, account)
        record.status = response.status
        self.notify()
        return response

    async def _respond(self, request: web.Request, handler: Any, token: str,
                       account: Account | None) -> web.StreamResponse:
        fault = self.faults.take(request.method, request.path)
        limit_headers: dict[str, str] = {}
        if fault is not None:
            response: web.StreamResponse = web.json_response(
                fault.body, status=fault.status, headers=fault.headers)
        elif token and account is None:
            response = error(401, "The access token is invalid")
        else:
            limited = False
            if not request.path.startswith("/api/v1/streaming"):  # a separate server, no limits
                limited, limit_headers = self._count(request, account)
            if limited:
                response = error(429, "Too many requests")
            else:
                request[VIEWER] = account
                try:
                    response = await handler(request)
                except MastodonError as problem:
                    response = error(problem.status, problem.message)
        if response.status == 429:
            self.rate_limited_count += 1
        if not response.prepared:
            for name, value in limit_headers.items():
                response.headers.setdefault(name, value)
        return response

    def _count(self, request: web.Request, account: Account | None) -> tuple[bool, dict[str, str]]:
        key = f"account:{account.id}" if account else f"ip:{request.remote}"
        now = time.time()
        limited, headers = self.limits["api"].hit(key, now)
        bucket = None
        if request.method == "POST" and STATUS_POSTS.match(request.path):
            bucket = "statuses"
        elif ((request.method == "DELETE" and STATUS_DELETES.match(request.path))
              or (request.method == "POST" and request.path.endswith("/unreblog"))):
            bucket = "deletes"
        if bucket and account and not limited:
            limited, headers = self.limits[bucket].hit(key, now)
        return limited, headers

    # fault injection ---------------------------------------------------------------------
    def fail_next(self, method: str, path_regex: str, status: int, times: int = 1, *,
                  body: Any = None, headers: dict[str, str] | None = None) -> None:
        """Answer the next ``times`` requests matching (``method`` or ``"*"``, ``re.search`` of
        the path) with ``status`` and ``{"error": ...}`` (or ``body``) instead of serving them.
        A 429 also carries X-RateLimit headers saying the window resets in a minute."""
        extra = dict(headers or {})
        if status == 429:
            reset = datetime.fromtimestamp(time.time() + 60, UTC)
            extra.setdefault("X-RateLimit-Limit", "300")
            extra.setdefault("X-RateLimit-Remaining", "0")
            extra.setdefault("X-RateLimit-Reset", reset.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
        if body is None:
            body = {"error": ERRORS.get(status, "Error")}
        self.faults.add(method.upper(), CannedReply(status, body, extra), times=times,
                        path_regex=path_regex)

    def silence_stream(self) -> None:
        """Open streams stay open but send nothing more, not even heartbeats; their events are
        lost. Connections made afterwards work normally."""
        self.streams.silence()

    def drop_streams(self, abrupt: bool = False) -> None:
        """End every open stream (cleanly; ``abrupt=True`` closes the socket instead)."""
        self.streams.drop(abrupt)

    # simulation --------------------------------------------------------------------------
    def create_account(self, username: str, domain: str | None = None, *,
                       display_name: str = "") -> Account:
        """A local account (gets an access token ``token-<username>``) or a remote one, whose
        ``acct`` is ``user@domain``."""
        token = f"token-{username}" if domain in (None, self.domain) else None
        return self.world.create_account(username, domain, token=token, display_name=display_name)

    def post_as(self, account: Account, text: str, visibility: str = "public",
                in_reply_to: str | Status | None = None) -> Status:
        """A status by ``account``; mentions of local accounts (the bot) notify them."""
        parent = in_reply_to.id if isinstance(in_reply_to, Status) else in_reply_to
        return self.world.post(account, text, visibility, parent)

    def boost(self, account: Account, status_id: str, *, notify: bool = True,
              created_at: datetime | None = None) -> Status:
        """``account`` boosts the status: a reblog status and, for a local owner, a ``reblog``
        notification (streamed). Idempotent. ``notify=False`` holds the notification back until
        ``deliver_late_notification``; ``created_at`` back-dates the reblog (remote ids are
        made from the remote timestamp, so they can sort before recent local ones)."""
        return self.world.boost(account, status_id, notify=notify, created_at=created_at)

    def unboost(self, account: Account, status_id: str) -> Status | None:
        """Undo the boost: the reblog and its notification vanish; nothing is streamed."""
        return self.world.unboost(account, status_id)

    def deliver_late_notification(self, reblog_id: str | None = None) -> list[Notification]:
        """Deliver held-back notifications (all, or the one for ``reblog_id``) with fresh ids."""
        return self.world.deliver_late(reblog_id)

    # inspection --------------------------------------------------------------------------
    @property
    def statuses(self) -> list[Status]:
        """Every status ever made, oldest first; deleted ones have ``deleted=True``."""
        return list(self.world.statuses.values())

    def status(self, status_id: str) -> Status:
        return self.world.statuses[status_id]

    def edits(self, status_id: str) -> list[dict[str, Any]]:
        """Versions of a status, the original first (text, content, spoiler_text, created_at)."""
        return list(self.world.statuses[status_id].history)

    def posts_by(self, account: Account | None = None) -> list[Status]:
        """Live statuses (not reblogs) by ``account`` (the bot by default)."""
        author = account or self.bot
        return [s for s in self.statuses
                if s.account is author and not s.deleted and s.reblog_of is None]

    def dms(self, account: Account | None = None) -> list[Status]:
        """Direct statuses by ``account`` (the bot by default); ``.mentions`` are recipients."""
        return [s for s in self.posts_by(account) if s.visibility == "direct"]

    def notified_by_bot(self) -> list[tuple[Status, Account]]:
        """Every (bot status, account it mentioned): who a real server would have notified,
        local or remote, including mentions added by edits."""
        return [(s, a) for s, a in self.world.mentioned if s.account is self.bot]

    def notifications(self, account: Account | None = None) -> list[Notification]:
        """Live notifications of ``account`` (the bot by default), oldest first."""
        recipient = account or self.bot
        return [n for n in self.world.notifications if n.recipient is recipient]

    def reblogged_by(self, status_id: str) -> list[Account]:
        return [r.account for r in self.world.reblogs_of(self.world.statuses[status_id])]

    def requests_to(self, method: str, path_regex: str) -> list[RecordedRequest]:
        pattern = re.compile(path_regex)
        return [r for r in self.requests if r.method == method.upper() and pattern.search(r.path)]

    @property
    def request_count(self) -> int:
        return len(self.requests)

    @property
    def stream_connections(self) -> int:
        """How many streaming connections were ever opened."""
        return self.streams.opened

    @property
    def open_streams(self) -> int:
        return len(self.streams.connections)
