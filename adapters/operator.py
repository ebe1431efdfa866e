"""The operator's commands: `gather status`, `gather backup PATH`, `gather dead-letters`.

They read and write the database only, so they work while the bots run, from any process.
Operator output is English: it is a tool for whoever runs the bots, not for the people in chat.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any

from core import (
    Gather,
    Settings,
    Status,
    SystemClock,
    backup_sqlite,
    gather_version,
    library_versions,
    pg_dump,
    reach_database,
    sqlite_file,
)

COMMANDS = ("status", "backup", "dead-letters")
NEEDS_ATTENTION = 1


def add_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    status = command("status", "how the running bots are doing (exit 1 when something needs you)")
    status.add_argument("--json", action="store_true", help="for scripts")
    backup = command("backup", "a consistent copy of the database, while the bots run")
    backup.add_argument("path", type=Path)
    letters = command("dead-letters", "inbound events whose handling failed: list, retry, drop")
    letters.add_argument("--network", help="only this network's")
    action = letters.add_mutually_exclusive_group()
    action.add_argument("--show", type=int, metavar="ID", help="one letter with its raw event")
    action.add_argument("--retry", metavar="ID|all", help="try again now (by its network)")
    action.add_argument("--drop", metavar="ID|all", help="give up on it")


def database_problems(url: str) -> list[str]:
    """Whether the database answers (for `gather check`)."""
    trouble = reach_database(url)
    return [f"the database at {_safe(url)} does not answer: {trouble}"] if trouble else []


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    if arguments.command == "backup":
        return backup(settings.database_url, arguments.path)
    gather = Gather.open(settings, SystemClock())
    try:
        if arguments.command == "status":
            return status(gather, as_json=arguments.json)
        return dead_letters(gather, arguments)
    finally:
        gather.close()


# Status -----------------------------------------------------------------------------------


def status(gather: Gather, *, as_json: bool) -> int:
    report = gather.operations.status()
    attention = report.attention()
    if as_json:
        print(json.dumps(_as_dict(report, attention), indent=2, default=str))
    else:
        print(render_status(report, attention))
    return NEEDS_ATTENTION if attention else 0


def _as_dict(report: Status, attention: list[str]) -> dict[str, Any]:
    found = asdict(report)
    found["oldest_pending"] = {k: v.total_seconds() for k, v in report.oldest_pending.items()}
    found["dead_letters"] = {
        network: {"retrying": retrying, "kept": kept}
        for network, (retrying, kept) in report.dead_letters.items()
    }
    found["attention"] = attention
    found["version"] = gather_version()
    found["libraries"] = library_versions()
    return found


def render_status(report: Status, attention: list[str]) -> str:
    now = report.now
    lines = [
        f"Gather {gather_version()}, schema {report.schema_version}, at {now:%Y-%m-%d %H:%M:%S} UTC"
    ]
    lines.append("Networks:")
    for state in report.networks:
        word = "connected" if state.connected else "DOWN"
        lines.append(f"  {state.network:<9} {word} for {_age(now - state.since)}")
    if not report.networks:
        lines.append("  none has reported yet (is `gather run` running?)")
    lines.append("Outbox:")
    for network, counts in sorted(report.outbox.items()):
        shown = ", ".join(f"{count} {state}" for state, count in sorted(counts.items()))
        oldest = report.oldest_pending.get(network)
        waited = f"; oldest due waited {_age(oldest)}" if oldest is not None else ""
        lines.append(f"  {network:<9} {shown}{waited}")
    if not report.outbox:
        lines.append("  empty")
    due = sum(report.reminders_next_hour.values())
    lines.append(f"Reminders due in the next hour: {due}")
    lines.append("Failed or uncertain sends in the last 24 h:")
    for trouble in report.troubles[:10]:
        lines.append(
            f"  {trouble.network:<9} {trouble.count} {trouble.status}, last "
            f"{_age(now - trouble.latest)} ago: {trouble.reason[:100]}"
        )
    if not report.troubles:
        lines.append("  none")
    letters = ", ".join(
        f"{network} {retrying} retrying, {kept} kept"
        for network, (retrying, kept) in sorted(report.dead_letters.items())
    )
    lines.append(f"Dead letters: {letters or 'none'}")
    versions = ", ".join(f"{name} {version}" for name, version in library_versions().items())
    lines.append(f"Libraries: {versions}")
    if attention:
        lines.append("NEEDS ATTENTION:")
        lines.extend(f"  - {reason}" for reason in attention)
    else:
        lines.append("All is well.")
    return "\n".join(lines)


def _age(age: timedelta) -> str:
    seconds = int(max(age, timedelta(0)).total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 172800:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


# Backup -----------------------------------------------------------------------------------


def backup(url: str, destination: Path) -> int:
    source = sqlite_file(url)
    if source is not None:
        backup_sqlite(source, destination)
        print(f"Backed up {source} to {destination}. See docs/operations.md to restore it.")
        return 0
    if not url.startswith("postgresql"):
        print(f"gather backup knows SQLite and PostgreSQL, not {_safe(url)}", file=sys.stderr)
        return 2
    command, extra = pg_dump(url, destination)
    shown = " ".join(_safe(part) for part in command)
    if shutil.which("pg_dump") is None:
        print(
            f"pg_dump is not installed. On a machine that has it, run:\n  {shown}", file=sys.stderr
        )
        return 2
    finished = subprocess.run(command, env={**os.environ, **extra}, check=False)
    if finished.returncode != 0:
        print(f"pg_dump failed ({finished.returncode}): {shown}", file=sys.stderr)
        return 2
    print(f"Backed up with: {shown}\nRestore it with pg_restore (docs/operations.md).")
    return 0


def _safe(text: str) -> str:
    """A database URL without its password."""
    if "://" not in text or "@" not in text:
        return text
    scheme, _, rest = text.partition("://")
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}@{host}" if user else f"{scheme}://{host}"


# Dead letters -----------------------------------------------------------------------------


def dead_letters(gather: Gather, arguments: argparse.Namespace) -> int:
    operations = gather.operations
    if arguments.retry is not None or arguments.drop is not None:
        chosen = arguments.retry if arguments.retry is not None else arguments.drop
        if chosen != "all" and not chosen.isdigit():
            print(f"give a letter's id or 'all', not {chosen!r}", file=sys.stderr)
            return 2
        letter_id = None if chosen == "all" else int(chosen)
        if arguments.retry is not None:
            count = operations.retry_dead_letters(letter_id)
            print(f"{count} dead letter(s) will be tried again by their network within a minute.")
        else:
            count = operations.drop_dead_letters(letter_id)
            print(f"{count} dead letter(s) dropped.")
        return 0 if count or letter_id is None else 1
    letters = operations.dead_letters(arguments.network)
    if arguments.show is not None:
        found = [letter for letter in letters if letter.id == arguments.show]
        if not found:
            print(f"no dead letter {arguments.show}", file=sys.stderr)
            return 1
        print(json.dumps(asdict(found[0]), indent=2, default=str))
        return 0
    if not letters:
        print("No dead letters.")
    for letter in letters:
        when = (
            "kept for you"
            if letter.next_attempt_at is None
            else f"next try {letter.next_attempt_at:%H:%M:%S}"
        )
        print(
            f"{letter.id:>5}  {letter.network:<9} {letter.event_key:<28} {letter.attempts} tries, "
            f"{when}, first failed {letter.failed_at:%Y-%m-%d %H:%M} UTC: {letter.error[:80]}"
        )
    return 0
