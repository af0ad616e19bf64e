"""Bulk loading of claims: validate a batch, skip what is stored, encode the rest, write once.

A batch goes through two steps. ``prepare`` validates rows, resolves sources, looks up which
claims are already stored (by ``external_id`` where given, else by source and wording) and encodes
only the new ones. ``write`` inserts them in one transaction (conflicts are skipped, so a
concurrent or resumed load never duplicates) and then adds their vectors to the index. ``run``
overlaps the two: the encoder works on the next batch while the previous one is written.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Insert, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from crosscheck.claims.models import Claim
from crosscheck.claims.schemas import ClaimCreate
from crosscheck.database import retry_when_busy, utcnow
from crosscheck.errors import CrosscheckError
from crosscheck.indexing.service import ClaimIndex
from crosscheck.ingest.results import (
    LoadTotals,
    RowError,
    RowResult,
    RowStatus,
    error_from,
    rejected,
)
from crosscheck.ingest.rows import Row
from crosscheck.metrics import count_rows
from crosscheck.sources import service as source_service
from crosscheck.textnorm import content_hash
from embeddings.encoders.base import Vectors

log = logging.getLogger(__name__)

DEFAULT_BATCH_ROWS = 512
INDEX_SAVE_INTERVAL_SECONDS = 60.0
# Called with each batch's rows and their results (one per row, in order).
ResultsCallback = Callable[[Sequence[Row], list[RowResult]], None]


@dataclass
class _NewClaim:
    position: int
    line: int
    claim: ClaimCreate
    source_id: int
    digest: str


@dataclass
class PreparedBatch:
    """A batch after validation, lookup and encoding, ready to be written."""

    results: list[RowResult | None]
    new: list[_NewClaim]
    vectors: Vectors
    # position of a row -> (its line, position of the earlier row in the batch with its claim)
    repeats: dict[int, tuple[int, int]] = field(default_factory=dict)


def batched(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def run_in_batches(
    process: Callable[[Sequence[Row]], list[RowResult]],
    rows: Iterable[Row],
    *,
    batch_rows: int,
    claim_index: ClaimIndex,
    on_results: ResultsCallback | None,
) -> LoadTotals:
    """Feed ``rows`` to ``process`` a batch at a time, then save the index once: the plain
    loop of loaders whose batches need no pipelining (documents, claim reviews)."""
    totals = LoadTotals()
    started = time.perf_counter()
    for batch in batched(rows, batch_rows):
        results = process(batch)
        for result in results:
            totals.count(result)
        if on_results is not None:
            on_results(batch, results)
    claim_index.save_if_dirty()
    totals.seconds = time.perf_counter() - started
    return totals


class ClaimBulkLoader:
    """Loads claim rows into the store and the index; safe to run again on the same rows."""

    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        claim_index: ClaimIndex,
        default_source: str | None = None,
        batch_rows: int = DEFAULT_BATCH_ROWS,
        index_save_interval: float = INDEX_SAVE_INTERVAL_SECONDS,
    ) -> None:
        self._session_factory = session_factory
        self._index = claim_index
        self._default_source = default_source
        self.batch_rows = batch_rows
        self._index_save_interval = index_save_interval
        self._last_save = time.monotonic()
        self._source_ids: dict[str, int] = {}
        # The encoder thread creates sources while the writer inserts claims: one writer at a time.
        self._write_lock = threading.Lock()

    # -- validation ------------------------------------------------------------------------

    def _validate(self, row: Row) -> ClaimCreate | RowError:
        if row.data is None:
            return RowError(field=None, message=row.error or "unreadable row")
        data: dict[str, Any] = dict(row.data)
        if self._default_source and "source" not in data and "source_id" not in data:
            data["source"] = self._default_source
        source_id = data.get("source_id")
        if isinstance(source_id, str) and source_id.strip().isdigit():  # a CSV cell is text
            data["source_id"] = int(source_id)
        try:
            return ClaimCreate.model_validate(data)
        except ValidationError as exc:
            return error_from(exc)

    def _resolve_sources(self, claims: Sequence[ClaimCreate]) -> None:
        """Ids of the named sources, created when new, in one short transaction."""
        names = sorted({c.source for c in claims if c.source is not None} - self._source_ids.keys())
        if not names:
            return

        def create_missing() -> dict[str, int]:
            with self._write_lock, self._session_factory() as session:
                ids = {
                    name: source_service.get_or_create(session=session, name=name).id
                    for name in names
                }
                session.commit()
                return ids

        self._source_ids.update(retry_when_busy(create_missing))

    def _source_id(self, session: Session, claim: ClaimCreate) -> int:
        if claim.source is not None:
            return self._source_ids[claim.source]
        assert claim.source_id is not None  # ClaimCreate demands one of the two
        return source_service.get(session=session, source_id=claim.source_id).id

    # -- the two steps ---------------------------------------------------------------------

    def prepare(self, rows: Sequence[Row]) -> PreparedBatch:
        """Validate, resolve sources, skip stored claims and repeats, encode the new ones."""
        results: list[RowResult | None] = [None] * len(rows)
        valid: list[tuple[int, ClaimCreate]] = []
        for position, row in enumerate(rows):
            outcome = self._validate(row)
            if isinstance(outcome, RowError):
                results[position] = rejected(row.line, outcome)
            else:
                valid.append((position, outcome))
        candidates: list[_NewClaim] = []
        self._resolve_sources([claim for _, claim in valid])
        with self._session_factory() as session:
            for position, claim in valid:
                try:
                    source_id = self._source_id(session, claim)
                except CrosscheckError as exc:
                    results[position] = rejected(rows[position].line, error_from(exc))
                    continue
                candidates.append(
                    _NewClaim(
                        position, rows[position].line, claim, source_id, content_hash(claim.text)
                    )
                )
            stored = _stored_ids(session, candidates)
        new: list[_NewClaim] = []
        repeats: dict[int, tuple[int, int]] = {}
        first_with: dict[tuple[int, str], int] = {}
        for candidate in candidates:
            keys = _keys(candidate)
            known = next((stored[key] for key in keys if key in stored), None)
            if known is not None:
                results[candidate.position] = RowResult(
                    line=candidate.line, status=RowStatus.EXISTS, id=known
                )
                continue
            earlier = next((first_with[key] for key in keys if key in first_with), None)
            if earlier is not None:
                repeats[candidate.position] = (candidate.line, earlier)
                continue
            for key in keys:
                first_with[key] = candidate.position
            new.append(candidate)
        vectors = self._index.encoder.encode([item.claim.text for item in new])
        return PreparedBatch(results=results, new=new, vectors=vectors, repeats=repeats)

    def write(self, batch: PreparedBatch) -> list[RowResult]:
        """Insert the new claims in one transaction, then index them; one result per row."""
        results = batch.results
        if batch.new:
            inserted, already = retry_when_busy(lambda: self._insert(batch.new))
            keep = [i for i, item in enumerate(batch.new) if _keys(item)[0] in inserted]
            if keep:
                self._index.add_vectors(
                    [inserted[_keys(batch.new[i])[0]] for i in keep], batch.vectors[keep]
                )
            for item in batch.new:
                key = _keys(item)[0]
                if key in inserted:
                    results[item.position] = RowResult(
                        line=item.line, status=RowStatus.CREATED, id=inserted[key]
                    )
                else:
                    known = next((already[k] for k in _keys(item) if k in already), None)
                    results[item.position] = RowResult(
                        line=item.line, status=RowStatus.EXISTS, id=known
                    )
        for position, (line, earlier) in batch.repeats.items():
            first = results[earlier]
            results[position] = RowResult(
                line=line, status=RowStatus.EXISTS, id=first.id if first else None
            )
        self._save_index_now_and_then()
        written = [result for result in results if result is not None]
        count_rows("claims", (result.status.value for result in written))
        return written

    def _insert(self, new: Sequence[_NewClaim]) -> tuple[dict[ClaimKey, int], dict[ClaimKey, int]]:
        """One transaction: insert ``new`` (conflicts skipped); ids inserted, ids found stored."""
        with self._write_lock, self._session_factory() as session:
            inserted = _insert_skipping_conflicts(session, new)
            raced = [item for item in new if _keys(item)[0] not in inserted]
            already = _stored_ids(session, raced) if raced else {}
            session.commit()
        return inserted, already

    def process(self, rows: Sequence[Row]) -> list[RowResult]:
        """Prepare and write one batch, in order."""
        return self.write(self.prepare(rows))

    def run(self, rows: Iterable[Row], on_results: ResultsCallback | None = None) -> LoadTotals:
        """Load every row, encoding the next batch while the last one is written."""
        totals = LoadTotals()
        started = time.perf_counter()

        def collect(written: tuple[Sequence[Row], Future[list[RowResult]]]) -> None:
            rows_batch, future = written
            results = future.result()
            for result in results:
                totals.count(result)
            if on_results is not None:
                on_results(rows_batch, results)

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="crosscheck-writer") as pool:
            pending: tuple[Sequence[Row], Future[list[RowResult]]] | None = None
            for rows_batch in batched(rows, self.batch_rows):
                prepared = self.prepare(rows_batch)
                if pending is not None:
                    collect(pending)
                pending = (rows_batch, pool.submit(self.write, prepared))
            if pending is not None:
                collect(pending)
        self._index.save_if_dirty()
        totals.seconds = time.perf_counter() - started
        return totals

    def _save_index_now_and_then(self) -> None:
        if time.monotonic() - self._last_save >= self._index_save_interval:
            self._index.save_if_dirty()
            self._last_save = time.monotonic()


# -- lookups and inserts ---------------------------------------------------------------------

ClaimKey = tuple[int, str]


def _keys(item: _NewClaim) -> list[ClaimKey]:
    """The claim's identities: by wording first, then by ``external_id`` (prefixed) if given."""
    keys: list[ClaimKey] = [(item.source_id, item.digest)]
    if item.claim.external_id is not None:
        keys.append((item.source_id, "external:" + item.claim.external_id))
    return keys


