"""A table that refuses writes, as a full disk or a broken deployment would: a real database
trigger, so the core's handler raises exactly as it would in production (no patching)."""

from __future__ import annotations

from sqlalchemy import text

from core.storage.db import Database


def refuse_writes(database: Database, table: str) -> None:
    with database.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(
                text(
                    f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"
                )
            )
        else:
            connection.execute(
                text(
                    "CREATE OR REPLACE FUNCTION refuse_writes() RETURNS trigger AS $$ "
                    "BEGIN RAISE EXCEPTION 'the disk is full'; END $$ LANGUAGE plpgsql"
                )
            )
            connection.execute(
                text(
                    f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_writes()"
                )
            )


def allow_writes(database: Database, table: str) -> None:
    with database.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(text(f"DROP TRIGGER refuse_{table}"))
        else:
            connection.execute(text(f"DROP TRIGGER refuse_{table} ON {table}"))
