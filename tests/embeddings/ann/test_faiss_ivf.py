"""The approximate (IVF) kind: same contract as the exact one, chosen by size, rebuilt in place."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from embeddings.ann import faiss as faiss_index
from embeddings.ann.base import IndexArtifactError
from embeddings.ann.faiss import FaissIndex, IndexLayout
from embeddings.artifacts import METADATA_FILE

DIM = 32
MODEL = "test-model"
IVF = IndexLayout(kind="ivf", nprobe=8)


def _clustered(count: int, seed: int = 0, centers: int = 40) -> npt.NDArray[np.float32]:
    """Unit vectors in tight groups around random centres, as sentence embeddings are."""
    rng = np.random.default_rng(seed)
    middle = rng.normal(size=(centers, DIM))
    vectors = middle[rng.integers(0, centers, count)] + rng.normal(scale=0.35, size=(count, DIM))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def _ivf(
    directory: Path, count: int = 3000, seed: int = 0
) -> tuple[FaissIndex, npt.NDArray[np.float32]]:
    index = FaissIndex(directory, layout=IVF).create(model=MODEL, dimension=DIM)
    vectors = _clustered(count, seed)
    index.add(np.arange(1, count + 1), vectors)
    assert index.reshape() is not None
    assert index.kind == "ivf"
    return index, vectors


def _exact_top(
    vectors: npt.NDArray[np.float32], queries: npt.NDArray[np.float32], k: int
) -> list[set[int]]:
    scores = queries @ vectors.T
    return [set((np.argsort(-row)[:k] + 1).tolist()) for row in scores]


def test_small_stores_stay_flat_and_large_ones_become_ivf() -> None:
    auto = IndexLayout(kind="auto", ivf_min_claims=2000)
    assert auto.wanted_kind(1999, "flat") == "flat"
    assert auto.wanted_kind(2000, "flat") == "ivf"
    assert auto.wanted_kind(1500, "ivf") == "ivf", "no flapping just under the threshold"
    assert auto.wanted_kind(900, "ivf") == "flat"
    assert IndexLayout(kind="flat").wanted_kind(10**7, "flat") == "flat"
    assert IndexLayout(kind="ivf").wanted_kind(500, "flat") == "flat", "too few to train"
    assert IndexLayout.nlist(1_000_000) == 1000
    assert IndexLayout.nlist(1_000) == 25


def test_reshape_keeps_every_id_and_vector(tmp_path: Path) -> None:
    index, vectors = _ivf(tmp_path)
    assert index.count() == 3000
    assert index.ids().tolist() == list(range(1, 3001))
    assert index.params["nlist"] == IndexLayout.nlist(3000)
    assert index.params["trained_for"] == 3000
    scores, found = index.search(vectors[:50], k=1)
    assert found[:, 0].tolist() == list(range(1, 51))
    np.testing.assert_allclose(scores[:, 0], 1.0, atol=1e-5)
    assert index.rebuild_reason() is None
    assert index.reshape() is None


def test_add_remove_and_replace_by_id(tmp_path: Path) -> None:
    index, vectors = _ivf(tmp_path)
    assert index.remove([5, 6, 99_999]) == 2
    assert index.count() == 2998
    _, found = index.search(vectors[4:6], k=20)
    assert not {5, 6} & set(found.ravel().tolist())
    index.add([7], -vectors[6:7])  # replace 7 by its opposite
    assert index.count() == 2998
    scores, found = index.search(-vectors[6:7], k=1)
    assert found[0, 0] == 7 and scores[0, 0] == pytest.approx(1.0, abs=1e-5)
    new = _clustered(10, seed=5)
    index.add(np.arange(10_001, 10_011), new)
    assert index.count() == 3008
    assert index.ids()[-10:].tolist() == list(range(10_001, 10_011))
    _, found = index.search(new, k=1)
    assert found[:, 0].tolist() == list(range(10_001, 10_011))


def test_recall_at_10_against_exact_search(tmp_path: Path) -> None:
    index, vectors = _ivf(tmp_path, count=6000)
    queries = _clustered(200, seed=11)
    _, found = index.search(queries, k=10)
    exact = _exact_top(vectors, queries, 10)
    recall = np.mean(
        [len(set(row.tolist()) & truth) / 10 for row, truth in zip(found, exact, strict=True)]
    )
    assert recall >= 0.95


def test_save_and_load_round_trip_with_kind_and_params(tmp_path: Path) -> None:
    index, vectors = _ivf(tmp_path)
    index.remove([10])
    metadata = index.save()
    assert metadata.backend == "faiss" and metadata.kind == "ivf"
    assert metadata.params["nlist"] == index.params["nlist"]
    loaded = FaissIndex(tmp_path, layout=IVF).load(model=MODEL, dimension=DIM)
    assert loaded.kind == "ivf" and loaded.params == index.params
    assert loaded.ids().tolist() == index.ids().tolist()
    np.testing.assert_array_equal(
        loaded.search(vectors[:20], 5)[1], index.search(vectors[:20], 5)[1]
    )
    assert loaded.remove([11]) == 1, "the hashtable direct map survives saving"
    assert loaded.rebuild_reason() is None


def test_metadata_that_misdescribes_the_file_is_refused(tmp_path: Path) -> None:
    index, _ = _ivf(tmp_path)
    index.save()
    meta = tmp_path / METADATA_FILE
    data = json.loads(meta.read_text())
    meta.write_text(json.dumps({**data, "kind": "flat", "params": {}}))
    with pytest.raises(IndexArtifactError, match="metadata says"):
        FaissIndex(tmp_path).load(model=MODEL, dimension=DIM)


def test_a_saved_index_of_the_other_kind_asks_to_be_rebuilt(tmp_path: Path) -> None:
    index, vectors = _ivf(tmp_path)
    index.save()
    flat_layout = IndexLayout(kind="flat")
    loaded = FaissIndex(tmp_path, layout=flat_layout).load(model=MODEL, dimension=DIM)
    assert "layout wants flat" in (loaded.rebuild_reason() or "")
    loaded.reshape()
    assert loaded.kind == "flat" and loaded.count() == 3000
    _, found = loaded.search(vectors[:10], 1)
    assert found[:, 0].tolist() == list(range(1, 11))


def test_lists_trained_for_a_much_smaller_store_are_retrained(tmp_path: Path) -> None:
    index, _ = _ivf(tmp_path, count=1200)
    index.add(np.arange(5000, 10_000), _clustered(5000, seed=3))
    assert "trained for 1200" in (index.rebuild_reason() or "")
    index.reshape()
    assert index.params["trained_for"] == 6200
    assert index.params["nlist"] == IndexLayout.nlist(6200)


def test_changes_made_during_a_rebuild_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = FaissIndex(tmp_path, layout=IVF).create(model=MODEL, dimension=DIM)
    vectors = _clustered(2000)
    index.add(np.arange(1, 2001), vectors)
    late = _clustered(3, seed=9)
    build = faiss_index._build

    def build_while_others_write(*args: object) -> object:
        # Another thread writes while the replacement is being trained.
        index.add([50_001, 50_002, 50_003], late)
        index.remove([1, 2])
        return build(*args)  # type: ignore[arg-type]  # forwarding the real arguments

    monkeypatch.setattr(faiss_index, "_build", build_while_others_write)
    index.reshape()
    assert index.kind == "ivf"
    held = index.ids().tolist()
    assert 1 not in held and 2 not in held
    assert held[-3:] == [50_001, 50_002, 50_003] and len(held) == 2001
    _, found = index.search(late, 1)
    assert found[:, 0].tolist() == [50_001, 50_002, 50_003]
