"""What each claim appearance's attribution rests on, and how sure it is.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claim_appearances") as batch:
        batch.add_column(sa.Column("cue", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claim_appearances") as batch:
        batch.drop_column("confidence")
        batch.drop_column("cue")
