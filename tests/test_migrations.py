"""The same migrations, up and down, on SQLite and PostgreSQL; and they match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from crosscheck.matching.lexical import not_in_models
from crosscheck.migrations import downgrade, upgrade
from crosscheck.models import Base

TABLES = {
    "sources",
    "source_aliases",
    "documents",
    "claims",
    "claim_appearances",
    "claim_reviews",
    "api_keys",
    "stance_edges",
    "source_links",
    "graphed_claims",
}


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        names = set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()
    return {name for name in names if not not_in_models(name, "table")}


def _lexical_index(url: str) -> set[str]:
    """The lexical index's parts: FTS5 tables on SQLite, the expression index on PostgreSQL."""
    engine = create_engine(url)
    try:
        found = inspect(engine)
        tables = set(found.get_table_names())
        indexes = {i["name"] for i in found.get_indexes("claims")} if "claims" in tables else set()
    finally:
        engine.dispose()
    return {name for name in tables if not_in_models(name, "table")} | {
        name for name in indexes if not_in_models(name, "index")
    }


def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    assert _tables(database_url) == TABLES
    assert _lexical_index(database_url)
    downgrade(database_url, "0011")  # the index over the text alone again
    assert _lexical_index(database_url)
    downgrade(database_url, "0009")
    assert _lexical_index(database_url) == set()
    downgrade(database_url, "base")
    assert _tables(database_url) == set()
    upgrade(database_url)
    assert _tables(database_url) == TABLES
    assert _lexical_index(database_url)


def _mapped(name: str | None, kind: str, parent_names: object) -> bool:
    return not not_in_models(name, kind)


def test_migrations_match_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": _mapped}
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []
