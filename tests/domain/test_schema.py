"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, inspect

from core.storage.db import Database
from core.storage.schema import metadata


def test_migrations_match_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_every_status_column_is_checked_by_the_database_as_the_model_says(
    database: Database,
) -> None:
    """compare_metadata does not look at CHECK constraints: the statuses' are compared here."""
    inspector = inspect(database.engine)
    for table in metadata.sorted_tables:
        wanted = {
            str(constraint.name)
            for constraint in table.constraints
            if isinstance(constraint, CheckConstraint)
        }
        stored = {str(check["name"]) for check in inspector.get_check_constraints(table.name)}
        assert stored == wanted, table.name
