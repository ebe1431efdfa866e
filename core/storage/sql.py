"""Statements the ORM doesn't write well: SQLite/PostgreSQL differences written once, and
single-statement inserts for the hottest paths."""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Insert, Select, Update, bindparam, func, insert, inspect, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import ReturningInsert

M = TypeVar("M", bound=DeclarativeBase)


def _dialect_insert(dialect: str, model: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that can say ON CONFLICT, in the dialect's own words."""
    return postgresql.insert(model) if dialect == "postgresql" else sqlite.insert(model)


@cache
def _ignoring_conflict(
    dialect: str, model: Any, index_elements: tuple[str, ...], index_where: str | None
) -> Insert:
    where = text(index_where) if index_where else None
    return _dialect_insert(dialect, model).on_conflict_do_nothing(
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
    """Insert `rows` in one statement, skipping any that would break the unique index."""
    if rows:
        # With RETURNING, SQLAlchemy sends the rows as one multi-row VALUES built from the
        # cached statement ("insertmanyvalues"); without it, psycopg's executemany pipeline
        # costs more in Python than the few rows a join writes.
        statement = _insert_ignoring_conflict(
            session.get_bind().dialect.name, model, tuple(index_elements), index_where
        )
        session.connection().execute(statement, rows)


@cache
def _upsert_keeping_earliest(
    dialect: str,
    model: Any,
    rows: Select[*tuple[Any, ...]],
    index_elements: tuple[str, ...],
    index_where: str,
    column: str,
    returning: str,
) -> ReturningInsert[Any]:
    statement = _dialect_insert(dialect, model).from_select(
        [selected.name for selected in rows.selected_columns], rows
    )
    current, proposed = getattr(model, column), getattr(statement.excluded, column)
    earliest = (
        func.least(current, proposed) if dialect == "postgresql" else func.min(current, proposed)
    )
    return statement.on_conflict_do_update(
        index_elements=list(index_elements), index_where=text(index_where), set_={column: earliest}
    ).returning(getattr(model, returning))


def upsert_keeping_earliest(
    session: Session,
    model: Any,
    rows: Select[*tuple[Any, ...]],
    parameters: dict[str, Any],
    *,
    index_elements: list[str],
    index_where: str,
    column: str,
    returning: str,
) -> list[Any]:
    """Insert what `rows` selects (its columns labelled as `model`'s), in one statement; where a
    row already exists, keep it and move `column` to the earlier value. Returns the `returning`
    column of every row inserted or kept.

    Unlike DO NOTHING, the update locks the existing row until commit, so a claimer using
    SKIP LOCKED cannot take it (and render it) before this transaction's changes are visible.
    """
    statement = _upsert_keeping_earliest(
        session.get_bind().dialect.name,
        model,
        rows,
        tuple(index_elements),
        index_where,
        column,
        returning,
    )
    return list(session.connection().execute(statement, parameters).scalars())


@cache
def _insert_returning_row(
    dialect: str, model: Any, unless: tuple[str, ...] | None
) -> ReturningInsert[Any]:
    table = inspect(model).local_table
    if unless is None:
        return insert(table).returning(*table.c)
    return _ignoring_conflict(dialect, model, unless, None).returning(*table.c)


def add_now(session: Session, model: type[M], **values: Any) -> M:
    """Insert one row now and return it as a persistent object of `model`, as if loaded.

    For the hottest paths (a join creates a person, an identity and a pledge): the unit of
    work's flush costs several times the INSERT itself. RETURNING every column fills in the
    defaults, so no attribute is left to load later.
    """
    instance = _add(session, model, None, values)
    assert instance is not None
    return instance


def add_if_new(
    session: Session, model: type[M], unique: tuple[str, ...], **values: Any
) -> M | None:
    """`add_now`, or None if a row with the same `unique` columns exists (nothing is written)."""
    return _add(session, model, unique, values)


def _add(
    session: Session, model: type[M], unique: tuple[str, ...] | None, values: dict[str, Any]
) -> M | None:
    statement = _insert_returning_row(session.get_bind().dialect.name, model, unique)
    row = session.connection().execute(statement, values).first()
    if row is None:
        return None
    return as_loaded(session, model, row._asdict())


def as_loaded(session: Session, model: type[M], columns: dict[str, Any]) -> M:
    """A row written by a Core statement, as a persistent object of `model` (every column
    given, so nothing is loaded again later)."""
    instance = model(**columns)
    make_transient_to_detached(instance)
    session.add(instance)
    return instance


@cache
def _update_by_key(model: Any, attributes: tuple[str, ...]) -> Update:
    table = inspect(model).local_table
    (key,) = table.primary_key.columns
    return (
        update(table)
        .where(key == bindparam("_key"))
        .values({name: bindparam(name) for name in attributes})
    )


def store_now(session: Session, instance: Any, **values: Any) -> None:
    """Set attributes of a loaded object and write them in one UPDATE now, not at flush.

    The counterpart of `add_now` for the counters every join changes. The object is never
    marked as modified, so no flush runs for it later.
    """
    state = inspect(instance)
    session.connection().execute(
        _update_by_key(state.mapper.class_, tuple(values)), {"_key": state.identity[0], **values}
    )
    for name, value in values.items():
        set_committed_value(instance, name, value)
