"""Bulk loading of fact-checkers' ClaimReview objects: the claim, its claimant, the rating.

Each row is one ClaimReview. The reviewed claim goes through the claim loader (so it is stored
once per claimant and wording, encoded and indexed like any claim); the rating is stored beside
it, once per claim and review URL. A row is ``created`` when its claim or its rating is new.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from crosscheck.database import retry_when_busy
from crosscheck.errors import CrosscheckError
from crosscheck.indexing.service import ClaimIndex
from crosscheck.ingest.claims import ClaimBulkLoader, ResultsCallback, run_in_batches
from crosscheck.ingest.results import LoadTotals, RowError, RowResult, RowStatus, error_from
from crosscheck.ingest.rows import Row
from crosscheck.reviews import service as review_service
from crosscheck.reviews.reading import ImportedReview, read_claim_review
from crosscheck.sources import service as source_service

REVIEW_BATCH_ROWS = 256
# Claim fields, as the claim loader names them, and the ClaimReview properties they come from.
_PROPERTY_OF = {
    "text": "claimReviewed",
    "source": "itemReviewed.author.name",
    "stated_at": "itemReviewed.datePublished",
    "url": "itemReviewed.appearance",
    "title": "headline",
}


class ClaimReviewBulkLoader:
    """Loads ClaimReview rows; loading the same reviews again stores nothing twice."""

    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        claim_index: ClaimIndex,
        default_claimant: str | None = None,
        batch_rows: int = REVIEW_BATCH_ROWS,
    ) -> None:
        self._session_factory = session_factory
        self._claims = ClaimBulkLoader(session_factory=session_factory, claim_index=claim_index)
        self._index = claim_index
        self._default_claimant = default_claimant
        self.batch_rows = batch_rows

    def _read(self, row: Row) -> ImportedReview | RowError:
        if row.data is None:
            return RowError(field=None, message=row.error or "unreadable row")
        try:
            return read_claim_review(row.data, default_claimant=self._default_claimant)
        except CrosscheckError as exc:
            return error_from(exc)

    def _claimants(self, reviews: Sequence[ImportedReview]) -> None:
        """Create new claimants as people or organisations, as the reviews describe them."""
        kinds = {review.claimant: review.claimant_kind for review in reviews}

        def create() -> None:
            with self._session_factory() as session:
                for name, kind in kinds.items():
                    source_service.get_or_create(session=session, name=name, kind=kind)
                session.commit()

        retry_when_busy(create)

    def _store_reviews(self, reviews: list[review_service.ReviewIn]) -> list[bool]:
        def store() -> list[bool]:
            with self._session_factory() as session:
                created = review_service.record(session=session, reviews=reviews)
                session.commit()
                return created

        try:
            return retry_when_busy(store)
        except IntegrityError:  # another loader stored the same review meanwhile: now it exists
            return retry_when_busy(store)

    def process(self, rows: Sequence[Row]) -> list[RowResult]:
        """Store each row's claim and rating; one result per row, in order."""
        read = [self._read(row) for row in rows]
        reviews = [
            (row, review)
            for row, review in zip(rows, read, strict=True)
            if isinstance(review, ImportedReview)
        ]
        if not reviews:
            return [
                RowResult(line=row.line, status=RowStatus.ERROR, error=error)
                for row, error in zip(rows, read, strict=True)
                if isinstance(error, RowError)
            ]
        self._claimants([review for _, review in reviews])
        claim_rows = [Row(row.line, row.raw, data=_claim_row(review)) for row, review in reviews]
        claim_results = {result.line: result for result in self._claims.process(claim_rows)}
        stored = [
            (row, review, claim_results[row.line])
            for row, review in reviews
            if claim_results[row.line].id is not None
        ]
        created = self._store_reviews(
            [
                review_service.ReviewIn(
                    claim_id=result.id,
                    reviewer=review.reviewer,
                    rating=review.rating,
                    url=review.url,
                    reviewed_at=review.reviewed_at,
                    headline=review.headline,
                )
                for _, review, result in stored
                if result.id is not None
            ]
        )
        new_review = {row.line: is_new for (row, _, _), is_new in zip(stored, created, strict=True)}
        results: list[RowResult] = []
        for row, outcome in zip(rows, read, strict=True):
            if isinstance(outcome, RowError):
                results.append(RowResult(line=row.line, status=RowStatus.ERROR, error=outcome))
                continue
            claim = claim_results[row.line]
            if claim.status is RowStatus.ERROR or claim.id is None:
                results.append(_renamed(claim))
                continue
            new = claim.status is RowStatus.CREATED or new_review[row.line]
            status = RowStatus.CREATED if new else RowStatus.EXISTS
            results.append(RowResult(line=row.line, status=status, id=claim.id))
        return results

    def run(self, rows: Iterable[Row], on_results: ResultsCallback | None = None) -> LoadTotals:
        return run_in_batches(
            self.process,
            rows,
            batch_rows=self.batch_rows,
            claim_index=self._index,
            on_results=on_results,
        )


def _claim_row(review: ImportedReview) -> dict[str, Any]:
    row: dict[str, Any] = {"text": review.claim_text, "source": review.claimant}
    if review.stated_at is not None:
        row["stated_at"] = review.stated_at.isoformat()
    if review.claim_url is not None:
        row["url"] = review.claim_url
    if review.headline is not None:
        row["title"] = review.headline
    return row


def _renamed(result: RowResult) -> RowResult:
    """A claim loader's rejection, naming the ClaimReview property rather than the claim field."""
    if result.error is None or result.error.field is None:
        return result
    head = result.error.field.split(".")[0]
    field = _PROPERTY_OF.get(head, result.error.field)
    return result.model_copy(update={"error": RowError(field=field, message=result.error.message)})
