"""Initial schema: sources and their aliases, documents, claims.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# 64-bit ids on PostgreSQL; SQLite keeps INTEGER so that primary keys autoincrement.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

SOURCE_KINDS = ("government", "agency", "military", "outlet", "organization", "person", "other")


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*SOURCE_KINDS, name="source_kind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("name_key", name=op.f("uq_sources_name_key")),
    )
    op.create_table(
        "source_aliases",
        sa.Column("id", ID, nullable=False),
        sa.Column("source_id", ID, nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("alias_key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"],
            name=op.f("fk_source_aliases_source_id_sources"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_aliases")),
        sa.UniqueConstraint("alias_key", name=op.f("uq_source_aliases_alias_key")),
    )
    op.create_index(op.f("ix_source_aliases_source_id"), "source_aliases", ["source_id"])
    op.create_table(
        "documents",
        sa.Column("id", ID, nullable=False),
        sa.Column("publisher_id", ID, nullable=True),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["publisher_id"], ["sources.id"],
            name=op.f("fk_documents_publisher_id_sources"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    op.create_index(op.f("ix_documents_content_hash"), "documents", ["content_hash"])
    op.create_index(op.f("ix_documents_publisher_id"), "documents", ["publisher_id"])
    op.create_table(
        "claims",
        sa.Column("id", ID, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("source_id", ID, nullable=False),
        sa.Column("document_id", ID, nullable=True),
        sa.Column("stated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"],
            name=op.f("fk_claims_document_id_documents"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"],
            name=op.f("fk_claims_source_id_sources"), ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("source_id", "content_hash", name=op.f("uq_claims_source_id_content_hash")),
        sa.UniqueConstraint("source_id", "external_id", name=op.f("uq_claims_source_id_external_id")),
    )
    op.create_index(op.f("ix_claims_document_id"), "claims", ["document_id"])
    op.create_index(op.f("ix_claims_source_id"), "claims", ["source_id"])
    op.create_index("ix_claims_stated_at", "claims", ["stated_at"])


def downgrade() -> None:
    op.drop_index("ix_claims_stated_at", table_name="claims")
    op.drop_index(op.f("ix_claims_source_id"), table_name="claims")
    op.drop_index(op.f("ix_claims_document_id"), table_name="claims")
    op.drop_table("claims")
    op.drop_index(op.f("ix_documents_publisher_id"), table_name="documents")
    op.drop_index(op.f("ix_documents_content_hash"), table_name="documents")
    op.drop_table("documents")
    op.drop_index(op.f("ix_source_aliases_source_id"), table_name="source_aliases")
    op.drop_table("source_aliases")
    op.drop_table("sources")
