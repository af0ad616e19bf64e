"""Claim appearances in documents (span, speaker, relays) and claim polarity.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(
            sa.Column("polarity", sa.String(length=10), nullable=False, server_default="asserts")
        )
    op.create_table(
        "claim_appearances",
        sa.Column("id", ID, nullable=False),
        sa.Column("claim_id", ID, nullable=False),
        sa.Column("document_id", ID, nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(length=200), nullable=True),
        sa.Column("relayed_by", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"],
            name=op.f("fk_claim_appearances_claim_id_claims"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"],
            name=op.f("fk_claim_appearances_document_id_documents"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_appearances")),
        sa.UniqueConstraint(
            "claim_id", "document_id", "start",
            name=op.f("uq_claim_appearances_claim_id_document_id_start"),
        ),
    )
    op.create_index(op.f("ix_claim_appearances_claim_id"), "claim_appearances", ["claim_id"])
    op.create_index(op.f("ix_claim_appearances_document_id"), "claim_appearances", ["document_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_claim_appearances_document_id"), table_name="claim_appearances")
    op.drop_index(op.f("ix_claim_appearances_claim_id"), table_name="claim_appearances")
    op.drop_table("claim_appearances")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("polarity")
