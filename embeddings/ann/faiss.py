"""Inner-product search with FAISS, keyed by claim id: exact while small, IVF beyond a size.

Two kinds behind one class:
- ``flat``: ``IndexIDMap2(IndexFlatIP)``, exact.
- ``ivf``: ``IndexIVFFlat`` (inner product, spherical k-means lists), which keeps claim ids
  natively (``add_with_ids`` / ``remove_ids``; an ``IndexIDMap2`` around it returns wrong ids
  after a removal) and a hashtable direct map so vectors can be read back for a rebuild.

``IndexLayout`` (from settings) says which kind a store of a given size should have; an index of
the wrong kind, or IVF lists trained for a much smaller or larger store, is rebuilt from its own
vectors by ``reshape`` while searches go on against the old one.

Each process holds its own copy in memory and saves it to files in its folder; processes sharing
the folder take turns through a lock file there (``directory_lock``).
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Self

import faiss
import numpy as np
import numpy.typing as npt
from filelock import FileLock

from embeddings.ann.base import ClaimIds, IndexArtifactError, IndexMissingError
from embeddings.artifacts import (
    IndexMetadata,
    file_digest,
    fsync_directory,
    ids_digest,
    now,
    read_metadata,
    runtime_versions,
    write_metadata,
)
from embeddings.encoders.base import Vectors

log = logging.getLogger(__name__)

# The index file of saves made before each save got a file of its own (still loaded).
INDEX_FILE = "claims.faiss"
# Each save writes ``claims-<first hex digits of its sha256>.faiss``; its metadata names it.
INDEX_FILE_PREFIX = "claims-"
INDEX_FILE_SUFFIX = ".faiss"
# Saved before index kinds existed: the same flat index under its old backend name.
LEGACY_FLAT_BACKEND = "faiss-flat-ip"
LOCK_FILE = "index.lock"
LOCK_TIMEOUT_SECONDS = 120.0

IndexKind = Literal["flat", "ivf"]
# Fewer vectors than this cannot train useful lists: the index stays flat until then.
IVF_MIN_TRAINING = 1_000
# Lets an IVF index find (and read back) a vector by claim id; not in faiss's type stubs.
HASHTABLE_DIRECT_MAP = faiss.DirectMap.Hashtable  # type: ignore[attr-defined]
# k-means points per list: FAISS warns below 39; more buys little.
TRAINING_POINTS_PER_LIST = 64


@dataclass(frozen=True)
class IndexLayout:
    """Which kind of index a store of a given size gets, and with what parameters.

    ``kind``: ``auto`` (flat below ``ivf_min_claims``, IVF from there), ``flat`` or ``ivf``.
    ``regrow``: IVF lists are retrained once the store holds this many times more (or fewer)
    claims than they were trained for, as ``nlist`` should follow the square root of the size.
    """

    kind: Literal["auto", "flat", "ivf"] = "auto"
    ivf_min_claims: int = 50_000
    nprobe: int = 16
    regrow: float = 4.0

    def wanted_kind(self, count: int, current: IndexKind) -> IndexKind:
        if self.kind == "flat" or count < IVF_MIN_TRAINING:
            return "flat"
        if self.kind == "ivf":
            return "ivf"
        # Half the threshold back to flat, so a store hovering around it does not flap.
        threshold = self.ivf_min_claims // 2 if current == "ivf" else self.ivf_min_claims
        return "ivf" if count >= threshold else "flat"

    @staticmethod
    def nlist(count: int) -> int:
        """Lists for ``count`` vectors: about the square root, each with enough training points."""
        return max(1, min(round(math.sqrt(count)), count // 39))


def directory_lock(directory: Path) -> FileLock:
    """The lock that processes sharing an index folder hold while saving or loading it.

    The saved index is a cache of the database: whoever saves last wins, and a reader never sees
    one process's index file beside another's metadata.
    """
    directory.mkdir(parents=True, exist_ok=True)
    return FileLock(directory / LOCK_FILE, timeout=LOCK_TIMEOUT_SECONDS)


class FaissIndex:
    """Claim vectors in FAISS, searched by inner product; exact (flat) or IVF (see module doc).

    Held in this process's memory (never ``shared``) and saved to files in ``directory``.
    """

    backend = "faiss"
    shared = False

    def __init__(self, directory: Path, *, layout: IndexLayout | None = None) -> None:
        self.directory = directory
        self.layout = layout or IndexLayout()
        # Set by ``create`` or ``load``.
        self._model = ""
        self._dimension = 0
        self._index: Any = None
        self._trained_for = 0
        # FAISS objects are not safe for concurrent mutation and search.
        self._lock = threading.RLock()
        self._sorted_ids: ClaimIds | None = None
        # While ``reshape`` builds a replacement, changes are also noted here to replay on it.
        self._journal: list[tuple[str, ClaimIds, Vectors | None]] | None = None

    def describe(self) -> str:
        return f"FAISS index in {self.directory}"

    def close(self) -> None:
        """Nothing held open: the index is in memory and its files are closed after each save."""

    def create(self, *, model: str, dimension: int) -> Self:
        """Start empty (flat) for ``model``, in memory; the saved files are replaced by ``save``."""
        return self._hold(
            faiss.IndexIDMap2(faiss.IndexFlatIP(dimension)),
            model=model,
            dimension=dimension,
            trained_for=0,
        )

    def _saved_files(self) -> Iterator[Path]:
        return (p for p in self.directory.iterdir() if _is_index_file(p.name))

    def load(self, *, model: str, dimension: int) -> Self:
        """The index saved in ``directory``, after checking it matches its metadata, the model
        and the dimension.

        It may be of another kind than ``layout`` wants: ``rebuild_reason`` says so.
        """
        with directory_lock(self.directory):
            try:
                metadata = read_metadata(self.directory)
            except IndexMissingError as exc:
                if any(self._saved_files()):  # saved once: the metadata was lost, not unwritten
                    raise IndexArtifactError(f"{exc}, beside a saved index file") from exc
                raise
            target = self.directory / metadata.file
            if metadata.backend not in (self.backend, LEGACY_FLAT_BACKEND):
                raise IndexArtifactError(
                    f"index backend {metadata.backend!r}, expected {self.backend!r}"
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
                raw: Any = faiss.read_index(str(target))
            except RuntimeError as exc:
                raise IndexArtifactError(f"index file {target} cannot be read: {exc}") from exc
            kind = _kind(raw)
            described = {k: v for k, v in metadata.params.items() if k in ("nlist",)}
            actual = {"nlist": int(raw.nlist)} if kind == "ivf" else {}
            if kind != metadata.kind or described != actual or raw.d != dimension:
                raise IndexArtifactError(
                    f"index file {target} is {kind} {actual}, "
                    f"its metadata says {metadata.kind} {described}"
                )
            if raw.ntotal != metadata.count or ids_digest(_held_ids(raw)) != metadata.ids_sha256:
                raise IndexArtifactError(
                    f"index file {target} does not hold what its metadata says"
                )
            return self._hold(
                raw,
                model=model,
                dimension=dimension,
                trained_for=int(metadata.params.get("trained_for", 0)),
            )

    def _hold(self, index: Any, *, model: str, dimension: int, trained_for: int) -> Self:
        with self._lock:
            self._model, self._dimension = model, dimension
            self._index, self._trained_for = index, trained_for
            self._apply_search_parameters()
            self._sorted_ids = None
        return self

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def model(self) -> str:
        return self._model

    @property
    def kind(self) -> IndexKind:
        return _kind(self._index)

    @property
    def params(self) -> dict[str, int]:
        """What the saved metadata records about this index beyond its kind."""
        if self.kind == "flat":
            return {}
        return {
            "nlist": int(self._index.nlist),
            "nprobe": int(self._index.nprobe),
            "trained_for": self._trained_for,
        }

    def _apply_search_parameters(self) -> None:
        if isinstance(self._index, faiss.IndexIVF):
            self._index.nprobe = min(self.layout.nprobe, int(self._index.nlist))

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
            self._sorted_ids = None
            if self._journal is not None:
                self._journal.append(("add", id_array, matrix.copy()))

    def remove(self, ids: Sequence[int] | ClaimIds) -> int:
        if len(ids) == 0:
            return 0
        id_array = np.asarray(ids, dtype=np.int64)
        with self._lock:
            removed = int(self._index.remove_ids(id_array))
            self._sorted_ids = None
            if self._journal is not None:
                self._journal.append(("remove", id_array, None))
            return removed

    def search(
        self, queries: Vectors, k: int, *, among: Sequence[int] | None = None
    ) -> tuple[npt.NDArray[np.float32], ClaimIds]:
        matrix = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self._dimension)
        params: Any = None
        if among is not None:
            # Keep the selector referenced until the search is done: params does not own it.
            selector = faiss.IDSelectorBatch(np.asarray(among, dtype=np.int64))
            if self.kind == "ivf":  # IVF takes its own parameter type, nprobe included
                params = faiss.SearchParametersIVF()
                params.nprobe = int(self._index.nprobe)
            else:
                params = faiss.SearchParameters()
            params.sel = selector
        with self._lock:
            if self._index.ntotal == 0 or k <= 0 or (among is not None and len(among) == 0):
                empty_ids = np.full((len(matrix), max(k, 0)), -1, dtype=np.int64)
                return np.zeros(empty_ids.shape, dtype=np.float32), empty_ids
            scores, ids = _search(self._index, matrix, min(k, self._index.ntotal), params=params)
        # Keep the contract's shape: k columns, missing slots padded with id -1.
        missing = k - ids.shape[1]
        if missing > 0:
            ids = np.pad(ids, ((0, 0), (0, missing)), constant_values=-1)
            scores = np.pad(scores, ((0, 0), (0, missing)), constant_values=0.0)
        return scores.astype(np.float32), ids.astype(np.int64)

    def count(self) -> int:
        with self._lock:
            return int(self._index.ntotal)

    def ids(self) -> ClaimIds:
        with self._lock:
            if self._sorted_ids is None:
                self._sorted_ids = np.sort(_held_ids(self._index))
                self._sorted_ids.setflags(write=False)  # shared with callers until a change
            return self._sorted_ids

    def vectors(self, ids: Sequence[int]) -> dict[int, Vectors]:
        """The stored vector of each id that is held (absent ids are left out)."""
        found: dict[int, Vectors] = {}
        with self._lock:
            for claim_id in ids:
                try:
                    found[int(claim_id)] = self._index.reconstruct(int(claim_id))
                except RuntimeError:  # FAISS's answer for an id it does not hold
                    continue
        return found

    def _held_vectors(self) -> tuple[ClaimIds, Vectors]:
        """Every (id, vector) held, read back from the index (no re-encoding)."""
        if self.kind == "flat":
            count = int(self._index.ntotal)
            flat: Any = faiss.downcast_index(self._index.index)
            vectors = faiss.rev_swig_ptr(flat.get_xb(), count * self._dimension)
            return _held_ids(self._index), vectors.reshape(count, self._dimension).copy()
        invlists = self._index.invlists
        ids, rows = [], []
        for i in range(invlists.nlist):
            size = invlists.list_size(i)
            if size:
                ids.append(faiss.rev_swig_ptr(invlists.get_ids(i), size).copy())
                codes = faiss.rev_swig_ptr(invlists.get_codes(i), size * self._dimension * 4)
                rows.append(codes.view(np.float32).reshape(size, self._dimension).copy())
        if not ids:
            return np.zeros(0, np.int64), np.zeros((0, self._dimension), np.float32)
        return np.concatenate(ids).astype(np.int64), np.vstack(rows)

    def rebuild_reason(self) -> str | None:
        """Why this index does not suit its layout and size (``None`` when it does)."""
        count = self.count()
        wanted = self.layout.wanted_kind(count, self.kind)
        if wanted != self.kind:
            return f"{self.kind} index for {count} claims, layout wants {wanted}"
        if self.kind == "ivf":
            trained = max(self._trained_for, 1)
            if count > trained * self.layout.regrow or count * self.layout.regrow < trained:
                return f"IVF lists trained for {self._trained_for} claims, store holds {count}"
        return None

    def reshape(self) -> str | None:
        """Rebuild as the layout wants, if it wants a change; returns the reason, or ``None``.

        The new index is built from a snapshot of this one's vectors without holding the lock,
        so searches go on; changes made meanwhile are replayed on it before it takes over.
        """
        with self._lock:
            reason = self.rebuild_reason()
            if reason is None or self._journal is not None:
                return None
            ids, vectors = self._held_vectors()
            self._journal = []
        try:
            started = time.perf_counter()
            built = _build(self._dimension, self.layout, self.kind, ids, vectors)
            del vectors
            with self._lock:
                for action, journal_ids, journal_vectors in self._journal:
                    built.remove_ids(journal_ids)
                    if action == "add":
                        built.add_with_ids(journal_vectors, journal_ids)
                self._index = built
                self._trained_for = len(ids) if isinstance(built, faiss.IndexIVF) else 0
                self._apply_search_parameters()
                self._sorted_ids = None
        finally:
            with self._lock:
                self._journal = None
        log.info(
            "index rebuilt as %s %s in %.1fs (%s)",
            self.kind,
            self.params,
            time.perf_counter() - started,
            reason,
        )
        return reason

    def save(self) -> IndexMetadata:
        """Write the index to a new file in ``directory``, then switch to it by replacing the
        metadata; under the folder's lock.

        The metadata names its index file, and a file is never overwritten: a crash (or a full
        disk) at any point leaves the previous metadata naming the previous file, both intact.
        Index files no metadata names any longer are removed after the switch.
        """
        with directory_lock(self.directory):
            metadata = self._write(self.directory)
        log.info("saved index: %d claims to %s", self.count(), self.directory)
        return metadata

    def _write(self, directory: Path) -> IndexMetadata:
        fd, temp_name = tempfile.mkstemp(
            dir=directory, prefix=f".{INDEX_FILE_PREFIX}", suffix=".tmp"
        )
        os.close(fd)
        temp = Path(temp_name)
        try:
            with self._lock:
                faiss.write_index(self._index, str(temp))
                held = self.ids()
                kind, params = self.kind, self.params
            with temp.open("rb+") as handle:
                os.fsync(handle.fileno())
            digest = file_digest(temp)
            target = directory / f"{INDEX_FILE_PREFIX}{digest[:16]}{INDEX_FILE_SUFFIX}"
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        fsync_directory(directory)
        metadata = IndexMetadata(
            backend=self.backend,
            kind=kind,
            params=params,
            model=self._model,
            dimension=self._dimension,
            count=len(held),
            ids_sha256=ids_digest(held),
            file_sha256=digest,
            file=target.name,
            built_at=now(),
            versions=runtime_versions(faiss=faiss.__version__),
        )
        write_metadata(directory, metadata)
        _remove_unnamed_files(directory, keep=target.name)
        return metadata


def saved_index_file(directory: Path) -> Path:
    """The index file the metadata in ``directory`` names (it may be missing or damaged)."""
    return directory / read_metadata(directory).file


def _is_index_file(name: str) -> bool:
    return name == INDEX_FILE or (
        name.startswith(INDEX_FILE_PREFIX) and name.endswith(INDEX_FILE_SUFFIX)
    )


def _remove_unnamed_files(directory: Path, *, keep: str) -> None:
    """Drop index files and temp files of earlier or interrupted saves; ``keep`` stays.

    Savers sharing a folder hold its lock (``directory_lock``), so no save is in progress.
    """
    removed = False
    for path in directory.iterdir():
        name = path.name
        interrupted = name.startswith(f".{INDEX_FILE_PREFIX}") and name.endswith(".tmp")
        if name != keep and (_is_index_file(name) or interrupted):
            path.unlink(missing_ok=True)
            removed = True
    if removed:
        fsync_directory(directory)


# Below this many queries a search runs on the calling thread alone: OpenMP workers gain little
# for a few queries, and on a busy machine their spin-waits made one search 5-10x slower.
PARALLEL_SEARCH_MIN_QUERIES = 16


def _kind(index: Any) -> IndexKind:
    return "ivf" if isinstance(index, faiss.IndexIVF) else "flat"


def _held_ids(index: Any) -> ClaimIds:
    """The ids a FAISS index holds, in no particular order."""
    if _kind(index) == "flat":
        return faiss.vector_to_array(index.id_map).astype(np.int64)
    invlists = index.invlists
    parts = [
        faiss.rev_swig_ptr(invlists.get_ids(i), invlists.list_size(i)).copy()
        for i in range(invlists.nlist)
        if invlists.list_size(i)
    ]
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)


def _search(index: Any, queries: Vectors, k: int, *, params: Any = None) -> tuple[Any, Any]:
    if len(queries) >= PARALLEL_SEARCH_MIN_QUERIES:
        scores, ids = index.search(queries, k, params=params)
        return scores, ids
    # OpenMP's thread count is per calling thread: this leaves other threads' builds parallel.
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        scores, ids = index.search(queries, k, params=params)
    finally:
        faiss.omp_set_num_threads(threads)
    return scores, ids


def _build(
    dimension: int, layout: IndexLayout, current: IndexKind, ids: ClaimIds, vectors: Vectors
) -> Any:
    """A new FAISS index of the kind ``layout`` wants for these vectors, holding them."""
    if layout.wanted_kind(len(ids), current) == "flat":
        index: Any = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
    else:
        nlist = IndexLayout.nlist(len(ids))
        index = faiss.IndexIVFFlat(
            faiss.IndexFlatIP(dimension), dimension, nlist, faiss.METRIC_INNER_PRODUCT
        )
        # Unit vectors: centroids on the sphere fit inner-product search.
        index.cp.spherical = True
        sample = np.random.default_rng(0).choice(
            len(ids), size=min(len(ids), nlist * TRAINING_POINTS_PER_LIST), replace=False
        )
        index.train(vectors[np.sort(sample)])
        index.set_direct_map_type(HASHTABLE_DIRECT_MAP)
    for start in range(0, len(ids), 100_000):  # bounded temporary memory while assigning lists
        index.add_with_ids(vectors[start : start + 100_000], ids[start : start + 100_000])
    return index
