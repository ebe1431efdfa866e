"""Fake Telegram, Discord and Mastodon servers that speak each platform's wire protocol.

They run on 127.0.0.1 inside the caller's event loop. The tests point the real client
libraries at them through the base-URL settings each adapter exposes, and `gather demo` uses
them to show the real adapters at work before anyone has created a bot token.
"""
