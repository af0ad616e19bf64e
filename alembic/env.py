"""Alembic environment: the URL comes from the caller's config, else from crosscheck settings."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from crosscheck.database import create_db_engine
from crosscheck.matching.lexical import not_in_models
from crosscheck.models import Base
from crosscheck.settings import get_settings
from embeddings.ann.pgvector import TABLES as VECTOR_TABLES

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _include_name(name: str | None, type_: str, parent_names: object) -> bool:
    # The pgvector backend creates its own tables: they are no part of the migrated schema. The
    # lexical index is (migration 0010), but no model maps it.
    return not ((type_ == "table" and name in VECTOR_TABLES) or not_in_models(name, type_))


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_name=_include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_db_engine(_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            include_name=_include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
