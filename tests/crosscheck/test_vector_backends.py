"""The backend settings select, and the pgvector backend kept in step with the claims."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, text
from sqlalchemy.engine import Engine

from crosscheck.claims import service as claim_service
from crosscheck.claims.models import Claim
from crosscheck.claims.schemas import ClaimCreate
from crosscheck.indexing.backends import index_backend
from crosscheck.indexing.registry import record_claim
from crosscheck.indexing.service import catch_up
from crosscheck.migrations import upgrade
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from embeddings.ann.faiss import FaissIndex
from embeddings.ann.pgvector import METADATA_TABLE, PgVectorIndex
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder
from tests.conftest import TABLES, load_demo


def test_the_setting_selects_the_backend(tmp_path: Path) -> None:
    faiss = index_backend(Settings(database_url="sqlite://", index_dir=tmp_path))
    assert isinstance(faiss, FaissIndex) and faiss.directory == tmp_path
    assert not faiss.shared
    claims_url = "postgresql+psycopg://crosscheck@db.internal/claims"
    pgvector = index_backend(Settings(database_url=claims_url, vector_backend="pgvector"))
    assert isinstance(pgvector, PgVectorIndex) and pgvector.shared
    assert pgvector.engine.url.render_as_string() == claims_url
    elsewhere = index_backend(
        Settings(
            database_url="sqlite://",
            vector_backend="pgvector",
            vector_database_url="postgresql+psycopg://crosscheck@vectors.internal/v",
        )
    )
    assert isinstance(elsewhere, PgVectorIndex)
    assert elsewhere.engine.url.host == "vectors.internal"


@pytest.fixture
def pgvector_settings(pgvector_engine: Engine, tmp_path: Path) -> Settings:
    """Claims and their vectors in one PostgreSQL database (the default for pgvector)."""
    url = pgvector_engine.url.render_as_string(hide_password=False)
    upgrade(url)
    with pgvector_engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    return Settings(database_url=url, vector_backend="pgvector", index_dir=tmp_path / "index")


def _started(settings: Settings, encoder: SentenceTransformerEncoder) -> Runtime:
    runtime = Runtime(settings, encoder=encoder)
    runtime.start(load_judge=False)
    return runtime


@pytest.fixture
def loaded(pgvector_settings: Settings, encoder: SentenceTransformerEncoder) -> Iterator[Runtime]:
    runtime = _started(pgvector_settings, encoder)
    load_demo(runtime)
    yield runtime
    runtime.close()


def _stored(runtime: Runtime) -> list[int]:
    with runtime.session_factory() as session:
        return claim_service.all_ids(session=session)


@pytest.mark.pgvector
def test_claims_are_searched_in_the_claims_database(
    loaded: Runtime, encoder: SentenceTransformerEncoder
) -> None:
    assert loaded.claim_index.ids().tolist() == _stored(loaded)
    hits = loaded.claim_index.search(encoder.encode(["North Korean troops in Russia"])[0], 3)
    with loaded.session_factory() as session:
        texts = [claim_service.get(session=session, claim_id=i).text for i, _ in hits]
    assert len(hits) == 3 and all("Korea" in t or "soldiers" in t for t in texts), texts
    # Nothing is written to the index folder: the table is the stored index.
    assert not loaded.settings.index_dir.exists() or not any(loaded.settings.index_dir.iterdir())


@pytest.mark.pgvector
def test_reopening_does_no_work(loaded: Runtime, encoder: SentenceTransformerEncoder) -> None:
    again = _started(loaded.settings, encoder)
    try:
        assert again.claim_index.ids().tolist() == _stored(again)
        with again.session_factory() as session:
            assert catch_up(claim_index=again.claim_index, session=session) is None
    finally:
        again.close()


@pytest.mark.pgvector
def test_claims_changed_while_no_process_ran_are_followed_at_start(
    loaded: Runtime, encoder: SentenceTransformerEncoder
) -> None:
    loaded.close()
    with loaded.session_factory() as session:
        first = claim_service.all_ids(session=session)[0]
        session.execute(delete(Claim).where(Claim.id == first))
        claim_service.create(
            session=session, claim_in=ClaimCreate(text="A brand new statement.", source="New")
        )
        session.commit()
    again = _started(loaded.settings, encoder)
    try:
        held = again.claim_index.ids().tolist()
        assert held == _stored(again) and first not in held
    finally:
        again.close()


@pytest.mark.pgvector
def test_a_table_built_for_another_model_is_rebuilt_with_a_log_line(
    loaded: Runtime, encoder: SentenceTransformerEncoder, caplog: pytest.LogCaptureFixture
) -> None:
    engine = create_engine(loaded.settings.vector_url)
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE {METADATA_TABLE} SET model = 'another-model'"))
    engine.dispose()
    with caplog.at_level(logging.WARNING, logger="crosscheck.indexing.service"):
        again = _started(loaded.settings, encoder)
    try:
        assert any("rebuilding from the database" in r.getMessage() for r in caplog.records)
        assert again.claim_index.ids().tolist() == _stored(again)
    finally:
        again.close()


@pytest.mark.pgvector
def test_every_process_sees_another_s_claims_at_once(
    loaded: Runtime, encoder: SentenceTransformerEncoder, tmp_path: Path
) -> None:
    other = _started(loaded.settings.model_copy(update={"index_dir": tmp_path / "other"}), encoder)
    try:
        with loaded.session_factory() as session:
            stored = record_claim(
                session=session,
                claim_index=loaded.claim_index,
                claim_in=ClaimCreate(text="The ferry service resumed at dawn.", source="Port"),
            )
        hits = other.claim_index.search(encoder.encode(["ferry service resumed"])[0], 1)
        assert hits[0][0] == stored.claim.id
        with other.session_factory() as session:
            assert catch_up(claim_index=other.claim_index, session=session) is None
    finally:
        other.close()


@pytest.mark.pgvector
def test_reindex_rebuilds_the_table(loaded: Runtime, encoder: SentenceTransformerEncoder) -> None:
    rebuilt = Runtime(loaded.settings, encoder=encoder)
    rebuilt.start(rebuild_index=True, load_judge=False)
    try:
        assert rebuilt.claim_index.ids().tolist() == _stored(rebuilt)
    finally:
        rebuilt.close()
