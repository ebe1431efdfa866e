"""Statements that differ between SQLite and PostgreSQL, written once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Insert, TextClause, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignoring_conflict(
    session: Session,
    model: Any,
    values: dict[str, Any],
    index_elements: list[str],
    index_where: ColumnElement[bool] | TextClause | None = None,
) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when a row was inserted."""
    statement: Insert
    if session.get_bind().dialect.name == "postgresql":
        statement = (
            postgresql.insert(model)
            .values(**values)
            .on_conflict_do_nothing(index_elements=index_elements, index_where=index_where)
        )
    else:
        statement = (
            sqlite.insert(model)
            .values(**values)
            .on_conflict_do_nothing(index_elements=index_elements, index_where=index_where)
        )
    # RETURNING says for certain whether a row went in (rowcount is not reliable for this).
    key = inspect(model).primary_key[0]
    return session.execute(statement.returning(key)).first() is not None
