"""A consistent copy of the database while the bots run.

SQLite: the online backup API copies a snapshot page by page; writers carry on meanwhile
(WAL), and the copy is whole or absent (written beside, then renamed). PostgreSQL: pg_dump,
which reads one snapshot too; this gives the command line that runs it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

PAGES_PER_STEP = 1024  # then let the writers in, then go on


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL; None for other databases (or in-memory SQLite)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def backup_sqlite(source: Path, destination: Path) -> None:
    if not source.exists():
        raise FileNotFoundError(f"{source} does not exist")
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    reader = sqlite3.connect(source, timeout=30)
    try:
        writer = sqlite3.connect(partial)
        try:
            reader.backup(writer, pages=PAGES_PER_STEP)
            # A copy that stands alone: no -wal file beside it is needed to read it.
            writer.execute("PRAGMA journal_mode=DELETE")
        finally:
            writer.close()
    finally:
        reader.close()
    os.replace(partial, destination)


def pg_dump(url: str, destination: Path) -> tuple[list[str], dict[str, str]]:
    """The pg_dump command line (custom format, restorable with pg_restore) and the
    environment it needs; the password goes in PGPASSWORD, never on the command line."""
    parsed = make_url(url)
    password = parsed.password
    plain = parsed.set(drivername="postgresql", password=None)
    command = [
        "pg_dump",
        "--format=custom",
        "--no-owner",
        f"--file={destination}",
        f"--dbname={plain.render_as_string(hide_password=False)}",
    ]
    return command, ({"PGPASSWORD": str(password)} if password else {})
