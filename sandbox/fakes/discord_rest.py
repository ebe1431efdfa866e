"""REST half of the fake Discord server: request pipeline, rate limits, faults, resources."""

from __future__ import annotations

import collections
import hashlib
import json
import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .discord_models import (
    DiscordError,
    FakeChannel,
    FakeUser,
    Perm,
    RecordedRequest,
    StoredMessage,
    iso_now,
    json_response,
    resolve_mentions,
    snowflake,
    unknown,
)

if TYPE_CHECKING:
    from .discord_server import FakeDiscord

Handler = Callable[[web.Request, dict[str, str], Any], Awaitable[web.StreamResponse]]
MESSAGE_SEND = "POST /channels/{channel_id}/messages"
# Discord keys interaction follow-ups by their token too (as discord.py's Route does).
MAJOR_PARAMS = ("channel_id", "guild_id", "webhook_id", "webhook_token", "interaction_id")
NO_AUTH_PREFIXES = ("/interactions/", "/webhooks/")


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    status: int
    body: Any
    times: int
    headers: dict[str, str] = field(default_factory=dict)


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


class RestMixin:
    """Request pipeline and REST resources. Mixed into FakeDiscord."""

    def _rest_init(self: FakeDiscord, route_limits: dict[str, tuple[int, float]] | None,
                   global_limit: int) -> None:
        self.requests: list[RecordedRequest] = []
        self.messages: dict[int, list[StoredMessage]] = collections.defaultdict(list)
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.scheduled_events: dict[int, dict[int, dict[str, Any]]] = collections.defaultdict(dict)
        self.route_limits: dict[str, tuple[int, float]] = {MESSAGE_SEND: (5, 5.0)}
        self.route_limits.update(route_limits or {})
        self.default_route_limit: tuple[int, float] = (50, 1.0)
        self.global_limit = global_limit
        self.rate_limit_hits = 0  # 429s answered (provoked or injected)
        self.invalid_requests = 0  # 401 + 403 + 429, as Discord counts them for its IP ban
        self._windows: dict[tuple[str, str], _Window] = {}
        self._global_times: collections.deque[float] = collections.deque()
        self._faults: list[Fault] = []
        self._message_index: dict[int, StoredMessage] = {}

    # ---------------------------------------------------------------- configuration
    def fail_next(self: FakeDiscord, method: str, path_regex: str, status: int,
                  body: Any = None, times: int = 1, *, retry_after: float = 0.5,
                  headers: dict[str, str] | None = None) -> None:
        """The next ``times`` requests matching (method or "*", regex searched in the path
        below /api/v10) get ``status``. A 429 without body gets Discord's real rate-limit body
        and headers (Via, Retry-After); other statuses default to ``{"message", "code": 0}``."""
        hdrs = dict(headers or {})
        if status == 429:
            body = rate_limit_body(retry_after) if body is None else body
            hdrs = {**rate_limit_headers(retry_after), **hdrs}
        elif body is None:
            body = {"message": f"{status}: {web.Response(status=status).reason}", "code": 0}
        self._faults.append(Fault(method.upper(), re.compile(path_regex), status, body, times,
                                  hdrs))

    def set_route_limit(self: FakeDiscord, route: str, limit: int, per: float) -> None:
        """e.g. ``set_route_limit("POST /channels/{channel_id}/messages", 5, 5.0)``."""
        self.route_limits[route] = (limit, per)

    # ---------------------------------------------------------------- inspection
    def requests_to(self: FakeDiscord, method: str, path_regex: str) -> list[RecordedRequest]:
        rx = re.compile(path_regex)
        return [r for r in self.requests
                if (method == "*" or r.method == method.upper()) and rx.search(r.path)]

    def channel_messages(self: FakeDiscord, channel: Any) -> list[StoredMessage]:
        return list(self.messages.get(_id(channel), []))

    def get_message(self: FakeDiscord, message_id: int) -> StoredMessage:
        return self._message_index[int(message_id)]

    # ---------------------------------------------------------------- pipeline
    def _rest_routes(self: FakeDiscord) -> list[Route]:
        r = make_route
        return [
            r("GET", "/users/@me", self._get_me),
            r("GET", "/users/{user_id}", self._get_user),
            r("GET", "/oauth2/applications/@me", self._get_app),
            r("GET", "/applications/@me", self._get_app),
            r("GET", "/gateway", self._get_gateway),
            r("GET", "/gateway/bot", self._get_gateway_bot),
            r("POST", "/users/@me/channels", self._create_dm),
            r("GET", "/channels/{channel_id}", self._get_channel),
            r("POST", "/channels/{channel_id}/messages", self._post_message),
            r("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message),
            r("PATCH", "/channels/{channel_id}/messages/{message_id}", self._patch_message),
            r("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_message),
        ]

    async def _handle_rest(self: FakeDiscord, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body = await _read_body(request)
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
        self._notify()
        return resp

    async def _process(self: FakeDiscord, request: web.Request, rec: RecordedRequest,
                       path: str, body: Any) -> web.StreamResponse:
        route, params = None, {}
        for candidate in self._routes:
            m = candidate.regex.match(path)
            if m and candidate.method == request.method:
                route, params = candidate, m.groupdict()
                break
        rec.route = route.key if route else None
        for fault in self._faults:
            if fault.method in ("*", request.method) and fault.path.search(path):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return json_response(fault.body, fault.status, fault.headers)
        exempt = path.startswith(NO_AUTH_PREFIXES)
        if not exempt and request.headers.get("Authorization") != f"Bot {self.token}":
            return json_response({"message": "401: Unauthorized", "code": 0}, 401)
        if route is None:
            return json_response({"message": "404: Not Found", "code": 0}, 404)
        if not exempt:
            now = time.monotonic()
            while self._global_times and now - self._global_times[0] >= 1.0:
                self._global_times.popleft()
            if len(self._global_times) >= self.global_limit:
                wait = round(1.0 - (now - self._global_times[0]), 3)
                return json_response(rate_limit_body(wait, is_global=True), 429,
                                     rate_limit_headers(wait, scope="global"))
            self._global_times.append(now)
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

    def _take_bucket(self: FakeDiscord, route: Route, params: dict[str, str]
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

    # ---------------------------------------------------------------- users / app / gateway
    async def _get_me(self: FakeDiscord, request: web.Request, p: dict[str, str], body: Any
                      ) -> web.Response:
        return json_response({**self.bot_user.payload(), "verified": True,
                              "mfa_enabled": False, "locale": "en-US", "email": None})

    async def _get_user(self: FakeDiscord, request: web.Request, p: dict[str, str], body: Any
                        ) -> web.Response:
        return json_response(self._user(p["user_id"]).payload())

    async def _get_app(self: FakeDiscord, request: web.Request, p: dict[str, str], body: Any
                       ) -> web.Response:
        return json_response({
            "id": str(self.application_id), "name": self.bot_user.username, "icon": None,
            "description": "", "summary": "", "type": None, "bot_public": True,
            "bot_require_code_grant": False, "verify_key": "0" * 64, "flags": 0,
            "owner": self.owner.payload(), "team": None, "bot": self.bot_user.payload(),
            "interactions_endpoint_url": None, "redirect_uris": [], "tags": [],
            "approximate_guild_count": len(self.guilds),
        })

    async def _get_gateway(self: FakeDiscord, request: web.Request, p: dict[str, str],
                           body: Any) -> web.Response:
        return json_response({"url": self.gateway_url.rstrip("/")})

    async def _get_gateway_bot(self: FakeDiscord, request: web.Request, p: dict[str, str],
                               body: Any) -> web.Response:
        return json_response({
            "url": self.gateway_url.rstrip("/"), "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 1000 - self.identify_count,
                                    "reset_after": 86_400_000, "max_concurrency": 1},
        })

    # ---------------------------------------------------------------- channels / messages
    async def _create_dm(self: FakeDiscord, request: web.Request, p: dict[str, str], body: Any
                         ) -> web.Response:
        user = self._user((body or {}).get("recipient_id", 0))
        return json_response(self.dm_channel(user).payload())

    async def _get_channel(self: FakeDiscord, request: web.Request, p: dict[str, str],
                           body: Any) -> web.Response:
        return json_response(self._channel(p["channel_id"]).payload())

    async def _post_message(self: FakeDiscord, request: web.Request, p: dict[str, str],
                            body: Any) -> web.Response:
        channel = self._channel(p["channel_id"])
        if channel.type == 1:
            assert channel.recipient is not None
            if not channel.recipient.dm_open:
                raise DiscordError(403, 50007, "Cannot send messages to this user")
        else:
            guild = self.guilds[channel.guild_id or 0]
            need = Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES
            if guild.members[self.bot_user.id].permissions & need != need:
                raise DiscordError(403, 50013, "Missing Permissions")
        msg = self.create_message(channel, self.bot_user, body or {})
        return json_response(msg.payload)

    async def _get_message(self: FakeDiscord, request: web.Request, p: dict[str, str],
                           body: Any) -> web.Response:
        return json_response(self._stored(p["channel_id"], p["message_id"]).payload)

    async def _patch_message(self: FakeDiscord, request: web.Request, p: dict[str, str],
                             body: Any) -> web.Response:
        msg = self._stored(p["channel_id"], p["message_id"])
        if int(msg.payload["author"]["id"]) != self.bot_user.id:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        return json_response(self.edit_message(msg, body or {}).payload)

    async def _delete_message(self: FakeDiscord, request: web.Request, p: dict[str, str],
                              body: Any) -> web.Response:
        msg = self._stored(p["channel_id"], p["message_id"])
        self.messages[msg.channel_id].remove(msg)
        del self._message_index[msg.id]
        return web.Response(status=204)

    def create_message(self: FakeDiscord, channel: FakeChannel, author: FakeUser,
                       body: dict[str, Any], *, type_: int = 0, extra: dict[str, Any] | None = None,
                       validate: bool = True) -> StoredMessage:
        """Validate ``body`` like Discord and store a new message (dispatches MESSAGE_CREATE)."""
        if validate:
            _validate_message(body, creating=True)
        content = body.get("content") or ""
        allowed = body.get("allowed_mentions")
        mentions, roles, everyone = resolve_mentions(content, allowed, self.users)
        payload: dict[str, Any] = {
            "id": str(snowflake()), "channel_id": str(channel.id), "type": type_,
            "content": content, "author": author.payload(), "attachments": [],
            "embeds": body.get("embeds") or [], "components": body.get("components") or [],
            "mentions": mentions, "mention_roles": roles, "mention_everyone": everyone,
            "pinned": False, "tts": bool(body.get("tts")), "timestamp": iso_now(),
            "edited_timestamp": None, "flags": int(body.get("flags") or 0),
        }
        if body.get("nonce") is not None:
            payload["nonce"] = body["nonce"]
        payload.update(extra or {})
        msg = StoredMessage(payload, allowed, [body])
        self.messages[channel.id].append(msg)
        self._message_index[msg.id] = msg
        if not msg.ephemeral:
            self._dispatch_message_event("MESSAGE_CREATE", channel, msg)
        return msg

    def edit_message(self: FakeDiscord, msg: StoredMessage, body: dict[str, Any]
                     ) -> StoredMessage:
        _validate_message(body, creating=False)
        for key in ("content", "embeds", "components", "flags"):
            if key in body and body[key] is not None:
                msg.payload[key] = body[key]
        if "allowed_mentions" in body:
            msg.allowed_mentions = body["allowed_mentions"]
        mentions, roles, everyone = resolve_mentions(msg.content, msg.allowed_mentions,
                                                     self.users)
        msg.payload.update(mentions=mentions, mention_roles=roles, mention_everyone=everyone,
                           edited_timestamp=iso_now())
        msg.history.append(body)
        if not msg.ephemeral:
            self._dispatch_message_event("MESSAGE_UPDATE", self._channel(msg.channel_id), msg)
        return msg

    def _dispatch_message_event(self: FakeDiscord, event: str, channel: FakeChannel,
                                msg: StoredMessage) -> None:
        data = dict(msg.payload)
        if channel.guild_id is not None:
            data["guild_id"] = str(channel.guild_id)
            member = self.guilds[channel.guild_id].members.get(int(data["author"]["id"]))
            if member is not None:
                data["member"] = {k: v for k, v in member.payload().items() if k != "user"}
        self.dispatch(event, data, intent=9 if channel.guild_id is not None else 12)

    # ---------------------------------------------------------------- lookups
    def _user(self: FakeDiscord, user_id: Any) -> FakeUser:
        user = self.users.get(_int(user_id))
        if user is None:
            raise unknown("User", 10013)
        return user

    def _channel(self: FakeDiscord, channel_id: Any) -> FakeChannel:
        channel = self.channels.get(_int(channel_id))
        if channel is None:
            raise unknown("Channel", 10003)
        return channel

    def _guild(self: FakeDiscord, guild_id: Any) -> Any:
        guild = self.guilds.get(_int(guild_id))
        if guild is None:
            raise unknown("Guild", 10004)
        return guild

    def _stored(self: FakeDiscord, channel_id: Any, message_id: Any) -> StoredMessage:
        self._channel(channel_id)
        msg = self._message_index.get(_int(message_id))
        if msg is None or msg.channel_id != _int(channel_id):
            raise unknown("Message", 10008)
        return msg


def _id(obj: Any) -> int:
    return int(getattr(obj, "id", obj))


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _form_error(field_name: str, code: str, message: str) -> DiscordError:
    return DiscordError(400, 50035, "Invalid Form Body",
                        {field_name: {"_errors": [{"code": code, "message": message}]}})


def _validate_message(body: dict[str, Any], *, creating: bool) -> None:
    content = body.get("content") or ""
    if len(content) > 2000:
        raise _form_error("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
    if creating and not (content or body.get("embeds") or body.get("components")
                         or body.get("attachments") or body.get("sticker_ids")):
        raise DiscordError(400, 50006, "Cannot send an empty message")
    for custom_id in StoredMessage({"components": body.get("components") or []},
                                   None).custom_ids():
        if not 1 <= len(custom_id) <= 100:
            raise _form_error("components", "BASE_TYPE_BAD_LENGTH",
                              "Must be between 1 and 100 in length.")


async def _read_body(request: web.Request) -> Any:
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
