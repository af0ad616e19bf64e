"""The stance graph: judged edges between stored claims, and which claims are graphed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "stance_edges",
        sa.Column("id", ID, nullable=False),
        sa.Column("claim_id", ID, nullable=False),
        sa.Column("evidence_id", ID, nullable=False),
        sa.Column("stance", sa.String(length=20), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=True),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("judged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_stance_edges_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["claims.id"],
            name=op.f("fk_stance_edges_evidence_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stance_edges")),
        sa.UniqueConstraint(
            "claim_id", "evidence_id", name=op.f("uq_stance_edges_claim_id_evidence_id")
        ),
    )
    op.create_index("ix_stance_edges_evidence_id", "stance_edges", ["evidence_id"])
    op.create_table(
        "graphed_claims",
        sa.Column("claim_id", ID, nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("graphed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_graphed_claims_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_graphed_claims")),
    )


def downgrade() -> None:
    op.drop_table("graphed_claims")
    op.drop_index("ix_stance_edges_evidence_id", table_name="stance_edges")
    op.drop_table("stance_edges")
