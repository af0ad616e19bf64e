"""Claims found by their wording alone (verification reuses a stored duplicate's edges).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_claims_content_hash"), "claims", ["content_hash"])


def downgrade() -> None:
    op.drop_index(op.f("ix_claims_content_hash"), table_name="claims")
