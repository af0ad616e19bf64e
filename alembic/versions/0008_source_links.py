"""Links between near statements of one source, kept by the stance graph for timelines.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "source_links",
        sa.Column("id", ID, nullable=False),
        sa.Column("claim_id", ID, nullable=False),
        sa.Column("other_id", ID, nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_source_links_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["claims.id"],
            name=op.f("fk_source_links_other_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_links")),
        sa.UniqueConstraint("claim_id", "other_id", name=op.f("uq_source_links_claim_id_other_id")),
    )
    op.create_index("ix_source_links_other_id", "source_links", ["other_id"])
    # Claims graphed before links existed are graphed again, this time with their links.
    op.execute("DELETE FROM graphed_claims")


def downgrade() -> None:
    op.drop_index("ix_source_links_other_id", table_name="source_links")
    op.drop_table("source_links")
