"""The claim index: derived from the database, saved atomically, repaired at start-up."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from crosscheck.claims import service as claim_service
from crosscheck.claims.service import IdWatermark
from crosscheck.metrics import INDEX_SECONDS
from embeddings.ann.base import ClaimIds, IndexArtifactError, IndexMissingError, VectorIndex
from embeddings.encoders.base import Encoder, Vectors

log = logging.getLogger(__name__)

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

    def __init__(self, *, index: VectorIndex, encoder: Encoder, batch_size: int = 64):
        self._index = index
        self._encoder = encoder
        self._batch_size = batch_size
        self._dirty = False
        self._save_lock = threading.Lock()
        self._listeners: list[AddedListener] = []

    @property
    def encoder(self) -> Encoder:
        return self._encoder

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
        with self._save_lock, INDEX_SECONDS.labels(operation="save").time():
            # Cleared first: a change made during the save marks the index dirty again.
            self._dirty = False
            try:
                self._index.save()
            except BaseException:
                self._dirty = True  # not saved (a full disk?): the next save tries again
                raise

    def save_if_dirty(self) -> bool:
        if not self._dirty:
            return False
        self.save()
        return True


def _load_or_new(*, index: VectorIndex, encoder: Encoder) -> IndexArtifactError | None:
    """Open the stored index, or start it empty and say why the stored one could not be used."""
    try:
        index.load(model=encoder.model_name, dimension=encoder.dimension)
    except IndexArtifactError as exc:
        index.create(model=encoder.model_name, dimension=encoder.dimension)
        return exc
    return None


def _index_stored_texts(
    *,
    claim_index: ClaimIndex,
    session: Session,
    items: Iterable[tuple[int, str]],
    progress: ProgressCallback | None = None,
) -> int:
    """Index (id, text) pairs read from the store, minus claims deleted while they were encoded.

    A delete commits, then removes the vector; if that removal ran before this add, the vector
    would outlive its claim. Looking again after adding closes the window: a delete committed
    before the look is undone here, one committed after it removes the vector itself.
    """
    claim_ids: list[int] = []

    def recorded() -> Iterator[tuple[int, str]]:
        for item in items:
            claim_ids.append(item[0])
            yield item

    added = claim_index.add_texts(recorded(), progress)
    if not claim_ids:
        return added
    gone = set(claim_ids) - claim_service.existing_ids(session=session, claim_ids=claim_ids)
    return added - claim_index.remove(sorted(gone))


def held_watermark(ids: ClaimIds) -> IdWatermark:
    """The watermark of the ids an index holds (ascending), to compare with the store's."""
    if len(ids) == 0:
        return IdWatermark(count=0, highest=None, total=0)
    return IdWatermark(count=len(ids), highest=int(ids[-1]), total=int(ids.sum()))


def sync_with_store(
    *, claim_index: ClaimIndex, session: Session, progress: ProgressCallback | None = None
) -> SyncReport:
    """Make the index hold exactly the claims in the database: add missing, drop deleted."""
    started = time.perf_counter()
    # The index first: a claim is indexed only after it is committed, so whatever the index
    # holds is either still stored or deleted since; never a claim too new for ``stored``.
    held = claim_index.ids()
    stored = np.asarray(claim_service.all_ids(session=session), dtype=np.int64)
    missing = np.setdiff1d(stored, held, assume_unique=True)
    extra = np.setdiff1d(held, stored, assume_unique=True)
    removed = claim_index.remove([int(i) for i in extra])
    added = _index_stored_texts(
        claim_index=claim_index,
        session=session,
        items=claim_service.iter_texts(session=session, claim_ids=[int(i) for i in missing]),
        progress=progress,
    )
    seconds = time.perf_counter() - started
    INDEX_SECONDS.labels(operation="sync").observe(seconds)
    return SyncReport(added=added, removed=removed, total=claim_index.count(), seconds=seconds)


def catch_up(*, claim_index: ClaimIndex, session: Session) -> SyncReport | None:
    """Sync with claims other processes wrote (or deleted), if the database moved since.

    A cheap look first (count, highest id and sum of ids). When the store only gained claims
    above the highest id the index holds, those are fetched by id range; the full comparison of
    every id runs only when that does not square the two, so a server can call this as often as
    claims change.
    """
    stored = claim_service.watermark(session=session)
    held = held_watermark(claim_index.ids())
    if stored == held:
        return None
    if stored.highest is not None and stored.highest > (held.highest or 0):
        followed = follow_new_claims(claim_index=claim_index, session=session)
        if claim_service.watermark(session=session) == held_watermark(claim_index.ids()):
            return followed
    report = sync_with_store(claim_index=claim_index, session=session)
    if report.added or report.removed:
        log.info(
            "index caught up with other writers: +%d -%d, %d claims",
            report.added,
            report.removed,
            report.total,
        )
    return report


def follow_new_claims(*, claim_index: ClaimIndex, session: Session) -> SyncReport | None:
    """Index the claims stored above the highest id the index holds: others' fresh inserts.

    One range scan on the primary key, whatever the store's size. A claim that commits late with
    a lower id is not seen here; ``catch_up`` (polled) finds it.
    """
    started = time.perf_counter()
    held = claim_index.ids()
    added = _index_stored_texts(
        claim_index=claim_index,
        session=session,
        items=claim_service.iter_texts_after(
            session=session, after_id=int(held[-1]) if len(held) else 0
        ),
    )
    if not added:
        return None
    report = SyncReport(
        added=added, removed=0, total=claim_index.count(), seconds=time.perf_counter() - started
    )
    log.info("index followed other writers: +%d, %d claims", report.added, report.total)
    return report


def open_claim_index(
    *,
    backend: VectorIndex,
    encoder: Encoder,
    session: Session,
    batch_size: int = 64,
    rebuild: bool = False,
    progress: ProgressCallback | None = None,
) -> tuple[ClaimIndex, SyncReport]:
    """Open the stored index, repair it from the database if it is missing, stale or corrupt.

    ``backend`` is the deployment's vector index, not yet opened (``backends.index_backend``).
    A FAISS index of another kind than its layout wants for the store's size (flat past the IVF
    threshold, IVF lists trained for a much smaller store) is rebuilt from its own vectors.
    """
    problem: IndexArtifactError | None = None
    if rebuild:
        backend.create(model=encoder.model_name, dimension=encoder.dimension)
        log.info("%s: rebuilding from the database, as asked", backend.describe())
    else:
        problem = _load_or_new(index=backend, encoder=encoder)
        if isinstance(problem, IndexMissingError):  # a first run: nothing to distrust
            log.info("%s: none saved yet (%s): building it", backend.describe(), problem)
        elif problem is not None:
            log.warning(
                "%s unusable (%s): rebuilding from the database", backend.describe(), problem
            )
    claim_index = ClaimIndex(index=backend, encoder=encoder, batch_size=batch_size)
    report = sync_with_store(claim_index=claim_index, session=session, progress=progress)
    if report.added or report.removed:
        log.info(
            "index caught up with the database: +%d -%d, %d claims, %.2fs",
            report.added,
            report.removed,
            report.total,
            report.seconds,
        )
    reshaped = backend.rebuild_reason()
    if reshaped is not None:
        log.warning("%s does not suit the store (%s): rebuilding it", backend.describe(), reshaped)
        claim_index.reshape()
    if rebuild or problem is not None or reshaped is not None or report.added or report.removed:
        claim_index.save()
    return claim_index, report
