"""Request and response models for claim matching (search)."""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, Strict

from crosscheck.claims.schemas import MAX_CLAIM_CHARS, ClaimFilter, ClaimRead, ClaimText

MAX_SEARCH_K = 100


class Retrieval(enum.StrEnum):
    """How stored claims are found: both signals fused (the default), or one alone."""

    HYBRID = "hybrid"
    LEXICAL = "lexical"
    SEMANTIC = "semantic"


class SearchRequest(ClaimFilter):
    """A text (a post, a claim, a quote) and which stored claims may match it."""

    model_config = ConfigDict(extra="forbid")

    text: ClaimText = Field(
        examples=["At least 3,000 North Korean soldiers are in eastern Russia, US says"],
        description=f"What to match, as pasted (at most {MAX_CLAIM_CHARS} characters)",
    )
    top_k: Annotated[int, Strict(), Field(ge=1, le=MAX_SEARCH_K)] = Field(
        default=10, description="How many matches to return"
    )
    retrieval: Retrieval = Field(
        default=Retrieval.HYBRID,
        description="hybrid: words and meaning fused by reciprocal rank; lexical: words only "
        "(BM25); semantic: meaning only (vector search)",
    )

    def claim_filter(self) -> ClaimFilter:
        return ClaimFilter.model_validate(self.model_dump(include=set(ClaimFilter.model_fields)))


class SearchHitRead(BaseModel):
    claim: ClaimRead
    score: float = Field(
        description="Fused relevance: higher is better (comparable within one answer)"
    )
    similarity: float | None = Field(
        description="Cosine similarity of meaning to the text (none under lexical retrieval)"
    )
    lexical_rank: int | None = Field(description="Rank among the word matches, if among them")
    semantic_rank: int | None = Field(
        description="Rank among the nearest in meaning, if among them"
    )
    rating: str | None = Field(
        description="The latest fact-checker's rating of the claim (imported ClaimReview), if any"
    )


class SearchQueryRead(BaseModel):
    text: str = Field(description="The text as sent")
    normalized: str = Field(
        description="What was matched: links, handles, hashtags and signatures made into words"
    )
    parts: list[str] = Field(description="The whole text and, for a long post, its sentences")


class SearchRead(BaseModel):
    query: SearchQueryRead
    retrieval: Retrieval
    items: list[SearchHitRead]
