"""The fake Mastodon server speaks well enough for the real Mastodon.py 2.3.3 (nothing patched).

Mastodon.py is synchronous (requests), so every call runs in a thread via asyncio.to_thread
while the fake serves from the test's event loop."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
import requests
from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonInternalServerError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonUnauthorizedError,
    StreamListener,
)

from sandbox.fakes.mastodon_entities import load_fixture
from sandbox.fakes.mastodon_server import FakeMastodon


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def client(m: FakeMastodon, token: str | None = None, **options: Any) -> Mastodon:
    return Mastodon(access_token=token or m.access_token, api_base_url=m.api_base_url,
                    request_timeout=10, **options)


def call(function: Any, *args: Any, **kwargs: Any) -> Any:
    return asyncio.to_thread(function, *args, **kwargs)


def recorded(name: str, index: int) -> Any:
    return load_fixture(name)[index]["response"]["body"]


async def test_verify_credentials_returns_the_bot_account_in_the_recorded_shape() -> None:
    async with FakeMastodon() as m:
        me = await call(client(m).account_verify_credentials)
    assert me.id == m.bot.id and isinstance(me.id, str)
    assert me.acct == "gather" and me.bot is True
    real = recorded("test_verify_credentials", 0)
    assert set(real) <= set(me.keys())
    assert set(real["source"]) <= set(me.source.keys())


async def test_a_wrong_token_is_refused_with_401() -> None:
    async with FakeMastodon() as m:
        with pytest.raises(MastodonUnauthorizedError) as raised:
            await call(client(m, token="nope").account_verify_credentials)
    assert "The access token is invalid" in str(raised.value)


async def test_instance_v2_reports_the_configured_max_characters() -> None:
    async with FakeMastodon(max_characters=11_000) as m:
        api = client(m)
        v2 = await call(api.instance_v2)
        assert v2.configuration.statuses.max_characters == 11_000
        assert v2.domain == "social.example"
        m.max_characters = 500
        v2 = await call(api.instance_v2)
    assert v2.configuration.statuses.max_characters == 500
    assert set(recorded("test_instance", 0)) <= set(v2.keys())
    assert m.requests_to("GET", r"^/api/v2/instance/$")  # Mastodon.py adds the slash


async def test_a_public_post_renders_mentions_as_mastodon_html_and_notifies_locals() -> None:
    async with FakeMastodon() as m:
        carol = m.create_account("carol")
        status = await call(client(m).status_post,
                            "Picnic <Saturday> & @carol\nbring @dave@remote.example")
        notifications = m.notifications(carol)
    assert status.visibility == "public"
    assert status.content == (
        '<p>Picnic &lt;Saturday&gt; &amp; <span class="h-card" translate="no"><a href="'
        f'{m.api_base_url}/@carol" class="u-url mention">@<span>carol</span></a></span><br />'
        'bring <span class="h-card" translate="no"><a href="https://remote.example/@dave" '
        'class="u-url mention">@<span>dave</span></a></span></p>')
    assert [a.acct for a in status.mentions] == ["carol", "dave@remote.example"]
    assert [(n.type, n.status.id) for n in notifications] == [("mention", status.id)]
    assert [a.acct for _, a in m.notified_by_bot()] == ["carol", "dave@remote.example"]
    assert set(recorded("test_status_post_None-public", 0)) <= set(status.keys())


async def test_a_direct_post_is_a_dm_to_the_accounts_it_mentions() -> None:
    async with FakeMastodon() as m:
        erin = m.create_account("erin", "remote.example")
        api = client(m)
        dm = await call(api.status_post, "@erin@remote.example see you at 6",
                        visibility="direct")
        assert [s.id for s in m.dms()] == [dm.id]
        assert m.dms()[0].mentions == [erin]
        outsider = m.create_account("frank")
        with pytest.raises(MastodonNotFoundError):  # direct: invisible to the unmentioned
            await call(client(m, token=outsider.token).status, dm.id)
    assert dm.visibility == "direct"


async def test_status_update_edits_the_post_and_records_its_history() -> None:
    async with FakeMastodon() as m:
        api = client(m)
        post = await call(api.status_post, "Picnic at 5")
        edited = await call(api.status_update, post.id, "Picnic at 6")
        fetched = await call(api.status, post.id)
        history = await call(api.status_history, post.id)
    assert edited.id == post.id and edited.edited_at is not None
    assert fetched.content == "<p>Picnic at 6</p>"
    assert [v["text"] for v in m.edits(post.id)] == ["Picnic at 5", "Picnic at 6"]
    assert [h.content for h in history] == ["<p>Picnic at 5</p>", "<p>Picnic at 6</p>"]


async def test_a_repeated_idempotency_key_returns_the_same_status() -> None:
    async with FakeMastodon() as m:
        api = client(m)
        first = await call(api.status_post, "Once only", idempotency_key="announce-42")
        again = await call(api.status_post, "Once only", idempotency_key="announce-42")
        other = await call(api.status_post, "Once only", idempotency_key="announce-43")
    assert first.id == again.id != other.id
    assert len(m.posts_by()) == 2
    assert m.requests_to("POST", "^/api/v1/statuses$")[0].headers["Idempotency-Key"] == (
        "announce-42")


async def test_a_status_over_the_instance_limit_is_rejected_with_422() -> None:
    async with FakeMastodon(max_characters=30) as m:
        api = client(m)
        await call(api.status_post, "x" * 30)
        await call(api.status_post, "see https://example.org/" + "a" * 200)  # a URL counts 23
        await call(api.status_post, "@somebody@a-very-long-domain.example hi")  # "@somebody hi"
        await call(api.status_post, "👩‍👩‍👧‍👦" * 30)  # grapheme clusters, not code points
        with pytest.raises(MastodonAPIError) as raised:
            await call(api.status_post, "x" * 31)
    assert raised.value.args[1] == 422
    assert "character limit of 30" in str(raised.value)


async def collect_after(api: Mastodon, cursor: str | None, limit: int = 40) -> list[Any]:
    """Every notification after ``cursor``, oldest first: min_id, then fetch_previous."""
    seen: list[Any] = []
    page = await call(api.notifications, min_id=cursor, limit=limit)
    while page:
        seen.extend(reversed(page))  # each page is newest first
        page = await call(api.fetch_previous, page)
    return seen


@pytest.mark.parametrize("id_style", ["snowflake", "sequential", "opaque"])
async def test_min_id_and_fetch_previous_page_over_120_boosts_without_gaps(id_style: str) -> None:
    async with FakeMastodon(id_style=id_style) as m:
        api = client(m)
        post = await call(api.status_post, "Join by boosting")
        m.boost(m.create_account("early", "remote.example"), post.id)
        cursor = m.notifications()[0].id
        boosters = [m.create_account(f"user{i}", "remote.example") for i in range(120)]
        for booster in boosters:
            m.boost(booster, post.id)
        seen = await collect_after(api, cursor)
    assert [n.account.acct for n in seen] == [b.acct for b in boosters]
    assert [n.id for n in seen] == [n.id for n in m.notifications()[1:]]
    assert {n.type for n in seen} == {"reblog"} and {n.status.id for n in seen} == {post.id}
    lengths = {len(n.id) for n in seen}
    if id_style != "snowflake":
        assert len(lengths) > 1  # the ids really differ in length


async def test_the_link_header_has_next_by_max_id_and_prev_by_min_id() -> None:
    async with FakeMastodon() as m:
        post = m.post_as(m.bot, "hello")
        for i in range(3):
            m.boost(m.create_account(f"u{i}"), post.id)
        ids = [n.id for n in m.notifications()]
        reply = await call(requests.get, f"{m.api_base_url}/api/v1/notifications",
                           params={"limit": 2, "types[]": "reblog"},
                           headers={"Authorization": f"Bearer {m.access_token}"})
    base = f"{m.api_base_url}/api/v1/notifications"
    assert [n["id"] for n in reply.json()] == [ids[2], ids[1]]
    assert reply.headers["Link"] == (
        f'<{base}?limit=2&max_id={ids[1]}&types%5B%5D=reblog>; rel="next", '
        f'<{base}?limit=2&min_id={ids[2]}&types%5B%5D=reblog>; rel="prev"')
    assert int(reply.headers["X-RateLimit-Remaining"]) == 299
    real = recorded("test_notifications", 1)[0]
    assert set(real) <= set(reply.json()[0]) and reply.json()[0]["group_key"].startswith("reblog-")
    assert set(real["status"]) - {"pinned"} <= set(reply.json()[0]["status"])


async def test_unboost_deletes_the_notification_and_leaves_reblogged_by() -> None:
    async with FakeMastodon() as m:
        api = client(m)
        post = await call(api.status_post, "Join by boosting")
        boosters = [m.create_account(f"b{i}", "remote.example") for i in range(45)]
        for booster in boosters:
            m.boost(booster, post.id)
        assert m.boost(boosters[0], post.id) is m.boost(boosters[0], post.id)  # idempotent
        first = await call(api.status_reblogged_by, post.id)
        everyone = await call(api.fetch_remaining, first)
        assert len(first) == 40 and len(everyone) == 45

        leaver = boosters[7]
        m.unboost(leaver, post.id)
        reblogs = await call(api.notifications, types=["reblog"], limit=80)
        everyone = await call(api.fetch_remaining, await call(api.status_reblogged_by, post.id))
        status = await call(api.status, post.id)
    assert leaver.acct not in {n.account.acct for n in reblogs} and len(reblogs) == 44
    assert leaver.acct not in {a.acct for a in everyone} and len(everyone) == 44
    assert status.reblogs_count == 44
    assert set(recorded("test_status_reblogged_by", 2)[0]) <= set(everyone[0].keys())


async def test_a_late_boost_notification_arrives_after_the_cursor() -> None:
    async with FakeMastodon() as m:
        api = client(m)
        post = m.post_as(m.bot, "Join")
        m.boost(m.create_account("a", "remote.example"), post.id)
        cursor = m.notifications()[-1].id
        late = m.boost(m.create_account("slow", "far.example"), post.id, notify=False)
        assert await collect_after(api, cursor) == []
        assert "slow@far.example" in {a.acct for a in m.reblogged_by(post.id)}
        m.deliver_late_notification(late.id)
        seen = await collect_after(api, cursor)
    assert [n.account.acct for n in seen] == ["slow@far.example"]


async def test_a_429_raises_with_ratelimit_method_throw() -> None:
    async with FakeMastodon(rate_limit=3, rate_window=60) as m:
        api = client(m, ratelimit_method="throw")
        for _ in range(3):
            await call(api.account_verify_credentials)
        assert api.ratelimit_limit == 3 and api.ratelimit_remaining == 0
        assert api.ratelimit_reset > time.time() + 50
        with pytest.raises(MastodonRatelimitError):
            await call(api.account_verify_credentials)
    assert m.rate_limited_count == 1 and m.request_count == 4
    assert m.requests[-1].status == 429


async def test_the_default_wait_mode_sleeps_until_the_reset_and_retries() -> None:
    async with FakeMastodon(rate_limit=2, rate_window=1.0) as m:
        api = client(m)
        for _ in range(3):
            await call(api.account_verify_credentials)
    assert [r.status for r in m.requests] == [200, 200, 429, 200]


async def test_injected_faults_reach_the_client_and_then_stop() -> None:
    async with FakeMastodon() as m:
        api = client(m, ratelimit_method="throw")
        m.fail_next("GET", r"/notifications$", 500, times=2)
        m.fail_next("POST", r"^/api/v1/statuses$", 429)
        for _ in range(2):
            with pytest.raises(MastodonInternalServerError):
                await call(api.notifications)
        assert await call(api.notifications) == []
        with pytest.raises(MastodonRatelimitError):
            await call(api.status_post, "hi")
        await call(api.status_post, "hi")
    assert m.rate_limited_count == 1


class Listener(StreamListener):
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.events: list[tuple[str, Any]] = []
        self.heartbeats = 0

    def on_notification(self, notification: Any) -> None:
        with self.lock:
            self.events.append(("notification", notification))

    def on_update(self, status: Any) -> None:
        with self.lock:
            self.events.append(("update", status))

    def handle_heartbeat(self) -> None:
        with self.lock:
            self.heartbeats += 1

    def of(self, kind: str) -> list[Any]:
        with self.lock:
            return [payload for name, payload in self.events if name == kind]


async def test_the_user_stream_delivers_notifications_heartbeats_and_can_go_silent() -> None:
    async with FakeMastodon(heartbeat_interval=0.1) as m:
        api = client(m)
        post = await call(api.status_post, "Join by boosting")
        listener = Listener()
        handle = await call(api.stream_user, listener, run_async=True, reconnect_async=True,
                            reconnect_async_wait_sec=1)
        try:
            await m.wait_for(lambda: m.open_streams == 1)
            m.boost(m.create_account("zoe", "remote.example"), post.id)
            [boost] = await m.wait_for(lambda: listener.of("notification"))
            assert boost.type == "reblog" and boost.account.acct == "zoe@remote.example"
            assert boost.status.id == post.id
            await m.wait_for(lambda: listener.heartbeats >= 3)

            m.silence_stream()
            await asyncio.sleep(0.2)
            beats = listener.heartbeats
            m.boost(m.create_account("lost", "remote.example"), post.id)
            await asyncio.sleep(0.6)
            assert listener.heartbeats == beats and len(listener.of("notification")) == 1
            assert m.open_streams == 1  # the socket is still open

            m.drop_streams()  # the client reconnects by itself
            await m.wait_for(lambda: m.stream_connections == 2 and m.open_streams == 1)
            await m.wait_for(lambda: listener.heartbeats > beats + 2)
            m.post_as(m.bot, "own posts reach the home stream")
            await m.wait_for(lambda: listener.of("update"))
        finally:
            # close() can block until the reader thread's current read returns: off the loop.
            await call(handle.close)
    assert m.requests_to("GET", "^/api/v1/streaming/user$")[0].headers["Authorization"] == (
        f"Bearer {m.access_token}")


async def test_a_read_timeout_is_the_watchdog_that_reconnects_a_silent_stream() -> None:
    async with FakeMastodon(heartbeat_interval=0.1) as m:
        api = client(m)
        listener = Listener()
        handle = await call(api.stream_user, listener, run_async=True, timeout=0.5,
                            reconnect_async=True, reconnect_async_wait_sec=1)
        try:
            await m.wait_for(lambda: listener.heartbeats >= 2)
            m.silence_stream()
            await m.wait_for(lambda: m.stream_connections == 2, timeout=5)
            beats = listener.heartbeats
            await m.wait_for(lambda: listener.heartbeats > beats)
        finally:
            await call(handle.close)


async def test_the_stream_is_framed_like_the_recorded_mastodon_stream() -> None:
    async with FakeMastodon(heartbeat_interval=0.5) as m:

        def read() -> bytes:
            with requests.get(f"{m.api_base_url}/api/v1/streaming/user", stream=True,
                              headers={"Authorization": f"Bearer {m.access_token}"},
                              timeout=5) as reply:
                assert reply.headers["Content-Type"] == "text/event-stream"
                body = b""
                for chunk in reply.iter_content(chunk_size=None):
                    body += chunk
                    if b"}\n\n:thump\n\n" in body:
                        return body
            return body

        reader = asyncio.ensure_future(asyncio.to_thread(read))
        await m.wait_for(lambda: m.open_streams == 1)
        post = m.post_as(m.bot, "it's cool guy")
        body = await reader
        health = await call(requests.get, f"{m.api_base_url}/api/v1/streaming/health")
    real = recorded("test_stream_user_local", -1)
    assert body.startswith(b":)\nevent: update\ndata: {") and real.startswith(":)\nevent: update")
    assert body.endswith(b"}\n\n:thump\n\n") and real.endswith("}\n\n:thump\n\n")
    assert f'{{"id":"{post.id}",'.encode() in body  # compact JSON, as Mastodon sends
    assert health.text == "OK"


async def test_a_user_mentioning_the_bot_notifies_it_and_accounts_can_be_looked_up() -> None:
    async with FakeMastodon() as m:
        api = client(m)
        gina = m.create_account("gina", "remote.example")
        asked = m.post_as(gina, "@gather@social.example count me in", visibility="direct")
        [mention] = await call(api.notifications, types=["mention"])
        found = await call(api.account_lookup, "gina@remote.example")
        same = await call(api.account, gina.id)
        with pytest.raises(MastodonNotFoundError):
            await call(api.account_lookup, "nobody@nowhere.example")
        await call(api.notifications_clear)
        left = await call(api.notifications)
    assert mention.status.id == asked.id and mention.status.visibility == "direct"
    assert found.id == same.id == gina.id and found.acct == "gina@remote.example"
    assert left == []
