"""REST and SSE handlers of the fake Mastodon server (Mastodon 4.x wire behaviour)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, Protocol
from urllib.parse import urlencode

from aiohttp import web

from .mastodon_entities import Account, Ids, template
from .mastodon_state import MastodonError, World
from .mastodon_streams import StreamHub

JSON = "application/json; charset=utf-8"
PAGE_PARAMS = ("max_id", "min_id", "since_id")
VIEWER: web.RequestKey[Account | None] = web.RequestKey("viewer")  # set by the middleware


class Instance(Protocol):
    """What the routes read of the server they serve (FakeMastodon)."""

    @property
    def domain(self) -> str: ...

    @property
    def max_characters(self) -> int: ...

    @property
    def ids(self) -> Ids: ...

    @property
    def world(self) -> World: ...

    @property
    def streams(self) -> StreamHub: ...

    @property
    def api_base_url(self) -> str: ...

    @property
    def streaming_url(self) -> str: ...


def reply(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(text=json.dumps(data, separators=(",", ":")), status=status, headers={
        "Content-Type": JSON, **(headers or {})})


def error(status: int, message: str) -> web.Response:
    return reply({"error": message}, status)


def truthy(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "on", "yes")


async def form(request: web.Request) -> dict[str, Any]:
    """The request's parameters: JSON body, or form fields (lists for ``key[]``)."""
    if request.content_type == "application/json":
        body = await request.json()
        return body if isinstance(body, dict) else {}
    fields = await request.post()
    result: dict[str, Any] = {}
    for key in fields:
        values = [str(v) for v in fields.getall(key)]
        result[key] = values if key.endswith("[]") else values[-1]
    return result


def page(request: web.Request, items: Sequence[Any], key: Callable[[Any], int],
         id_of: Callable[[Any], str], *, use_min_id: bool, default: int, maximum: int,
         next_only_when_full: bool, prev_param: str, kept: Sequence[str],
         fake: Instance) -> tuple[list[Any], str | None]:
    """One page, newest first, as Mastodon's ``paginate_by_id`` / ``paginate_by_max_id`` do,
    plus the Link header. With ``min_id`` the page is the *oldest* items after it (still newest
    first), so repeated ``prev`` links walk forward without gaps."""
    query = request.query
    try:
        limit = int(query.get("limit", default))
    except ValueError:
        limit = default
    limit = max(1, min(limit, maximum))
    bounds = {name: fake.ids.key(query.get(name)) for name in PAGE_PARAMS}
    chosen = sorted(items, key=key, reverse=True)
    if bounds["max_id"] is not None:
        chosen = [i for i in chosen if key(i) < bounds["max_id"]]
    if bounds["since_id"] is not None:
        chosen = [i for i in chosen if key(i) > bounds["since_id"]]
    if use_min_id and bounds["min_id"] is not None:
        chosen = [i for i in chosen if key(i) > bounds["min_id"]]
        chosen = list(reversed(list(reversed(chosen))[:limit]))
    else:
        chosen = chosen[:limit]
    if not chosen:
        return chosen, None
    base = [(k, v) for k in sorted(kept) for v in query.getall(k, []) if k in query]
    url = f"{fake.api_base_url}{request.path}?"
    links = []
    if not next_only_when_full or len(chosen) == limit:
        params = sorted([*base, ("max_id", id_of(chosen[-1]))])
        links.append(f'<{url}{urlencode(params)}>; rel="next"')
    params = sorted([*base, (prev_param, id_of(chosen[0]))])
    links.append(f'<{url}{urlencode(params)}>; rel="prev"')
    return chosen, ", ".join(links)


