"""Announce claim inserts and deletes on PostgreSQL (NOTIFY crosscheck_claims).

Servers that share one PostgreSQL listen on the channel and bring their vector index in step at
once, instead of at their next poll. A statement trigger fires once per INSERT, DELETE or
TRUNCATE (a bulk batch is one notice), and PostgreSQL delivers the notice only when the writing
transaction commits. SQLite has no such mechanism: this revision does nothing there.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CHANNEL = "crosscheck_claims"  # crosscheck.indexing.notifications.CLAIMS_CHANNEL


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql():
        return
    op.execute(
        f"""
        CREATE FUNCTION crosscheck_notify_claims_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', lower(TG_OP));
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        """
        CREATE TRIGGER claims_notify_changed
        AFTER INSERT OR DELETE OR TRUNCATE ON claims
        FOR EACH STATEMENT EXECUTE FUNCTION crosscheck_notify_claims_changed()
        """
    )


def downgrade() -> None:
    if not _postgresql():
        return
    op.execute("DROP TRIGGER IF EXISTS claims_notify_changed ON claims")
    op.execute("DROP FUNCTION IF EXISTS crosscheck_notify_claims_changed()")
