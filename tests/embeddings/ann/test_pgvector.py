"""What is particular to the pgvector backend: its tables, its HNSW index, a clear error without
the extension."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from embeddings.ann.pgvector import (
    HNSW_INDEX,
    METADATA_TABLE,
    VECTOR_TABLE,
    PgVectorIndex,
    PgVectorUnavailableError,
)
from tests.conftest import _has_vector_extension

pytestmark = pytest.mark.pgvector


def _index_definitions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(
            connection.execute(
                text("SELECT indexdef FROM pg_indexes WHERE tablename = :table"),
                {"table": VECTOR_TABLE},
            ).scalars()
        )


def _has_hnsw(engine: Engine) -> bool:
    return any("USING hnsw" in d and "vector_ip_ops" in d for d in _index_definitions(engine))


def test_create_makes_the_vector_table_and_its_metadata(pgvector_engine: Engine) -> None:
    PgVectorIndex(pgvector_engine).create(model="m", dimension=384)
    with pgvector_engine.connect() as connection:
        column_type = connection.execute(
            text(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = CAST(:table AS regclass) AND attname = 'embedding'"
            ),
            {"table": VECTOR_TABLE},
        ).scalar_one()
        meta = connection.execute(text(f"SELECT * FROM {METADATA_TABLE}")).mappings().one()
    assert column_type == "vector(384)"
    assert (meta["backend"], meta["model"], meta["dimension"]) == (PgVectorIndex.backend, "m", 384)
    assert meta["versions"]["pgvector"]


def test_save_builds_the_hnsw_index_once_and_searches_use_it(pgvector_engine: Engine) -> None:
    index = PgVectorIndex(pgvector_engine).create(model="m", dimension=16)
    assert not _has_hnsw(pgvector_engine)
    vectors = np.random.default_rng(0).normal(size=(2000, 16)).astype(np.float32)
    index.add(np.arange(1, 2001), vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
    assert index.save() is True
    assert _has_hnsw(pgvector_engine)
    assert index.save() is False
    query = "[" + ",".join(["0.25"] * 16) + "]"
    with pgvector_engine.connect() as connection:
        plan = connection.execute(
            text(f"EXPLAIN SELECT claim_id FROM {VECTOR_TABLE} ORDER BY embedding <#> :q LIMIT 10"),
            {"q": query},
        ).scalars()
        assert any(f"Index Scan using {HNSW_INDEX}" in line for line in plan)


def test_opening_a_table_without_its_hnsw_index_builds_it(pgvector_engine: Engine) -> None:
    PgVectorIndex(pgvector_engine).create(model="m", dimension=4)  # a rebuild cut short
    other = PgVectorIndex.connect(pgvector_engine.url.render_as_string(hide_password=False))
    try:
        other.load(model="m", dimension=4)
    finally:
        other.close()
    assert _has_hnsw(pgvector_engine)


def test_recreating_drops_what_was_stored(pgvector_engine: Engine) -> None:
    index = PgVectorIndex(pgvector_engine).create(model="m", dimension=2)
    index.add([1], np.array([[1.0, 0.0]], dtype=np.float32))
    assert PgVectorIndex(pgvector_engine).load(model="m", dimension=2).count() == 1
    assert PgVectorIndex(pgvector_engine).create(model="m", dimension=2).count() == 0


def test_without_the_extension_the_error_says_so(postgres_url: str) -> None:
    if _has_vector_extension(postgres_url):
        pytest.skip("this PostgreSQL has pgvector: nothing to refuse")
    engine = create_engine(postgres_url)
    try:
        with pytest.raises(PgVectorUnavailableError, match="vector extension"):
            PgVectorIndex(engine).create(model="m", dimension=4)
    finally:
        engine.dispose()


def test_an_id_given_twice_in_one_add_keeps_the_last_vector(pgvector_engine: Engine) -> None:
    index = PgVectorIndex(pgvector_engine).create(model="m", dimension=2)
    index.add([7, 8, 7], np.array([[1, 0], [0, 1], [-1, 0]], dtype=np.float32))
    assert index.ids().tolist() == [7, 8]
    scores, found = index.search(np.array([[-1, 0]], dtype=np.float32), 1)
    assert found.tolist() == [[7]] and scores[0, 0] == pytest.approx(1.0)
