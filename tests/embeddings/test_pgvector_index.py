"""What is particular to the pgvector backend: its tables, its HNSW index, a clear error without
the extension."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from embeddings.pgvector_index import (
    METADATA_TABLE,
    VECTOR_TABLE,
    PgVectorIndex,
    PgVectorUnavailableError,
)
from tests.conftest import _has_vector_extension

pytestmark = pytest.mark.pgvector


def test_create_makes_the_vector_table_its_hnsw_index_and_metadata(
    pgvector_engine: Engine,
) -> None:
    PgVectorIndex.create(pgvector_engine, model="m", dimension=384)
    with pgvector_engine.connect() as connection:
        column_type = connection.execute(
            text(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = CAST(:table AS regclass) AND attname = 'embedding'"
            ),
            {"table": VECTOR_TABLE},
        ).scalar_one()
        definitions = connection.execute(
            text("SELECT indexdef FROM pg_indexes WHERE tablename = :table"),
            {"table": VECTOR_TABLE},
        ).scalars()
        meta = connection.execute(text(f"SELECT * FROM {METADATA_TABLE}")).mappings().one()
    assert column_type == "vector(384)"
    assert any("USING hnsw" in d and "vector_ip_ops" in d for d in definitions)
    assert (meta["backend"], meta["model"], meta["dimension"]) == (PgVectorIndex.backend, "m", 384)
    assert meta["versions"]["pgvector"]


def test_recreating_drops_what_was_stored(pgvector_engine: Engine) -> None:
    index = PgVectorIndex.create(pgvector_engine, model="m", dimension=2)
    index.add([1], np.array([[1.0, 0.0]], dtype=np.float32))
    assert PgVectorIndex.load(pgvector_engine, model="m", dimension=2).count() == 1
    assert PgVectorIndex.create(pgvector_engine, model="m", dimension=2).count() == 0


def test_without_the_extension_the_error_says_so(postgres_url: str) -> None:
    if _has_vector_extension(postgres_url):
        pytest.skip("this PostgreSQL has pgvector: nothing to refuse")
    engine = create_engine(postgres_url)
    try:
        with pytest.raises(PgVectorUnavailableError, match="vector extension"):
            PgVectorIndex.create(engine, model="m", dimension=4)
    finally:
        engine.dispose()
