"""Bulk loading of documents: each row an article, its attributed claims read and stored."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from crosscheck.attribution.parser import DependencyParser
from crosscheck.documents import service as document_service
from crosscheck.documents.schemas import DocumentCreate
from crosscheck.errors import CrosscheckError
from crosscheck.indexing.service import ClaimIndex
from crosscheck.ingest.claims import DEFAULT_BATCH_ROWS, ResultsCallback, run_in_batches
from crosscheck.ingest.results import LoadTotals, RowError, RowResult, RowStatus, error_from
from crosscheck.ingest.rows import Row
from crosscheck.metrics import count_rows

# Documents are heavier than claims (each is read for statements): smaller batches.
DOCUMENT_BATCH_ROWS = 16


class DocumentBulkLoader:
    """Loads document rows; a document already stored (same publisher and text) is reported."""

    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        claim_index: ClaimIndex,
        default_publisher: str | None = None,
        batch_rows: int = DOCUMENT_BATCH_ROWS,
        parser: DependencyParser | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._parser = parser
        self._index = claim_index
        self._default_publisher = default_publisher
        self.batch_rows = min(batch_rows, DEFAULT_BATCH_ROWS)

    def _validate(self, row: Row) -> DocumentCreate | RowError:
        if row.data is None:
            return RowError(field=None, message=row.error or "unreadable row")
        data: dict[str, Any] = dict(row.data)
        if "publisher" not in data and "source" in data:
            data["publisher"] = data.pop("source")
        if "publisher" not in data and self._default_publisher:
            data["publisher"] = self._default_publisher
        try:
            return DocumentCreate.model_validate(data)
        except ValidationError as exc:
            return error_from(exc)

    def _store(self, row: Row) -> RowResult:
        document_in = self._validate(row)
        if isinstance(document_in, RowError):
            return RowResult(line=row.line, status=RowStatus.ERROR, error=document_in)
        with self._session_factory() as session:
            try:
                stored = document_service.ingest(
                    session=session,
                    claim_index=self._index,
                    document_in=document_in,
                    parser=self._parser,
                )
            except CrosscheckError as exc:
                session.rollback()
                return RowResult(line=row.line, status=RowStatus.ERROR, error=error_from(exc))
            status = RowStatus.CREATED if stored.created else RowStatus.EXISTS
            return RowResult(line=row.line, status=status, id=stored.document.id)

    def process(self, rows: Sequence[Row]) -> list[RowResult]:
        """Store each row's document in its own transaction; one result per row, in order."""
        results = [self._store(row) for row in rows]
        count_rows("documents", (result.status.value for result in results))
        return results

    def run(self, rows: Iterable[Row], on_results: ResultsCallback | None = None) -> LoadTotals:
        return run_in_batches(
            self.process,
            rows,
            batch_rows=self.batch_rows,
            claim_index=self._index,
            on_results=on_results,
        )
