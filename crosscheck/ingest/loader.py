"""Choosing a bulk loader by what the rows are: claims or documents."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from crosscheck.attribution.parser import DependencyParser
from crosscheck.indexing.service import ClaimIndex
from crosscheck.ingest.claims import ClaimBulkLoader, ResultsCallback
from crosscheck.ingest.documents import DocumentBulkLoader
from crosscheck.ingest.results import LoadTotals, RowResult
from crosscheck.ingest.reviews import ClaimReviewBulkLoader
from crosscheck.ingest.rows import Row


class RowKind(enum.StrEnum):
    CLAIMS = "claims"
    DOCUMENTS = "documents"
    CLAIM_REVIEWS = "claimreviews"


class BulkLoader(Protocol):
    """Loads rows: one batch at a time (``process``) or a whole stream (``run``)."""

    batch_rows: int

    def process(self, rows: Sequence[Row]) -> list[RowResult]: ...

    def run(self, rows: Iterable[Row], on_results: ResultsCallback | None = None) -> LoadTotals: ...


def bulk_loader(
    kind: RowKind,
    *,
    session_factory: sessionmaker[Session],
    claim_index: ClaimIndex,
    default_source: str | None = None,
    parser: DependencyParser | None = None,
) -> BulkLoader:
    """The loader for ``kind``; ``default_source`` fills rows without a source (the publisher
    of documents, the claimant of claim reviews)."""
    if kind is RowKind.CLAIM_REVIEWS:
        return ClaimReviewBulkLoader(
            session_factory=session_factory,
            claim_index=claim_index,
            default_claimant=default_source,
        )
    if kind is RowKind.DOCUMENTS:
        return DocumentBulkLoader(
            session_factory=session_factory,
            claim_index=claim_index,
            default_publisher=default_source,
            parser=parser,
        )
    return ClaimBulkLoader(
        session_factory=session_factory, claim_index=claim_index, default_source=default_source
    )
