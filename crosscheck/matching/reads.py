"""The response form of a search."""

from __future__ import annotations

from crosscheck.claims.schemas import ClaimRead
from crosscheck.matching.schemas import SearchHitRead, SearchQueryRead, SearchRead
from crosscheck.matching.service import SearchResult


def search_read(result: SearchResult) -> SearchRead:
    """Each match with its claim (reviews included) and its latest rating, best first."""
    items = []
    for found in result.hits:
        claim = ClaimRead.model_validate(found.claim)
        latest = max(
            claim.reviews,
            key=lambda review: (review.reviewed_at is not None, review.reviewed_at),
            default=None,
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
