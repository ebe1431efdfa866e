"""Statements that differ between SQLite and PostgreSQL, written once."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Insert, func, inspect, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert


@cache
def _ignoring_conflict(
    dialect: str, model: Any, index_elements: tuple[str, ...], index_where: str | None
) -> Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    where = text(index_where) if index_where else None
    return insert(model).on_conflict_do_nothing(
        index_elements=list(index_elements), index_where=where
    )


@cache
def _insert_ignoring_conflict(
    dialect: str, model: Any, index_elements: tuple[str, ...], index_where: str | None
) -> ReturningInsert[Any]:
    # RETURNING says for certain whether a row went in (rowcount is not reliable for this).
    statement = _ignoring_conflict(dialect, model, index_elements, index_where)
    return statement.returning(inspect(model).primary_key[0])


def insert_ignoring_conflict(
    session: Session,
    model: Any,
    values: dict[str, Any],
    index_elements: list[str],
    index_where: str | None = None,
) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when a row was inserted.

    `index_where` is the SQL condition of a partial unique index, e.g. "status = 'pending'".
    """
    statement = _insert_ignoring_conflict(
        session.get_bind().dialect.name, model, tuple(index_elements), index_where
    )
    # Core statements go straight to the connection: the ORM's result handling adds nothing.
    return session.connection().execute(statement, values).first() is not None


def insert_many_ignoring_conflict(
    session: Session,
    model: Any,
    rows: list[dict[str, Any]],
    index_elements: list[str],
    index_where: str | None = None,
) -> None:
    """Insert `rows` in one round trip, skipping any that would break the unique index."""
    if rows:
        statement = _ignoring_conflict(
            session.get_bind().dialect.name, model, tuple(index_elements), index_where
        )
        session.connection().execute(statement, rows)


@cache
def _upsert_keeping_earliest(
    dialect: str, model: Any, index_elements: tuple[str, ...], index_where: str, column: str
) -> Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model)
    current, proposed = getattr(model, column), getattr(statement.excluded, column)
    earliest = (
        func.least(current, proposed) if dialect == "postgresql" else func.min(current, proposed)
    )
    return statement.on_conflict_do_update(
        index_elements=list(index_elements), index_where=text(index_where), set_={column: earliest}
    )


def upsert_keeping_earliest(
    session: Session,
    model: Any,
    rows: list[dict[str, Any]],
    index_elements: list[str],
    index_where: str,
    column: str,
) -> None:
    """Insert `rows`; where one already exists, keep it and move `column` to the earlier value.

    Unlike DO NOTHING, the update locks the existing row until commit, so a claimer using
    SKIP LOCKED cannot take it (and render it) before this transaction's changes are visible.
    """
    if rows:
        statement = _upsert_keeping_earliest(
            session.get_bind().dialect.name, model, tuple(index_elements), index_where, column
        )
        session.connection().execute(statement, rows)
