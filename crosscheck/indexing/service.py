"""The claim index: derived from the database, saved atomically, repaired at start-up."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from filelock import FileLock
from sqlalchemy.orm import Session

from crosscheck.claims import service as claim_service
from crosscheck.metrics import INDEX_SECONDS
from embeddings.encoder import Encoder, Vectors
from embeddings.faiss_index import FaissIndex, IndexLayout
from embeddings.index import ClaimIds, IndexArtifactError

log = logging.getLogger(__name__)

LOCK_FILE = "index.lock"
LOCK_TIMEOUT_SECONDS = 120.0

ProgressCallback = Callable[[int], None]
# Told the ids of claims just added to the index (from the writer's thread); must not block.
AddedListener = Callable[[Sequence[int]], None]


@dataclass(frozen=True)
class SyncReport:
    """What bringing the index in step with the database did."""

    added: int
    removed: int
    total: int
    seconds: float


class ClaimIndex:
    """The claim vectors of one process: search, add, remove, and save when changed."""

    def __init__(
        self, *, index: FaissIndex, encoder: Encoder, directory: Path, batch_size: int = 64
    ):
        self._index = index
        self._encoder = encoder
        self._directory = directory
        self._batch_size = batch_size
        self._dirty = False
        self._save_lock = threading.Lock()
        self._listeners: list[AddedListener] = []

    @property
    def encoder(self) -> Encoder:
        return self._encoder

    @property
    def directory(self) -> Path:
        return self._directory

    def count(self) -> int:
        return self._index.count()

    def ids(self) -> ClaimIds:
        return self._index.ids()

    def vectors(self, claim_ids: Sequence[int]) -> dict[int, Vectors]:
        """The indexed vectors of these claims (those the index holds)."""
        return self._index.vectors(claim_ids)

    def add_texts(
        self, items: Iterable[tuple[int, str]], progress: ProgressCallback | None = None
    ) -> int:
        """Encode and index (id, text) pairs in batches; returns how many were added."""
        added = 0
        batch: list[tuple[int, str]] = []
        for item in items:
            batch.append(item)
            if len(batch) >= self._batch_size:
                added += self._add_batch(batch, progress)
                batch = []
        if batch:
            added += self._add_batch(batch, progress)
        return added

    def _add_batch(
        self, batch: Sequence[tuple[int, str]], progress: ProgressCallback | None
    ) -> int:
        vectors = self._encoder.encode([text for _, text in batch])
        self.add_vectors([claim_id for claim_id, _ in batch], vectors)
        if progress is not None:
            progress(len(batch))
        return len(batch)

    def on_added(self, listener: AddedListener) -> None:
        """Call ``listener`` with the ids of claims each time some become searchable."""
        self._listeners.append(listener)

    def add_vectors(self, claim_ids: Sequence[int], vectors: Vectors) -> None:
        """Index claims whose vectors are already encoded (bulk loads encode ahead)."""
        if not len(claim_ids):
            return
        with INDEX_SECONDS.labels(operation="add").time():
            self._index.add(claim_ids, vectors)
        self._dirty = True
        for listener in self._listeners:
            try:
                listener(claim_ids)
            except Exception:  # a listener's failure must never fail the write that indexed
                log.exception("listener of added claims failed")

    def remove(self, claim_ids: Sequence[int]) -> int:
        with INDEX_SECONDS.labels(operation="remove").time():
            removed = self._index.remove(claim_ids)
        self._dirty = self._dirty or removed > 0
        return removed

    def search(
        self, query: Vectors, k: int, *, among: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """(claim id, cosine) of the ``k`` nearest claims (of ``among``, if given), best first."""
        with INDEX_SECONDS.labels(operation="search").time():
            scores, ids = self._index.search(query.reshape(1, -1), k, among=among)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def reshape(self) -> str | None:
        """Rebuild the index as its layout wants for the store's size (see ``FaissIndex``)."""
        reason = self._index.reshape()
        self._dirty = self._dirty or reason is not None
        return reason

    def save(self) -> None:
        with (
            self._save_lock,
            directory_lock(self._directory),
            INDEX_SECONDS.labels(operation="save").time(),
        ):
            self._dirty = False
            metadata = self._index.save(self._directory)
        log.info("saved index: %d claims to %s", metadata.count, self._directory)

    def save_if_dirty(self) -> bool:
        if not self._dirty:
            return False
        self.save()
        return True


