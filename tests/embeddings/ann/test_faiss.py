"""FAISS-specific behaviour: saved files, their metadata and checks, atomic writes, id digests.

What every engine does (add, remove, search, ids) is tested once for all in
``test_contract.py``, FAISS included.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from filelock import FileLock, Timeout

from embeddings import artifacts
from embeddings.ann import faiss as faiss_engine
from embeddings.ann.base import IndexArtifactError
from embeddings.ann.faiss import LOCK_FILE, FaissIndex, saved_index_file
from embeddings.artifacts import METADATA_FILE, file_digest, ids_digest, write_atomically

DIM = 8
MODEL = "test-model"


def _unit_vectors(count: int, seed: int = 0) -> npt.NDArray[np.float32]:
    vectors = np.random.default_rng(seed).normal(size=(count, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _filled(
    directory: Path, ids: list[int], seed: int = 0
) -> tuple[FaissIndex, npt.NDArray[np.float32]]:
    index = FaissIndex(directory).create(model=MODEL, dimension=DIM)
    vectors = _unit_vectors(len(ids), seed)
    index.add(ids, vectors)
    return index, vectors


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    index, _ = _filled(tmp_path, [10, 20, 30, 40])
    index.save()
    return tmp_path


def _edit_metadata(directory: Path, **changes: object) -> None:
    path = directory / METADATA_FILE
    metadata = json.loads(path.read_text())
    metadata.update(changes)
    path.write_text(json.dumps(metadata))


def test_save_writes_index_and_metadata(tmp_path: Path) -> None:
    index, _ = _filled(tmp_path, [10, 20, 30])
    metadata = index.save()
    index_file = saved_index_file(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [index_file.name, METADATA_FILE, LOCK_FILE]
    )
    assert metadata.count == 3
    assert metadata.model == MODEL
    assert metadata.dimension == DIM
    assert metadata.backend == FaissIndex.backend
    assert metadata.ids_sha256 == ids_digest(np.array([30, 10, 20]))
    assert metadata.file_sha256 == file_digest(index_file)
    assert json.loads((tmp_path / METADATA_FILE).read_text())["count"] == 3


def test_save_then_load_round_trips(tmp_path: Path) -> None:
    index, vectors = _filled(tmp_path / "nested", [10, 20, 30, 40], seed=3)
    index.remove([20])
    index.save()
    loaded = FaissIndex(tmp_path / "nested").load(model=MODEL, dimension=DIM)
    assert loaded.ids().tolist() == [10, 30, 40]
    assert loaded.count() == 3
    expected_scores, expected_ids = index.search(vectors, k=3)
    scores, found = loaded.search(vectors, k=3)
    np.testing.assert_array_equal(found, expected_ids)
    np.testing.assert_allclose(scores, expected_scores, atol=1e-6)
    loaded.add([50], _unit_vectors(1, seed=9))
    assert loaded.count() == 4


def test_saving_again_replaces_the_saved_index(saved: Path) -> None:
    index = FaissIndex(saved).load(model=MODEL, dimension=DIM)
    index.remove([10])
    index.save()
    assert FaissIndex(saved).load(model=MODEL, dimension=DIM).ids().tolist() == [20, 30, 40]
    assert not [p for p in saved.iterdir() if p.name.endswith(".tmp")]


def test_load_without_metadata_fails(saved: Path) -> None:
    (saved / METADATA_FILE).unlink()
    with pytest.raises(IndexArtifactError, match="no index metadata"):
        FaissIndex(saved).load(model=MODEL, dimension=DIM)


def test_load_from_empty_directory_fails(tmp_path: Path) -> None:
    with pytest.raises(IndexArtifactError):
        FaissIndex(tmp_path).load(model=MODEL, dimension=DIM)


def test_load_without_index_file_fails(saved: Path) -> None:
    saved_index_file(saved).unlink()
    with pytest.raises(IndexArtifactError, match="no index file"):
        FaissIndex(saved).load(model=MODEL, dimension=DIM)


@pytest.mark.parametrize("position", [0, 40, -1])
def test_load_with_flipped_bytes_fails(saved: Path, position: int) -> None:
    path = saved_index_file(saved)
    payload = bytearray(path.read_bytes())
    payload[position] ^= 0xFF
    path.write_bytes(bytes(payload))
    with pytest.raises(IndexArtifactError, match="checksum"):
        FaissIndex(saved).load(model=MODEL, dimension=DIM)


def test_load_with_unreadable_index_matching_checksum_fails(saved: Path) -> None:
    path = saved_index_file(saved)
    path.write_bytes(path.read_bytes()[:40])
    _edit_metadata(saved, file_sha256=file_digest(path))
    with pytest.raises(IndexArtifactError, match="cannot be read"):
        FaissIndex(saved).load(model=MODEL, dimension=DIM)


def test_load_with_index_not_matching_metadata_ids_fails(saved: Path) -> None:
    _edit_metadata(saved, ids_sha256=ids_digest(np.array([1, 2, 3, 4])))
    with pytest.raises(IndexArtifactError, match="does not hold"):
        FaissIndex(saved).load(model=MODEL, dimension=DIM)


@pytest.mark.parametrize(
    ("model", "dimension"), [("other-model", DIM), (MODEL, DIM * 2), ("other-model", 384)]
)
def test_load_for_another_model_or_dimension_fails(saved: Path, model: str, dimension: int) -> None:
    with pytest.raises(IndexArtifactError, match="index built for"):
        FaissIndex(saved).load(model=model, dimension=dimension)


def test_load_with_metadata_naming_another_model_fails(saved: Path) -> None:
    _edit_metadata(saved, model="other-model")
    with pytest.raises(IndexArtifactError, match="other-model"):
        FaissIndex(saved).load(model=MODEL, dimension=DIM)


def test_load_with_other_backend_fails(saved: Path) -> None:
    _edit_metadata(saved, backend="hnsw")
    with pytest.raises(IndexArtifactError, match="backend"):
        FaissIndex(saved).load(model=MODEL, dimension=DIM)


def test_load_with_other_format_version_fails(saved: Path) -> None:
    _edit_metadata(saved, format_version=artifacts.FORMAT_VERSION + 1)
    with pytest.raises(IndexArtifactError, match="format"):
        FaissIndex(saved).load(model=MODEL, dimension=DIM)


@pytest.mark.parametrize("content", ["not json at all", "{", "[]", '{"model": "x"}', ""])
def test_load_with_unreadable_metadata_fails(saved: Path, content: str) -> None:
    (saved / METADATA_FILE).write_text(content)
    with pytest.raises(IndexArtifactError, match="unreadable index metadata"):
        FaissIndex(saved).load(model=MODEL, dimension=DIM)


def test_write_atomically_creates_and_replaces_without_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "data.bin"
    write_atomically(target, b"first")
    assert target.read_bytes() == b"first"
    write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["data.bin"]


def test_write_atomically_failure_keeps_old_content_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "data.bin"
    write_atomically(target, b"old")

    def failing_replace(source: str, destination: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(artifacts.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["data.bin"]


def test_ids_digest_ignores_order_but_not_content() -> None:
    assert ids_digest(np.array([3, 1, 2])) == ids_digest(np.array([1, 2, 3]))
    assert ids_digest(np.array([1, 2, 3])) != ids_digest(np.array([1, 2, 4]))


def test_remove_accepts_a_numpy_array_and_search_pads_to_k(tmp_path: Path) -> None:
    index = FaissIndex(tmp_path).create(model="m", dimension=4)
    index.add([1, 2], np.eye(4, dtype=np.float32)[:2])
    assert index.remove(np.array([1], dtype=np.int64)) == 1
    scores, ids = index.search(np.eye(4, dtype=np.float32)[:1], 3)
    assert ids.tolist() == [[2, -1, -1]] and scores.shape == (1, 3)


def test_search_among_some_ids_finds_only_those(tmp_path: Path) -> None:
    index, vectors = _filled(tmp_path, [10, 20, 30, 40, 50])
    scores, found = index.search(vectors[0], k=3, among=[20, 40])
    nearest_first = sorted([20, 40], key=lambda i: -float(vectors[0] @ vectors[i // 10 - 1]))
    assert found[0].tolist() == [*nearest_first, -1]
    assert np.isclose(scores[0][0], max(vectors[0] @ vectors[1], vectors[0] @ vectors[3]))
    _, none = index.search(vectors[0], k=2, among=[])
    assert none[0].tolist() == [-1, -1]


def test_vectors_returns_the_stored_vectors_of_held_ids(tmp_path: Path) -> None:
    index, vectors = _filled(tmp_path, [10, 20, 30])
    held = index.vectors([30, 10, 99])
    assert sorted(held) == [10, 30]
    assert np.allclose(held[30], vectors[2]) and np.allclose(held[10], vectors[0])
    assert index.vectors([]) == {}


def test_an_index_describes_its_folder_and_is_not_shared(tmp_path: Path) -> None:
    index = FaissIndex(tmp_path / "index")
    assert index.describe() == f"FAISS index in {tmp_path / 'index'}"
    assert not index.shared


def test_load_and_save_wait_while_another_process_holds_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index, _ = _filled(tmp_path, [1, 2])
    index.save()
    monkeypatch.setattr(faiss_engine, "LOCK_TIMEOUT_SECONDS", 0.1)
    with FileLock(tmp_path / LOCK_FILE):  # another process, saving
        with pytest.raises(Timeout):
            FaissIndex(tmp_path).load(model=MODEL, dimension=DIM)
        with pytest.raises(Timeout):
            index.save()
    assert FaissIndex(tmp_path).load(model=MODEL, dimension=DIM).ids().tolist() == [1, 2]
