"""A world to try Gather in: fake Telegram, Discord and Mastodon servers, and the demo on them.

Not part of the bot that runs in production: the tests, the benchmarks and `gather demo` start
these fakes in-process, and the real client libraries talk to them over HTTP and WebSockets.
"""
