"""Exact inner-product search with FAISS, keyed by claim id."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt

from embeddings.artifacts import (
    IndexMetadata,
    file_digest,
    ids_digest,
    now,
    read_metadata,
    runtime_versions,
    write_atomically,
    write_metadata,
)
from embeddings.encoder import Vectors
from embeddings.index import ClaimIds, IndexArtifactError

INDEX_FILE = "claims.faiss"


class FaissIndex:
    """A flat (exact) FAISS index behind an id map, so claims can be added and removed by id."""

    backend = "faiss-flat-ip"

    def __init__(self, dimension: int, *, model: str, _index: Any | None = None) -> None:
        self._dimension = dimension
        self._model = model
        self._index: Any = (
            _index if _index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        )
        # FAISS objects are not safe for concurrent mutation and search.
        self._lock = threading.RLock()

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def model(self) -> str:
        return self._model

    def add(self, ids: Sequence[int] | ClaimIds, vectors: Vectors) -> None:
        id_array = np.asarray(ids, dtype=np.int64)
        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape != (len(id_array), self._dimension):
            raise ValueError(f"expected {len(id_array)} vectors of {self._dimension} dimensions")
        if len(id_array) == 0:
            return
        with self._lock:
            self._index.remove_ids(id_array)
            self._index.add_with_ids(matrix, id_array)

    def remove(self, ids: Sequence[int]) -> int:
        if len(ids) == 0:
            return 0
        with self._lock:
            return int(self._index.remove_ids(np.asarray(ids, dtype=np.int64)))

    def search(
        self, queries: Vectors, k: int, *, among: Sequence[int] | None = None
    ) -> tuple[npt.NDArray[np.float32], ClaimIds]:
        matrix = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self._dimension)
        params = None
        if among is not None:
            # Keep the selector referenced until the search is done: params does not own it.
            selector = faiss.IDSelectorBatch(np.asarray(among, dtype=np.int64))
            params = faiss.SearchParameters()
            params.sel = selector
        with self._lock:
            if self._index.ntotal == 0 or k <= 0 or (among is not None and len(among) == 0):
                empty_ids = np.full((len(matrix), max(k, 0)), -1, dtype=np.int64)
                return np.zeros(empty_ids.shape, dtype=np.float32), empty_ids
            scores, ids = self._index.search(matrix, min(k, self._index.ntotal), params=params)
        # Keep the contract's shape: k columns, missing slots padded with id -1.
        missing = k - ids.shape[1]
        if missing > 0:
            ids = np.pad(ids, ((0, 0), (0, missing)), constant_values=-1)
            scores = np.pad(scores, ((0, 0), (0, missing)), constant_values=0.0)
        return scores.astype(np.float32), ids.astype(np.int64)

    def vectors(self, ids: Sequence[int]) -> Vectors:
        """The stored vectors of ``ids``, in order; an id not held raises ``KeyError``."""
        id_array = np.asarray(ids, dtype=np.int64)
        if len(id_array) == 0:
            return np.zeros((0, self._dimension), dtype=np.float32)
        with self._lock:
            try:
                matrix = self._index.reconstruct_batch(id_array)
            except RuntimeError as exc:  # FAISS reports an unknown id as a RuntimeError
                raise KeyError(f"not all of {len(id_array)} ids are indexed") from exc
        return np.asarray(matrix, dtype=np.float32)

    def count(self) -> int:
        with self._lock:
            return int(self._index.ntotal)

    def ids(self) -> ClaimIds:
        with self._lock:
            return np.sort(faiss.vector_to_array(self._index.id_map).astype(np.int64))

    def save(self, directory: Path) -> IndexMetadata:
        """Write the index file, then its metadata, each atomically; returns the metadata."""
        with self._lock:
            payload = faiss.serialize_index(self._index).tobytes()
            held = self.ids()
        target = directory / INDEX_FILE
        write_atomically(target, payload)
        metadata = IndexMetadata(
            backend=self.backend,
            model=self._model,
            dimension=self._dimension,
            count=len(held),
            ids_sha256=ids_digest(held),
            file_sha256=file_digest(target),
            built_at=now(),
            versions=runtime_versions(faiss=faiss.__version__),
        )
        write_metadata(directory, metadata)
        return metadata

    @classmethod
    def load(cls, directory: Path, *, model: str, dimension: int) -> FaissIndex:
        """The saved index, after checking it matches its metadata, the model and the dimension."""
        metadata = read_metadata(directory)
        target = directory / INDEX_FILE
        if metadata.backend != cls.backend:
            raise IndexArtifactError(
                f"index backend {metadata.backend!r}, expected {cls.backend!r}"
            )
        if metadata.model != model or metadata.dimension != dimension:
            raise IndexArtifactError(
                f"index built for {metadata.model} ({metadata.dimension} dims), "
                f"not {model} ({dimension} dims)"
            )
        if not target.is_file():
            raise IndexArtifactError(f"no index file at {target}")
        if file_digest(target) != metadata.file_sha256:
            raise IndexArtifactError(f"index file {target} does not match its checksum")
        try:
            raw = faiss.deserialize_index(np.fromfile(target, dtype=np.uint8))
        except RuntimeError as exc:
            raise IndexArtifactError(f"index file {target} cannot be read: {exc}") from exc
        index = cls(dimension, model=model, _index=raw)
        if index.count() != metadata.count or ids_digest(index.ids()) != metadata.ids_sha256:
            raise IndexArtifactError(f"index file {target} does not hold what its metadata says")
        return index
