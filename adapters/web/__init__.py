"""Each gathering's web page, served by the bot process (see docs/web.md)."""

from adapters.web.server import WebServer

__all__ = ["WebServer"]
