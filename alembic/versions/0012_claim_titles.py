"""A claim's title (the headline it was published or fact-checked under), matched as words too.

SQLite: the FTS5 table gets a second column, ``title``, beside ``text``; its triggers and
vocabulary table are made again for it, and it is rebuilt from the claims. PostgreSQL: the GIN
index covers ``text || ' ' || coalesce(title, '')``.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

FTS_TABLE = "claims_fts"  # crosscheck.matching.lexical.FTS_TABLE
PG_INDEX = "ix_claims_text_search"
TRIGGERS = ("insert", "delete", "update")


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _drop_sqlite_index() -> None:
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{trigger}")
    op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}_vocab")
    op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def _create_sqlite_index(columns: list[str]) -> None:
    """The FTS5 table over ``columns`` of claims, its triggers and vocabulary, filled."""
    names = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    op.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({names}, content='claims', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
    )
    insert = f"INSERT INTO {FTS_TABLE}(rowid, {names}) VALUES (new.id, {new});"
    delete = (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {names}) VALUES ('delete', old.id, {old});"
    )
    op.execute(f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON claims BEGIN {insert} END")
    op.execute(f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON claims BEGIN {delete} END")
    op.execute(
        f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF {names} ON claims "
        f"BEGIN {delete} {insert} END"
    )
    op.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE}_vocab USING fts5vocab({FTS_TABLE}, 'row')")
    op.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def upgrade() -> None:
    op.add_column("claims", sa.Column("title", sa.String(length=500), nullable=True))
    if _postgresql():
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        op.execute(
            f"CREATE INDEX {PG_INDEX} ON claims "
            "USING gin (to_tsvector('english', text || ' ' || coalesce(title, '')))"
        )
        return
    _drop_sqlite_index()
    _create_sqlite_index(["text", "title"])


def downgrade() -> None:
    if _postgresql():
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        op.execute(f"CREATE INDEX {PG_INDEX} ON claims USING gin (to_tsvector('english', text))")
        op.drop_column("claims", "title")
        return
    _drop_sqlite_index()  # its triggers name the column
    op.drop_column("claims", "title")  # in place: SQLite drops a column since 3.35
    _create_sqlite_index(["text"])