def directory_lock(directory: Path) -> FileLock:
    """The lock that processes sharing an index folder hold while saving or loading it.

    The saved index is a cache of the database: whoever saves last wins, and a reader never sees
    one process's index file beside another's metadata.
    """
    directory.mkdir(parents=True, exist_ok=True)
    return FileLock(directory / LOCK_FILE, timeout=LOCK_TIMEOUT_SECONDS)


def _load_or_new(
    *, directory: Path, encoder: Encoder, layout: IndexLayout | None
) -> tuple[FaissIndex, str | None]:
    """The saved index, or an empty one and the reason the saved one could not be used."""
    try:
        with directory_lock(directory):
            index = FaissIndex.load(
                directory, model=encoder.model_name, dimension=encoder.dimension, layout=layout
            )
        return index, None
    except IndexArtifactError as exc:
        return FaissIndex(encoder.dimension, model=encoder.model_name, layout=layout), str(exc)


def sync_with_store(
    *, claim_index: ClaimIndex, session: Session, progress: ProgressCallback | None = None
) -> SyncReport:
    """Make the index hold exactly the claims in the database: add missing, drop deleted."""
    started = time.perf_counter()
    stored = np.asarray(claim_service.all_ids(session=session), dtype=np.int64)
    held = claim_index.ids()
    missing = np.setdiff1d(stored, held, assume_unique=True)
    extra = np.setdiff1d(held, stored, assume_unique=True)
    removed = claim_index.remove([int(i) for i in extra])
    added = claim_index.add_texts(
        claim_service.iter_texts(session=session, claim_ids=[int(i) for i in missing]), progress
    )
    seconds = time.perf_counter() - started
    INDEX_SECONDS.labels(operation="sync").observe(seconds)
    return SyncReport(added=added, removed=removed, total=claim_index.count(), seconds=seconds)


def catch_up(*, claim_index: ClaimIndex, session: Session) -> SyncReport | None:
    """Sync with claims other processes wrote (or deleted), if the database moved since.

    A cheap look first (count and highest id); the full comparison runs only when they differ
    from the index's own, so a server can call this every few seconds.
    """
    count, highest = claim_service.count_and_highest_id(session=session)
    held = claim_index.ids()
    if count == len(held) and highest == (int(held[-1]) if len(held) else None):
        return None
    report = sync_with_store(claim_index=claim_index, session=session)
    if report.added or report.removed:
        log.info(
            "index caught up with other writers: +%d -%d, %d claims",
            report.added,
            report.removed,
            report.total,
        )
    return report


def open_claim_index(
    *,
    directory: Path,
    encoder: Encoder,
    session: Session,
    batch_size: int = 64,
    rebuild: bool = False,
    progress: ProgressCallback | None = None,
    layout: IndexLayout | None = None,
) -> tuple[ClaimIndex, SyncReport]:
    """Load the saved index, repair it from the database if it is missing, stale or corrupt.

    An index of another kind than ``layout`` wants for the store's size (flat past the IVF
    threshold, IVF lists trained for a much smaller store) is rebuilt from its own vectors.
    """
    problem: str | None
    if rebuild:
        index, problem = (
            FaissIndex(encoder.dimension, model=encoder.model_name, layout=layout),
            "rebuild requested",
        )
    else:
        index, problem = _load_or_new(directory=directory, encoder=encoder, layout=layout)
    if problem is not None:
        log.warning("index at %s unusable (%s): rebuilding from the database", directory, problem)
    claim_index = ClaimIndex(
        index=index, encoder=encoder, directory=directory, batch_size=batch_size
    )
    report = sync_with_store(claim_index=claim_index, session=session, progress=progress)
    if report.added or report.removed:
        log.info(
            "index caught up with the database: +%d -%d, %d claims, %.2fs",
            report.added,
            report.removed,
            report.total,
            report.seconds,
        )
    reshaped = index.rebuild_reason()
    if reshaped is not None:
        log.warning("index at %s does not suit the store (%s): rebuilding it", directory, reshaped)
        claim_index.reshape()
    if problem is not None or reshaped is not None or report.added or report.removed:
        claim_index.save()
    return claim_index, report
