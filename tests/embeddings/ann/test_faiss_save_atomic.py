"""A save switches index files by replacing the metadata: whatever stops it, a pair loads."""

from __future__ import annotations

import errno
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from embeddings.ann import faiss as faiss_index
from embeddings.ann.faiss import INDEX_FILE, LOCK_FILE, FaissIndex, saved_index_file
from embeddings.artifacts import METADATA_FILE

DIM = 8
MODEL = "test-model"


def _index(directory: Path, ids: list[int]) -> FaissIndex:
    vectors = np.random.default_rng(0).normal(size=(len(ids), DIM)).astype(np.float32)
    index = FaissIndex(directory).create(model=MODEL, dimension=DIM)
    index.add(ids, vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
    return index


def _loaded_ids(directory: Path) -> list[int]:
    return FaissIndex(directory).load(model=MODEL, dimension=DIM).ids().tolist()


def _no_space(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("step", ["write_index", "fsync", "write_metadata"])
def test_a_save_stopped_at_any_step_leaves_the_previous_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    _index(tmp_path, [1, 2]).save()
    target = {"write_index": faiss_index.faiss, "fsync": faiss_index.os}.get(step, faiss_index)
    monkeypatch.setattr(target, step, _no_space)
    with pytest.raises(OSError):
        _index(tmp_path, [1, 2, 3]).save()
    monkeypatch.undo()
    assert _loaded_ids(tmp_path) == [1, 2]
    _index(tmp_path, [1, 2, 3, 4]).save()  # the next save leaves only its own pair
    assert _loaded_ids(tmp_path) == [1, 2, 3, 4]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [METADATA_FILE, saved_index_file(tmp_path).name, LOCK_FILE]
    )


def test_the_metadata_names_its_own_file_and_leftovers_do_not_matter(tmp_path: Path) -> None:
    _index(tmp_path, [5, 6]).save()
    first = saved_index_file(tmp_path)
    # What a process killed mid-save leaves: a temp file, and a file no metadata names yet.
    (tmp_path / ".claims-abc.tmp").write_bytes(b"half an index")
    shutil.copy(first, tmp_path / "claims-0000000000000000.faiss")
    assert _loaded_ids(tmp_path) == [5, 6]
    _index(tmp_path, [5, 6, 7]).save()
    assert saved_index_file(tmp_path) != first and not first.exists()
    assert len(list(tmp_path.iterdir())) == 3  # the metadata, its index file, the lock


def test_an_index_saved_before_files_were_named_still_loads(tmp_path: Path) -> None:
    _index(tmp_path, [3, 4]).save()
    saved_index_file(tmp_path).rename(tmp_path / INDEX_FILE)
    metadata = json.loads((tmp_path / METADATA_FILE).read_text())
    del metadata["file"]
    (tmp_path / METADATA_FILE).write_text(json.dumps(metadata))
    assert _loaded_ids(tmp_path) == [3, 4]


def test_metadata_naming_a_file_elsewhere_is_not_trusted(tmp_path: Path) -> None:
    _index(tmp_path, [3]).save()
    metadata = json.loads((tmp_path / METADATA_FILE).read_text())
    metadata["file"] = "../elsewhere.faiss"
    (tmp_path / METADATA_FILE).write_text(json.dumps(metadata))
    with pytest.raises(faiss_index.IndexArtifactError, match="names no file beside it"):
        FaissIndex(tmp_path).load(model=MODEL, dimension=DIM)
