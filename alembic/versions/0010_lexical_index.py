"""A lexical index of claims in the claims database, for claim matching (words, not vectors).

SQLite: an FTS5 table over ``claims.text`` (external content: the text is stored once), fed by
triggers in the same transaction as the claims, so it cannot drift from them. PostgreSQL: a GIN
index over ``to_tsvector('english', text)``, which the database keeps in step by itself.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

FTS_TABLE = "claims_fts"  # crosscheck.matching.lexical.FTS_TABLE
PG_INDEX = "ix_claims_text_search"


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _postgresql():
        op.execute(f"CREATE INDEX {PG_INDEX} ON claims USING gin (to_tsvector('english', text))")
        return
    op.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(text, content='claims', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    op.execute(
        f"""CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON claims BEGIN
            INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text);
        END"""
    )
    op.execute(
        f"""CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON claims BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
        END"""
    )
    op.execute(
        f"""CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF text ON claims BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text);
        END"""
    )
    # How many claims hold each (stemmed) term: a query leaves out the words most claims hold.
    op.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE}_vocab USING fts5vocab({FTS_TABLE}, 'row')")
    # Claims stored before this revision.
    op.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def downgrade() -> None:
    if _postgresql():
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{trigger}")
    op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}_vocab")
    op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
