"""GraphQL: claim queries and mutations."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.orm import Session

from api.graphql.context import GraphQLInfo
from api.graphql.pagination import Connection, connection, page_request
from api.graphql.types import ClaimType
from crosscheck.claims import service as claim_service
from crosscheck.claims.schemas import ClaimCreate, ClaimFilter
from crosscheck.indexing.registry import forget_claim, record_claim


@strawberry.input(description="A statement and who asserted it: `source` (a name) or `sourceId`")
class ClaimInput:
    text: str
    source: str | None = None
    source_id: int | None = None
    stated_at: datetime | None = None
    url: str | None = None
    title: str | None = strawberry.field(
        default=None, description="The headline it was published or fact-checked under"
    )
    external_id: str | None = None


@strawberry.type(description="A stored claim, and whether this call stored it")
class CreateClaimPayload:
    claim: ClaimType
    created: bool


@strawberry.type
class ClaimQuery:
    @strawberry.field(
        description="Claims in id order, filtered by source, text and stated-at range"
    )
    async def claims(
        self,
        info: GraphQLInfo,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        sources: list[str] | None = None,
        q: str | None = None,
        stated_from: datetime | None = None,
        stated_to: datetime | None = None,
    ) -> Connection[ClaimType]:
        settings = info.context.runtime.settings

        def fetch(session: Session) -> Connection[ClaimType]:
            claim_filter = ClaimFilter(
                sources=sources, q=q, stated_from=stated_from, stated_to=stated_to
            )
            page = claim_service.list_page(
                session=session,
                page=page_request(settings, first=first, after=after, last=last, before=before),
                claim_filter=claim_filter,
            )
            return connection(page, ClaimType.from_row)

        return await info.context.run(fetch)

    @strawberry.field(description="One claim by id")
    async def claim(self, info: GraphQLInfo, id: int) -> ClaimType:  # GraphQL's own name
        row = await info.context.run(
            lambda session: claim_service.get(session=session, claim_id=id)
        )
        return ClaimType.from_row(row)


@strawberry.type
class ClaimMutation:
    @strawberry.mutation(
        description="Store a claim; an identical one from the same source is returned"
    )
    async def create_claim(self, info: GraphQLInfo, input: ClaimInput) -> CreateClaimPayload:
        runtime = info.context.runtime

        def create(session: Session) -> CreateClaimPayload:
            claim_in = ClaimCreate.model_validate(
                {k: v for k, v in vars(input).items() if v is not None}
            )
            stored = record_claim(
                session=session, claim_index=runtime.claim_index, claim_in=claim_in
            )
            return CreateClaimPayload(
                claim=ClaimType.from_row(stored.claim), created=stored.created
            )

        return await info.context.run(create)

    @strawberry.mutation(description="Delete a claim; returns its id")
    async def delete_claim(self, info: GraphQLInfo, id: int) -> int:  # GraphQL's own name
        runtime = info.context.runtime
        claim = await info.context.run(
            lambda session: forget_claim(
                session=session, claim_index=runtime.claim_index, claim_id=id
            )
        )
        return claim.id