def _stored_ids(session: Session, items: Sequence[_NewClaim]) -> dict[ClaimKey, int]:
    """Ids of stored claims matching any identity of ``items``, keyed like ``_keys``."""
    found: dict[ClaimKey, int] = {}
    by_text = {(item.source_id, item.digest) for item in items}
    by_external = {
        (item.source_id, item.claim.external_id)
        for item in items
        if item.claim.external_id is not None
    }
    for chunk in _chunks(sorted(by_text), 500):
        rows = session.execute(
            select(Claim.id, Claim.source_id, Claim.content_hash).where(
                tuple_(Claim.source_id, Claim.content_hash).in_(chunk)
            )
        )
        found.update({(source_id, digest): claim_id for claim_id, source_id, digest in rows})
    for chunk in _chunks(sorted(by_external), 500):
        rows = session.execute(
            select(Claim.id, Claim.source_id, Claim.external_id).where(
                tuple_(Claim.source_id, Claim.external_id).in_(chunk)
            )
        )
        found.update(
            {(source_id, "external:" + str(ext)): claim_id for claim_id, source_id, ext in rows}
        )
    return found


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _dialect_insert(session: Session) -> Insert:
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(Claim).on_conflict_do_nothing()
    return sqlite.insert(Claim).on_conflict_do_nothing()


def _insert_skipping_conflicts(session: Session, items: Sequence[_NewClaim]) -> dict[ClaimKey, int]:
    """Insert ``items`` in one statement; ids of those inserted, keyed by (source, wording)."""
    now = utcnow()
    values = [
        {
            "text": item.claim.text,
            "content_hash": item.digest,
            "source_id": item.source_id,
            "stated_at": item.claim.stated_at,
            "url": str(item.claim.url) if item.claim.url else None,
            "title": item.claim.title,
            "external_id": item.claim.external_id,
            "polarity": "asserts",
            "created_at": now,
        }
        for item in items
    ]
    statement = _dialect_insert(session).values(values)
    returned = session.execute(statement.returning(Claim.id, Claim.source_id, Claim.content_hash))
    return {(source_id, digest): claim_id for claim_id, source_id, digest in returned}
