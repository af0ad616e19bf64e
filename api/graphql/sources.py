"""GraphQL: source queries and mutations."""

from __future__ import annotations

import strawberry
from sqlalchemy.orm import Session

from api.graphql.context import GraphQLInfo
from api.graphql.pagination import Connection, connection, page_request
from api.graphql.types import SourceKindType, SourceType
from crosscheck.sources import service as source_service
from crosscheck.sources.schemas import SourceCreate, SourceFilter


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
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        kind: SourceKindType | None = None,  # type: ignore[valid-type]  # see SourceInput
        country: str | None = None,
        q: str | None = None,
    ) -> Connection[SourceType]:
        settings = info.context.runtime.settings

        def fetch(session: Session) -> Connection[SourceType]:
            source_filter = SourceFilter(country=country, q=q)  # the lengths REST allows
            page = source_service.list_page(
                session=session,
                page=page_request(settings, first=first, after=after, last=last, before=before),
                kind=kind,
                country=source_filter.country,
                q=source_filter.q,
            )
            return connection(page, SourceType.from_row)

        return await info.context.run(fetch)

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
