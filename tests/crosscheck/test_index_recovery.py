"""The index is derived data: missing, corrupt or stale, it is rebuilt from the database."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete, insert

from crosscheck.claims import service as claim_service
from crosscheck.claims.models import Claim
from crosscheck.claims.schemas import ClaimCreate
from crosscheck.database import create_db_engine, create_session_factory
from crosscheck.indexing.backends import index_backend
from crosscheck.indexing.service import open_claim_index
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from crosscheck.sources import service as source_service
from embeddings.ann.faiss import FaissIndex, IndexLayout, saved_index_file
from embeddings.artifacts import read_metadata
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder
from tests.conftest import load_demo


def _stored_ids(runtime: Runtime) -> list[int]:
    with runtime.session_factory() as session:
        return claim_service.all_ids(session=session)


def _reopen(settings: Settings, encoder: SentenceTransformerEncoder) -> Runtime:
    runtime = Runtime(settings, encoder=encoder)
    runtime.start()
    return runtime


@pytest.fixture
def loaded(runtime: Runtime) -> Runtime:
    load_demo(runtime)
    runtime.close()
    return runtime


def test_reopening_a_current_index_does_no_work(
    loaded: Runtime, encoder: SentenceTransformerEncoder
) -> None:
    with loaded.session_factory() as session:
        claim_index, report = open_claim_index(
            backend=index_backend(loaded.settings), encoder=encoder, session=session
        )
    assert (report.added, report.removed) == (0, 0)
    assert claim_index.ids().tolist() == _stored_ids(loaded)


@pytest.mark.parametrize(
    "damage", ["delete-index", "delete-metadata", "corrupt-index", "truncate-index"]
)
def test_damaged_index_is_rebuilt_with_a_log_line(
    loaded: Runtime,
    encoder: SentenceTransformerEncoder,
    damage: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    directory = loaded.settings.index_dir
    index_file, meta_file = saved_index_file(directory), directory / "index.meta.json"
    if damage == "delete-index":
        index_file.unlink()
    elif damage == "delete-metadata":
        meta_file.unlink()
    elif damage == "corrupt-index":
        data = bytearray(index_file.read_bytes())
        data[len(data) // 2 : len(data) // 2 + 64] = b"\xff" * 64
        index_file.write_bytes(bytes(data))
    else:
        index_file.write_bytes(index_file.read_bytes()[:100])
    with caplog.at_level(logging.WARNING, logger="crosscheck.indexing.service"):
        runtime = _reopen(loaded.settings, encoder)
    assert any("rebuilding from the database" in r.getMessage() for r in caplog.records)
    assert runtime.claim_index.ids().tolist() == _stored_ids(runtime)
    runtime.close()


def test_stale_index_catches_up_with_the_database(
    loaded: Runtime, encoder: SentenceTransformerEncoder
) -> None:
    # Another writer changed the database while the index was saved elsewhere.
    with loaded.session_factory() as session:
        first_id = claim_service.all_ids(session=session)[0]
        session.execute(delete(Claim).where(Claim.id == first_id))
        claim_service.create(
            session=session, claim_in=ClaimCreate(text="A brand new statement.", source="New")
        )
        session.commit()
    runtime = _reopen(loaded.settings, encoder)
    held = runtime.claim_index.ids().tolist()
    assert held == _stored_ids(runtime) and first_id not in held
    runtime.close()


def test_reindex_from_scratch_matches_and_searches(
    loaded: Runtime, encoder: SentenceTransformerEncoder
) -> None:
    runtime = Runtime(loaded.settings, encoder=encoder)
    runtime.start(rebuild_index=True)
    vector = encoder.encode(["North Korean troops are training in Russia"])[0]
    hits = runtime.claim_index.search(vector, 3)
    assert len(hits) == 3 and hits[0][1] >= hits[1][1] >= hits[2][1]
    assert runtime.claim_index.count() == len(_stored_ids(runtime))
    runtime.close()


def test_a_saved_index_of_the_wrong_kind_is_rebuilt_at_start_up(
    settings: Settings, encoder: SentenceTransformerEncoder, caplog: pytest.LogCaptureFixture
) -> None:
    # 1,200 stored claims with a saved flat index of them: vectors need not be re-encoded.
    with Runtime(settings, encoder=encoder).session_factory() as session:
        source = source_service.get_or_create(session=session, name="Wire")
        session.execute(
            insert(Claim),
            [
                {"text": f"Statement number {i}.", "content_hash": f"h{i}", "source_id": source.id}
                for i in range(1200)
            ],
        )
        session.commit()
        ids = claim_service.all_ids(session=session)
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(ids), encoder.dimension)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    flat = FaissIndex(settings.index_dir).create(
        model=encoder.model_name, dimension=encoder.dimension
    )
    flat.add(ids, vectors)
    flat.save()

    ivf_settings = settings.model_copy(update={"index_kind": "ivf"})
    with caplog.at_level(logging.WARNING, logger="crosscheck.indexing.service"):
        runtime = _reopen(ivf_settings, encoder)
    assert any("does not suit the store" in r.getMessage() for r in caplog.records)
    assert runtime.claim_index.ids().tolist() == ids
    runtime.close()
    saved = read_metadata(settings.index_dir)
    assert saved.kind == "ivf" and saved.params["nlist"] == IndexLayout.nlist(len(ids))

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="crosscheck.indexing.service"):
        runtime = _reopen(settings.model_copy(update={"index_kind": "flat"}), encoder)
    assert any("layout wants flat" in r.getMessage() for r in caplog.records)
    hits = runtime.claim_index.search(vectors[5], 1)
    assert hits[0][0] == ids[5]
    runtime.close()
    assert read_metadata(settings.index_dir).kind == "flat"


def test_a_first_start_with_nothing_saved_or_stored_warns_of_nothing(
    settings: Settings, encoder: SentenceTransformerEncoder, caplog: pytest.LogCaptureFixture
) -> None:
    engine = create_db_engine(settings.database_url)
    with (
        caplog.at_level(logging.INFO, logger="crosscheck.indexing.service"),
        create_session_factory(engine)() as session,
    ):
        open_claim_index(backend=index_backend(settings), encoder=encoder, session=session)
    engine.dispose()
    said = [r for r in caplog.records if r.name == "crosscheck.indexing.service"]
    assert [r.levelno for r in said if r.levelno >= logging.WARNING] == []
    assert any("none saved yet" in r.getMessage() for r in said)


def test_a_new_index_folder_over_stored_claims_is_built_without_a_warning(
    runtime: Runtime,
    settings: Settings,
    encoder: SentenceTransformerEncoder,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    load_demo(runtime)
    fresh = settings.model_copy(update={"index_dir": tmp_path / "new-index"})
    with (
        caplog.at_level(logging.INFO, logger="crosscheck.indexing.service"),
        runtime.session_factory() as session,
    ):
        _, report = open_claim_index(backend=index_backend(fresh), encoder=encoder, session=session)
    said = [r for r in caplog.records if r.name == "crosscheck.indexing.service"]
    assert [r.getMessage() for r in said if r.levelno >= logging.WARNING] == []
    assert any("none saved yet" in r.getMessage() for r in said)
    assert report.total == runtime.claim_index.count() > 0
