"""GraphQL: source queries and mutations."""

from __future__ import annotations

import strawberry
from sqlalchemy.orm import Session

from api.graphql.context import GraphQLInfo
from api.graphql.types import PageInfo, SourceConnection, SourceKindType, SourceType
from crosscheck.pagination import DEFAULT_LIMIT
from crosscheck.sources import service as source_service
from crosscheck.sources.schemas import SourceCreate


@strawberry.input(description="A new source")
class SourceInput:
    name: str
    kind: SourceKindType | None = None  # type: ignore[valid-type]  # strawberry.enum is the enum
    country: str | None = None
    aliases: list[str] | None = None


@strawberry.type
class SourceQuery:
    @strawberry.field(description="Sources in id order, filtered by kind, country or name fragment")
    async def sources(
        self,
        info: GraphQLInfo,
        first: int = DEFAULT_LIMIT,
        after: str | None = None,
        kind: SourceKindType | None = None,  # type: ignore[valid-type]  # see SourceInput
        country: str | None = None,
        q: str | None = None,
    ) -> SourceConnection:
        page = await info.context.run(
            lambda session: source_service.list_page(
                session=session, limit=first, cursor=after, kind=kind, country=country, q=q
            )
        )
        return SourceConnection(
            items=[SourceType.from_row(s) for s in page.items],
            total_count=page.total,
            page_info=PageInfo(
                end_cursor=page.next_cursor, has_next_page=page.next_cursor is not None
            ),
        )

    @strawberry.field(description="One source by id")
    async def source(self, info: GraphQLInfo, id: int) -> SourceType:  # GraphQL's own name
        row = await info.context.run(
            lambda session: source_service.get(session=session, source_id=id)
        )
        return SourceType.from_row(row)


@strawberry.type
class SourceMutation:
    @strawberry.mutation(description="Create a source; its name and aliases must be new")
    async def create_source(self, info: GraphQLInfo, input: SourceInput) -> SourceType:
        def create(session: Session) -> SourceType:
            source_in = SourceCreate.model_validate(
                {k: v for k, v in vars(input).items() if v is not None}
            )
            source = source_service.create(session=session, source_in=source_in)
            session.commit()
            return SourceType.from_row(source)

        return await info.context.run(create)
