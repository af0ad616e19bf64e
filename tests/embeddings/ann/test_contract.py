"""The contract every vector index keeps, run against each engine (FAISS, pgvector).

Engine-specific behaviour (FAISS files and their checksums, pgvector's tables) is tested beside
each engine; a new engine joins ``store`` below and must pass everything here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from sqlalchemy.engine import Engine

from embeddings.ann.base import IndexArtifactError, VectorIndex
from embeddings.ann.factory import create_index_store
from embeddings.ann.faiss import FaissIndex
from embeddings.ann.pgvector import PgVectorIndex
from tests.conftest import VECTOR_BACKENDS

DIM = 8
MODEL = "test-model"


def _unit_vectors(count: int, seed: int = 0, dim: int = DIM) -> npt.NDArray[np.float32]:
    vectors = np.random.default_rng(seed).normal(size=(count, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@contextlib.contextmanager
def open_again(index: VectorIndex) -> Iterator[VectorIndex]:
    """The same stored index as another process would open it (not yet loaded)."""
    other: VectorIndex
    if isinstance(index, FaissIndex):
        other = FaissIndex(index.directory)
    else:
        assert isinstance(index, PgVectorIndex)
        other = PgVectorIndex.connect(index.engine.url.render_as_string(hide_password=False))
    try:
        yield other
    finally:
        other.close()


@pytest.fixture(params=VECTOR_BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[VectorIndex]:
    """An index of each engine, made by the factory, not yet opened."""
    chosen: VectorIndex
    if request.param == "faiss":
        chosen = create_index_store(backend="faiss", directory=tmp_path / "index")
    else:
        engine: Engine = request.getfixturevalue("pgvector_engine")
        url = engine.url.render_as_string(hide_password=False)
        chosen = create_index_store(backend="pgvector", url=url)
    yield chosen
    chosen.close()


@pytest.fixture
def index(store: VectorIndex) -> VectorIndex:
    """An empty index, saved once, as a server holds it after start-up."""
    created = store.create(model=MODEL, dimension=DIM)
    created.save()
    return created


def _filled(index: VectorIndex, ids: list[int], seed: int = 0) -> npt.NDArray[np.float32]:
    vectors = _unit_vectors(len(ids), seed)
    index.add(ids, vectors)
    return vectors


def test_new_index_is_empty(index: VectorIndex) -> None:
    assert index.dimension == DIM
    assert index.model == MODEL
    assert index.count() == 0
    assert index.ids().tolist() == []


def test_search_finds_each_vector_first_with_cosine_scores(index: VectorIndex) -> None:
    ids = [10, 20, 30, 40, 50]
    vectors = _filled(index, ids)
    scores, found = index.search(vectors, k=3)
    assert found.shape == scores.shape == (5, 3)
    assert found.dtype == np.int64
    assert scores.dtype == np.float32
    assert found[:, 0].tolist() == ids
    np.testing.assert_allclose(scores[:, 0], 1.0, atol=1e-5)
    expected = vectors @ vectors.T
    for row in range(len(ids)):
        assert np.all(np.diff(scores[row]) <= 1e-6), "scores must be best-first"
        for column, claim_id in enumerate(found[row]):
            assert scores[row, column] == pytest.approx(
                expected[row, ids.index(claim_id)], abs=1e-5
            )


@pytest.mark.parametrize("filled", ["after-save", "before-save"])
def test_search_finds_the_true_nearest_neighbours(store: VectorIndex, filled: str) -> None:
    # Clustered like sentence embeddings: many near neighbours, where approximate search errs.
    rng = np.random.default_rng(7)
    centres = _unit_vectors(20, seed=8)
    vectors = centres[rng.integers(0, 20, size=1500)] + rng.normal(0, 0.15, size=(1500, DIM))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    ids = np.arange(1, 1501, dtype=np.int64) * 3
    # A running server adds to a saved index; a rebuild fills a new one and then saves it.
    index = store.create(model=MODEL, dimension=DIM)
    if filled == "after-save":
        index.save()
    index.add(ids, vectors)
    if filled == "before-save":
        index.save()
    queries = _unit_vectors(30, seed=9)
    _, found = index.search(queries, k=10)
    exact = ids[np.argsort(-(queries @ vectors.T), axis=1)[:, :10]]
    recall = np.mean([len(set(f) & set(e)) / 10 for f, e in zip(found, exact, strict=True)])
    assert recall >= 0.95


def test_search_k_larger_than_count_returns_every_id(index: VectorIndex) -> None:
    vectors = _filled(index, [1, 2, 3])
    _, found = index.search(vectors[:1], k=10)
    assert sorted(i for i in found[0].tolist() if i >= 0) == [1, 2, 3]
    assert found.shape == (1, 10) and found[0].tolist().count(-1) == 7


def test_ids_are_sorted(index: VectorIndex) -> None:
    _filled(index, [30, 10, 20])
    assert index.ids().tolist() == [10, 20, 30]


def test_readding_an_id_replaces_its_vector(index: VectorIndex) -> None:
    vectors = _filled(index, [1, 2, 3])
    replacement = -vectors[1:2]
    index.add([2], replacement)
    assert index.count() == 3
    assert index.ids().tolist() == [1, 2, 3]
    scores, found = index.search(replacement, k=1)
    assert found[0, 0] == 2
    assert scores[0, 0] == pytest.approx(1.0, abs=1e-5)
    _, found_old = index.search(vectors[1:2], k=3)
    assert found_old[0, -1] == 2


def test_adding_nothing_is_a_no_op(index: VectorIndex) -> None:
    _filled(index, [1, 2])
    index.add([], np.zeros((0, DIM), dtype=np.float32))
    assert index.count() == 2


def test_remove_returns_how_many_were_removed(index: VectorIndex) -> None:
    vectors = _filled(index, [1, 2, 3, 4])
    assert index.remove([2, 4, 99]) == 2
    assert index.count() == 2
    assert index.ids().tolist() == [1, 3]
    _, found = index.search(vectors, k=4)
    assert not set(found.ravel().tolist()) & {2, 4}


def test_remove_nothing_or_unknown_returns_zero(index: VectorIndex) -> None:
    _filled(index, [1, 2])
    assert index.remove([]) == 0
    assert index.remove([7]) == 0
    assert index.count() == 2


@pytest.mark.parametrize("k", [0, 3])
def test_search_on_empty_index_returns_minus_one_ids(index: VectorIndex, k: int) -> None:
    scores, found = index.search(_unit_vectors(2), k=k)
    assert found.shape == scores.shape == (2, k)
    assert (found == -1).all()
    assert (scores == 0).all()


def test_search_accepts_a_single_vector(index: VectorIndex) -> None:
    vectors = _filled(index, [5, 6])
    _, found = index.search(vectors[1], k=1)
    assert found.tolist() == [[6]]


@pytest.mark.parametrize(
    ("ids", "vectors"),
    [
        ([1, 2], np.zeros((2, DIM + 1), dtype=np.float32)),
        ([1, 2], np.zeros((3, DIM), dtype=np.float32)),
        ([1], np.zeros(DIM, dtype=np.float32)),
        ([1, 2], np.zeros((2, DIM, 1), dtype=np.float32)),
    ],
)
def test_add_with_wrong_shape_raises_value_error(
    index: VectorIndex, ids: list[int], vectors: npt.NDArray[np.float32]
) -> None:
    with pytest.raises(ValueError, match=f"{DIM} dimensions"):
        index.add(ids, vectors)
    assert index.count() == 0


def test_search_with_wrong_dimension_raises_value_error(index: VectorIndex) -> None:
    _filled(index, [1])
    with pytest.raises(ValueError):
        index.search(np.zeros((1, DIM - 1), dtype=np.float32), k=1)


def test_large_claim_ids_round_trip(index: VectorIndex) -> None:
    big = [2**62, 2**63 - 1]
    vectors = _filled(index, big)
    _, found = index.search(vectors, k=1)
    assert found[:, 0].tolist() == big
    assert index.ids().tolist() == big


def test_saved_index_loads_with_the_same_answers(index: VectorIndex) -> None:
    vectors = _filled(index, [10, 20, 30, 40], seed=3)
    index.remove([20])
    index.save()
    with open_again(index) as other:
        loaded = other.load(model=MODEL, dimension=DIM)
        assert loaded.ids().tolist() == [10, 30, 40]
        assert loaded.count() == 3
        expected_scores, expected_ids = index.search(vectors, k=3)
        scores, found = loaded.search(vectors, k=3)
    np.testing.assert_array_equal(found, expected_ids)
    np.testing.assert_allclose(scores, expected_scores, atol=1e-6)


def test_nothing_stored_is_an_artifact_error(store: VectorIndex) -> None:
    with pytest.raises(IndexArtifactError):
        store.load(model=MODEL, dimension=DIM)


@pytest.mark.parametrize(("model", "dimension"), [("other-model", DIM), (MODEL, DIM * 2)])
def test_index_of_another_model_or_dimension_is_not_loaded(
    index: VectorIndex, model: str, dimension: int
) -> None:
    _filled(index, [1, 2])
    index.save()
    with pytest.raises(IndexArtifactError, match="built for"):
        index.load(model=model, dimension=dimension)


def test_create_starts_empty_over_a_stored_index(index: VectorIndex) -> None:
    _filled(index, [1, 2])
    index.save()
    fresh = index.create(model="other-model", dimension=DIM * 2)
    assert fresh.count() == 0 and fresh.dimension == DIM * 2
    fresh.save()
    with open_again(index) as other:
        assert other.load(model="other-model", dimension=DIM * 2).count() == 0


def test_other_processes_see_changes_at_once_only_on_a_shared_index(index: VectorIndex) -> None:
    _filled(index, [1, 2])
    index.save()
    _filled(index, [3], seed=1)
    index.remove([1])
    with open_again(index) as other:
        seen = other.load(model=MODEL, dimension=DIM).ids().tolist()
    # FAISS: each process has its own copy, as of the last save; pgvector: one table for all.
    assert seen == ([2, 3] if index.shared else [1, 2])
