"""Claim ids are never reused on SQLite (AUTOINCREMENT).

Without AUTOINCREMENT, SQLite gives a new row the highest id plus one: delete the newest claim
and the next one takes its id. The vector index is keyed by claim id, so an index saved (or a
server that had not caught up) before the delete would hold the old claim's vector under the
new claim's id, and a comparison of ids cannot see it. AUTOINCREMENT never hands out an id
twice. PostgreSQL's sequences never did: nothing to do there.

The table is rebuilt (SQLite cannot change a primary key in place) with foreign keys off, so
that dropping the old table does not cascade to claim_reviews and claim_appearances.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _rebuild_claims(*, autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    context = op.get_context()
    # PRAGMA foreign_keys is ignored inside a transaction: set it between two.
    with context.autocommit_block():
        op.execute("PRAGMA foreign_keys=OFF")
    with op.batch_alter_table(
        "claims", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ):
        pass
    with context.autocommit_block():
        op.execute("PRAGMA foreign_keys=ON")


def upgrade() -> None:
    _rebuild_claims(autoincrement=True)


def downgrade() -> None:
    _rebuild_claims(autoincrement=False)
