"""The response form of a search."""

from __future__ import annotations

from datetime import UTC, datetime

from crosscheck.claims.schemas import ClaimRead
from crosscheck.matching.schemas import SearchHitRead, SearchQueryRead, SearchRead
from crosscheck.matching.service import SearchResult

_NEVER = datetime.min.replace(tzinfo=UTC)


def search_read(result: SearchResult) -> SearchRead:
    """Each match with its claim (reviews included) and its latest rating, best first."""
    items = []
    for found in result.hits:
        claim = ClaimRead.model_validate(found.claim)
        dated = [review for review in claim.reviews if review.reviewed_at is not None]
        latest = (
            max(dated, key=lambda review: review.reviewed_at or _NEVER)
            if dated
            else (claim.reviews[-1] if claim.reviews else None)
        )
        items.append(
            SearchHitRead(
                claim=claim,
                score=round(found.ranked.score, 6),
                similarity=found.similarity,
                lexical_rank=found.ranked.lexical_rank,
                semantic_rank=found.ranked.semantic_rank,
                rating=latest.rating if latest is not None else None,
            )
        )
    return SearchRead(
        query=SearchQueryRead(text=result.text, normalized=result.normalized, parts=result.parts),
        retrieval=result.retrieval,
        items=items,
    )
