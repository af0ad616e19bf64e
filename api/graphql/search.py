"""GraphQL: has this been checked before? Stored claims ranked against a text."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.orm import Session

from api.graphql.context import GraphQLInfo
from api.graphql.types import ClaimType
from crosscheck.matching.reads import search_read
from crosscheck.matching.schemas import Retrieval, SearchHitRead, SearchRead, SearchRequest
from crosscheck.matching.service import search_claims

RetrievalType = strawberry.enum(
    Retrieval, name="Retrieval", description="Words and meaning fused, or one alone"
)


@strawberry.type(name="SearchHit", description="A stored claim that matches the text")
class SearchHitType:
    claim: ClaimType
    score: float = strawberry.field(description="Fused relevance: higher is better")
    similarity: float | None = strawberry.field(description="Cosine similarity of meaning")
    lexical_rank: int | None
    semantic_rank: int | None
    rating: str | None = strawberry.field(description="The latest fact-checker's rating, if any")

    @classmethod
    def from_read(cls, read: SearchHitRead) -> SearchHitType:
        return cls(
            claim=ClaimType.from_read(read.claim),
            score=read.score,
            similarity=read.similarity,
            lexical_rank=read.lexical_rank,
            semantic_rank=read.semantic_rank,
            rating=read.rating,
        )


@strawberry.type(name="SearchQuery", description="The text as sent, and what was matched")
class SearchQueryType:
    text: str
    normalized: str
    parts: list[str]


@strawberry.type(name="SearchResult", description="Matches, best first")
class SearchResultType:
    query: SearchQueryType
    retrieval: RetrievalType  # type: ignore[valid-type]  # strawberry.enum returns the enum
    items: list[SearchHitType]

    @classmethod
    def from_read(cls, read: SearchRead) -> SearchResultType:
        return cls(
            query=SearchQueryType(
                text=read.query.text, normalized=read.query.normalized, parts=read.query.parts
            ),
            retrieval=read.retrieval,
            items=[SearchHitType.from_read(item) for item in read.items],
        )


@strawberry.type
class SearchQuery:
    @strawberry.field(
        description="Has this been checked before? Stored claims that match a text (a post, a "
        "quote), best first, with their fact-checkers' ratings; no stance is judged"
    )
    async def search(
        self,
        info: GraphQLInfo,
        text: str,
        top_k: int = 10,
        retrieval: RetrievalType = Retrieval.HYBRID,  # type: ignore[valid-type]
        sources: list[str] | None = None,
        q: str | None = None,
        stated_from: datetime | None = None,
        stated_to: datetime | None = None,
    ) -> SearchResultType:
        runtime = info.context.runtime

        def find(session: Session) -> SearchResultType:
            request = SearchRequest.model_validate(
                {
                    "text": text,
                    "top_k": top_k,
                    "retrieval": retrieval,
                    "sources": sources,
                    "q": q,
                    "stated_from": stated_from,
                    "stated_to": stated_to,
                }
            )
            result = search_claims(
                session=session, claim_index=runtime.claim_index, request=request
            )
            return SearchResultType.from_read(search_read(result))

        return await info.context.run(find)