def setup_routes(app: web.Application, fake: Instance) -> None:
    world = fake.world

    def viewer(request: web.Request) -> Account | None:
        return request.get(VIEWER)

    def me(request: web.Request) -> Account:
        account = viewer(request)
        if account is None:
            raise MastodonError(401, "The access token is invalid")
        return account

    async def verify_credentials(request: web.Request) -> web.Response:
        return reply(world.account_json(me(request), credentials=True))

    async def instance_v1(request: web.Request) -> web.Response:
        data = template("instance_v1")
        data.update(uri=fake.domain, title="Gather test instance")
        data["urls"]["streaming_api"] = fake.streaming_url
        data["configuration"]["statuses"]["max_characters"] = fake.max_characters
        data["stats"]["user_count"] = sum(1 for a in world.accounts.values() if a.local)
        return reply(data, headers={"Deprecation": "@1668384000"})

    async def instance_v2(request: web.Request) -> web.Response:
        data = template("instance_v2")
        data.update(domain=fake.domain, title="Gather test instance")
        data["configuration"]["urls"]["streaming"] = fake.streaming_url
        data["configuration"]["statuses"]["max_characters"] = fake.max_characters
        return reply(data)

    async def post_status(request: web.Request) -> web.Response:
        account = me(request)
        params = await form(request)
        key = request.headers.get("Idempotency-Key")
        if key and (account.id, key) in world.idempotency:
            return reply(world.status_json(world.idempotency[(account.id, key)], account))
        status = world.post(
            account, str(params.get("status", "")), str(params.get("visibility") or "public"),
            str(params["in_reply_to_id"]) if params.get("in_reply_to_id") else None,
            spoiler_text=str(params.get("spoiler_text", "")),
            sensitive=truthy(params.get("sensitive", False)),
            language=params.get("language"), via_api=True, max_characters=fake.max_characters)
        if key:
            world.idempotency[(account.id, key)] = status
        return reply(world.status_json(status, account))

    async def edit_status(request: web.Request) -> web.Response:
        account = me(request)
        params = await form(request)
        status = world.edit(
            account, request.match_info["id"], str(params.get("status", "")),
            spoiler_text=params.get("spoiler_text"),
            sensitive=truthy(params["sensitive"]) if "sensitive" in params else None,
            language=params.get("language"), max_characters=fake.max_characters)
        return reply(world.status_json(status, account))

    async def get_status(request: web.Request) -> web.Response:
        status = world.get_status(request.match_info["id"], viewer(request))
        return reply(world.status_json(status, viewer(request)))

    async def status_history(request: web.Request) -> web.Response:
        status = world.get_status(request.match_info["id"], viewer(request))
        account = world.account_json(status.account)
        return reply([{**version, "account": account, "media_attachments": [], "emojis": []}
                      for version in status.history])

    async def delete_status(request: web.Request) -> web.Response:
        account = me(request)
        status = world.delete(account, request.match_info["id"])
        data = world.status_json(status, account)
        data["text"] = status.text  # Mastodon returns the source, for delete-and-redraft
        return reply(data)

    async def reblog(request: web.Request) -> web.Response:
        account = me(request)
        boosted = world.boost(account, request.match_info["id"])
        return reply(world.status_json(boosted, account))

    async def unreblog(request: web.Request) -> web.Response:
        account = me(request)
        world.unboost(account, request.match_info["id"])
        return reply(world.status_json(world.get_status(request.match_info["id"], account),
                                       account))

    async def reblogged_by(request: web.Request) -> web.Response:
        status = world.get_status(request.match_info["id"], viewer(request))
        reblogs = [r for r in world.reblogs_of(status) if r.visibility in ("public", "unlisted")]
        chosen, link = page(
            request, reblogs, key=lambda r: fake.ids.key(r.id) or 0, id_of=lambda r: r.id,
            use_min_id=False, default=40, maximum=80, next_only_when_full=True,
            prev_param="since_id", kept=("limit",), fake=fake)
        body = [world.account_json(r.account) for r in chosen]
        return reply(body, headers={"Link": link} if link else None)

    async def notifications(request: web.Request) -> web.Response:
        account = me(request)
        query = request.query
        types = set(query.getall("types[]", [])) | set(query.getall("types", []))
        excluded = set(query.getall("exclude_types[]", [])) | set(query.getall("exclude_types", []))
        from_account = query.get("account_id")
        items = [n for n in world.notifications if n.recipient is account
                 and (not types or n.type in types) and n.type not in excluded
                 and (from_account is None or n.account.id == from_account)]
        chosen, link = page(
            request, items, key=lambda n: fake.ids.key(n.id) or 0, id_of=lambda n: n.id,
            use_min_id=True, default=40, maximum=80, next_only_when_full=False,
            prev_param="min_id", fake=fake,
            kept=("limit", "types[]", "exclude_types[]", "account_id", "supported_types[]"))
        body = [world.notification_json(n) for n in chosen]
        return reply(body, headers={"Link": link} if link else None)

    async def notification(request: web.Request) -> web.Response:
        account = me(request)
        for n in world.notifications:
            if n.id == request.match_info["id"] and n.recipient is account:
                return reply(world.notification_json(n))
        raise MastodonError(404, "Record not found")

    async def clear_notifications(request: web.Request) -> web.Response:
        account = me(request)
        world.notifications = [n for n in world.notifications if n.recipient is not account]
        return reply({})

    async def dismiss_notification(request: web.Request) -> web.Response:
        account = me(request)
        world.notifications = [n for n in world.notifications if not (
            n.recipient is account and n.id == request.match_info["id"])]
        return reply({})

    async def get_account(request: web.Request) -> web.Response:
        account = world.accounts.get(request.match_info["id"])
        if account is None:
            raise MastodonError(404, "Record not found")
        return reply(world.account_json(account))

    async def lookup(request: web.Request) -> web.Response:
        return reply(world.account_json(world.lookup(request.query.get("acct", ""))))

    async def health(request: web.Request) -> web.Response:
        return web.Response(text="OK", content_type="text/plain")

    async def stream_user(request: web.Request) -> web.StreamResponse:
        account = viewer(request)
        if account is None:  # the streaming server's own wording
            return error(401, "Invalid access token")
        only = ("notification",) if request.path.endswith("/notification") else None
        return await fake.streams.serve(request, account, only)

    routes = [
        ("GET", "/api/v1/accounts/verify_credentials", verify_credentials),
        ("GET", "/api/v1/accounts/lookup", lookup),
        ("GET", "/api/v1/accounts/{id}", get_account),
        ("GET", "/api/v1/instance", instance_v1),
        ("GET", "/api/v1/instance/", instance_v1),
        ("GET", "/api/v2/instance", instance_v2),
        ("GET", "/api/v2/instance/", instance_v2),
        ("POST", "/api/v1/statuses", post_status),
        ("GET", "/api/v1/statuses/{id}", get_status),
        ("PUT", "/api/v1/statuses/{id}", edit_status),
        ("DELETE", "/api/v1/statuses/{id}", delete_status),
        ("GET", "/api/v1/statuses/{id}/history", status_history),
        ("POST", "/api/v1/statuses/{id}/reblog", reblog),
        ("POST", "/api/v1/statuses/{id}/unreblog", unreblog),
        ("GET", "/api/v1/statuses/{id}/reblogged_by", reblogged_by),
        ("GET", "/api/v1/notifications", notifications),
        ("POST", "/api/v1/notifications/clear", clear_notifications),
        ("GET", "/api/v1/notifications/{id}", notification),
        ("POST", "/api/v1/notifications/{id}/dismiss", dismiss_notification),
        ("GET", "/api/v1/streaming/health", health),
        ("GET", "/api/v1/streaming/user", stream_user),
        ("GET", "/api/v1/streaming/user/notification", stream_user),
    ]
    for method, path, handler in routes:
        app.router.add_route(method, path, handler)
