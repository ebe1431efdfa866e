"""The `gather` command: the composition root, where settings, database and networks meet.

The operator's own commands (status, backup, dead-letters) are in adapters/operator.py.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol

from adapters import health, logs, networks, operator
from adapters.runtime.pruning import prune_periodically
from adapters.web import WebServer
from core import (
    Clock,
    ConfigError,
    Gather,
    Settings,
    SystemClock,
    gather_version,
    library_versions,
    load_settings,
    upgrade_database,
)

CORE_THREADS = 32
LOOPBACK = ("127.0.0.1", "::1", "localhost")
# Installed packages add subcommands here (the sandbox registers `gather demo`), so the bot
# itself never imports them.
COMMANDS_GROUP = "gather.commands"

log = logging.getLogger("gather")


class Command(Protocol):
    """A subcommand another installed package registers under COMMANDS_GROUP."""

    help: str

    def configure(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, arguments: argparse.Namespace) -> int: ...


def installed_commands() -> dict[str, Command]:
    """Subcommands registered by installed packages, by name."""
    return {found.name: found.load() for found in entry_points(group=COMMANDS_GROUP)}


def version_line() -> str:
    libraries = ", ".join(f"{name} {version}" for name, version in library_versions().items())
    return f"gather {gather_version()} ({libraries})"


class _PrintVersion(argparse.Action):
    """Like argparse's "version", without rewrapping the line."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any) -> None:
        print(version_line())
        parser.exit()


def parser(extra: dict[str, Command] | None = None) -> argparse.ArgumentParser:
    # --config, --verbose and --log-format work before the subcommand and after it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="bots.toml")
    common.add_argument("--verbose", "-v", action="store_true", default=argparse.SUPPRESS)
    common.add_argument(
        "--log-format", choices=logs.FORMATS, default=argparse.SUPPRESS, help="human or json"
    )
    main_parser = argparse.ArgumentParser(
        prog="gather", description="Run the Gather bots.", parents=[common]
    )
    main_parser.add_argument("--version", action=_PrintVersion, help="versions, then exit")
    commands = main_parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help_text, parents=[common])

    run = command("run", "start every network whose token is set (else the console)")
    run.add_argument(
        "--network", action="append", choices=sorted(networks.ADAPTERS), help="only these networks"
    )
    command("check", "validate bots.toml, reach the database, say which networks would start")
    command("upgrade", "bring the database schema up to date")
    for name, extra_command in sorted((extra or {}).items()):
        extra_command.configure(command(name, extra_command.help))
    operator.add_commands(command)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    extra = installed_commands()
    arguments = parser(extra).parse_args(argv)
    # Defaults here, not in the parsers: they share these options' actions (parents=).
    defaults = {
        "config": Path(os.environ.get("GATHER_CONFIG", "bots.toml")),
        "verbose": False,
        "log_format": os.environ.get("GATHER_LOG_FORMAT", "human").lower(),
    }
    for name, value in defaults.items():
        if not hasattr(arguments, name):
            setattr(arguments, name, value)
    if arguments.log_format not in logs.FORMATS:
        arguments.log_format = "human"
    if arguments.command in extra:
        return extra[arguments.command].run(arguments)
    environ = dict(os.environ)
    logs.configure(
        arguments.log_format, verbose=arguments.verbose, secrets=logs.secrets_in(environ)
    )
    try:
        return _main(arguments, environ)
    finally:
        logs.remove()


def _main(arguments: argparse.Namespace, environ: dict[str, str]) -> int:
    try:
        settings = load_settings(arguments.config, environ)
        found = networks.problems(settings, environ)
        if arguments.command == "check" and not found:
            # Only for a valid bots.toml: reaching a SQLite database creates its file.
            found += operator.database_problems(settings.database_url)
        if found:
            raise ConfigError(found)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    # Now the sections are known, the secrets they name are redacted too.
    logs.configure(
        arguments.log_format, verbose=arguments.verbose, secrets=logs.secrets_in(environ, settings)
    )
    if arguments.command == "check":
        print(
            f"{arguments.config} is valid and the database answers. "
            f"Networks that would start: {', '.join(networks.startable(settings, environ))}"
        )
        return 0
    if arguments.command in operator.COMMANDS:
        return operator.run(arguments, settings)
    upgrade_database(settings.database_url)
    if arguments.command == "upgrade":
        print("The database is up to date.")
        return 0
    chosen = arguments.network or networks.startable(settings, environ)
    if chosen == ["console"] and not arguments.network:
        print("No network tokens are set, so Gather runs on the console network.", file=sys.stderr)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(until_terminated(serve(settings, environ, chosen)))
    return 0


async def until_terminated(work: Coroutine[Any, Any, None]) -> None:
    """Run `work`; SIGTERM (systemd, docker stop, kill) stops it as cleanly as Ctrl-C does."""
    task = asyncio.ensure_future(work)
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    try:
        await task
    except asyncio.CancelledError:
        if not task.cancelled():
            raise
        log.info("stopped")
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(signal.SIGTERM)


async def serve(
    settings: Settings, environ: dict[str, str], chosen: list[str], *, clock: Clock | None = None
) -> None:
    """Run the chosen networks on one core until cancelled (or until one of them stops).

    `clock` is for simulations and tests (a FixedClock); production uses the system clock.
    """
    # Adapters hand commands to the core in worker threads (asyncio.to_thread). In a burst most
    # of them wait for the database writer, and those waiting together commit together
    # (core/storage/group_commit.py): more threads than the default (cores + 4) make bigger batches.
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(CORE_THREADS, thread_name_prefix="core")
    )
    gather = Gather.open(settings, clock or SystemClock())
    try:
        await asyncio.to_thread(gather.prepare)
        pages = await start_pages(gather, chosen)
        try:
            await serve_networks(gather, settings, environ, chosen)
        finally:
            if pages is not None:
                await pages.stop()
    finally:
        gather.close()


async def start_pages(gather: Gather, chosen: list[str]) -> WebServer | None:
    """The gatherings' web pages, when `[web] enabled`. If the port is taken (another
    `gather run` on this machine serves them), the bots run on without. On a server for this
    machine only, /healthz, /readyz and /metrics are there too (else only on `[metrics]`)."""
    settings = gather.web_settings()
    if not settings.enabled:
        return None
    local = settings.listen in LOOPBACK
    pages = WebServer(gather, extra_routes=health.routes(gather, chosen) if local else None)
    try:
        await pages.start()
    except OSError as error:
        log.warning("no web pages from this process: %s", error)
        await pages.stop()
        return None
    return pages


async def serve_networks(
    gather: Gather, settings: Settings, environ: dict[str, str], chosen: list[str]
) -> None:
    """Each chosen network's adapter, concurrently, on one core; health and metrics beside."""
    tasks = {
        asyncio.create_task(
            networks.serve(name, gather, settings.networks.get(name, {}), environ),
            name=name,
        )
        for name in chosen
    }
    endpoints = (
        asyncio.create_task(health.serve(gather, settings.metrics_listen, chosen))
        if settings.metrics_listen
        else None
    )
    pruning = asyncio.create_task(prune_periodically(gather), name="pruning")
    log.info("serving %s", ", ".join(chosen))
    try:
        done, _pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task.exception() is not None:
                log.error("%s stopped: %s", task.get_name(), task.exception())
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        pruning.cancel()
        await asyncio.gather(pruning, return_exceptions=True)
        if endpoints is not None:
            endpoints.cancel()
            await asyncio.gather(endpoints, return_exceptions=True)


if __name__ == "__main__":
    raise SystemExit(main())
