"""Fake Telegram, Discord and Mastodon servers that speak each platform's wire protocol.

They run on 127.0.0.1 inside the caller's event loop. The tests point the real client
libraries at them through the base-URL settings each adapter exposes, and `gather demo` uses
them to show the real adapters at work before anyone has created a bot token.

Each fake derives once from ``server.FakeServer`` (HTTP lifecycle, the record of requests,
queued faults, ``wait_for``) and is composed of parts: a world holding the platform's state
and what simulated people do, and the groups of endpoints that serve it (``telegram_*``,
``discord_*``, ``mastodon_*``). ``FakeTelegram``, ``FakeDiscord`` and ``FakeMastodon`` are the
API tests use.
"""
