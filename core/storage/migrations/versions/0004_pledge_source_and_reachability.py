"""pledge source and reachability in the model; statuses checked

How a pledge was made and whether a person has blocked the bot were kept by the adapters as
keys in the cursors table (`mastodon:boost:<code>:<account>` = "1" for a pledge made by a
boost, `telegram:blocked:<user>` = "1" for a person who blocked the bot), where /forget could
not see them. They move into `pledges.source` and `identities.blocked_at`, and the cursors
table keeps only cursors. A DM status of "ok" is now called "reachable". Every status column
gets a CHECK of its allowed values.

Revision ID: 0004_pledge_source
Revises: 0003_heartbeats_and_dead_letters
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_pledge_source"
down_revision = "0003_heartbeats_and_dead_letters"
branch_labels = None
depends_on = None

BLOCKED = "telegram:blocked:"
BOOST = "mastodon:boost:"

# (table, constraint, column, allowed values), as in core/storage/statuses.py at this revision.
CHECKS = (
    ("gatherings", "ck_gatherings_status", "status", ("open", "cancelled")),
    ("pledges", "ck_pledges_state", "state", ("going", "waitlisted", "withdrawn")),
    ("pledges", "ck_pledges_source", "source", ("button", "command", "boost", "reply")),
    ("identities", "ck_identities_dm_status", "dm_status", ("unknown", "reachable", "unreachable")),
    (
        "outbox",
        "ck_outbox_status",
        "status",
        ("pending", "claimed", "sending", "sent", "failed", "uncertain", "skipped"),
    ),
    ("outbox", "ck_outbox_kind", "kind", ("announcement", "room", "dm")),
)


def _allowed(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def upgrade() -> None:
    with op.batch_alter_table("identities") as batch:
        batch.add_column(sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("pledges") as batch:
        batch.add_column(sa.Column("source", sa.String(length=20), nullable=True))

    op.execute("UPDATE identities SET dm_status = 'reachable' WHERE dm_status = 'ok'")
    blocked = (
        f"FROM cursors WHERE cursors.key = '{BLOCKED}' || identities.native_id"
        " AND cursors.value = '1'"
    )
    op.execute(
        "UPDATE identities SET dm_status = 'unreachable',"
        f" blocked_at = (SELECT cursors.updated_at {blocked})"
        f" WHERE network = 'telegram' AND EXISTS (SELECT 1 {blocked})"
    )
    # "0" markers (a pledge withdrawn because its boost was taken back) become no source.
    op.execute(
        "UPDATE pledges SET source = 'boost' WHERE EXISTS ("
        " SELECT 1 FROM cursors, gatherings, identities"
        " WHERE gatherings.id = pledges.gathering_id"
        " AND identities.person_id = pledges.person_id AND identities.network = 'mastodon'"
        f" AND cursors.key = '{BOOST}' || gatherings.code || ':' || identities.native_id"
        " AND cursors.value = '1')"
    )
    # Markers of people and gatherings no longer stored go too: nothing refers to them.
    op.execute(f"DELETE FROM cursors WHERE key LIKE '{BLOCKED}%' OR key LIKE '{BOOST}%'")

    for table, name, column, values in CHECKS:
        with op.batch_alter_table(table) as batch:
            batch.create_check_constraint(op.f(name), _allowed(column, values))


def downgrade() -> None:
    for table, name, _column, _values in reversed(CHECKS):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(name), type_="check")
    op.execute(
        "INSERT INTO cursors (key, value, updated_at)"
        f" SELECT '{BLOCKED}' || native_id, '1', blocked_at FROM identities"
        " WHERE network = 'telegram' AND blocked_at IS NOT NULL"
    )
    op.execute(
        "INSERT INTO cursors (key, value, updated_at)"
        f" SELECT DISTINCT '{BOOST}' || gatherings.code || ':' || identities.native_id, '1',"
        " pledges.updated_at"
        " FROM pledges JOIN gatherings ON gatherings.id = pledges.gathering_id"
        " JOIN identities ON identities.person_id = pledges.person_id"
        " WHERE pledges.source = 'boost' AND identities.network = 'mastodon'"
    )
    op.execute("UPDATE identities SET dm_status = 'ok' WHERE dm_status = 'reachable'")
    with op.batch_alter_table("pledges") as batch:
        batch.drop_column("source")
    with op.batch_alter_table("identities") as batch:
        batch.drop_column("blocked_at")
