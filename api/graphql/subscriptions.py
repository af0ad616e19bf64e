"""GraphQL subscriptions (over WebSocket, graphql-transport-ws): claims as they are stored."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from api.graphql.context import GraphQLInfo, to_graphql_error
from api.graphql.types import ClaimType
from crosscheck.claims.schemas import ClaimFilter
from crosscheck.feeds.exceptions import SubscriberTooSlowError
from crosscheck.feeds.service import claim_matcher


@strawberry.type
class ClaimSubscription:
    @strawberry.subscription(
        description=(
            "Claims stored from now on (by any API, bulk load, document or another process) "
            "that match the filter, as in `claims`; ends with SUBSCRIBER_TOO_SLOW if the client "
            "falls too far behind"
        )
    )
    async def claim_added(
        self,
        info: GraphQLInfo,
        sources: list[str] | None = None,
        q: str | None = None,
        stated_from: datetime | None = None,
        stated_to: datetime | None = None,
    ) -> AsyncGenerator[ClaimType, None]:
        matcher = await info.context.run(
            lambda session: claim_matcher(
                session=session,
                claim_filter=ClaimFilter(
                    sources=sources, q=q, stated_from=stated_from, stated_to=stated_to
                ),
            )
        )
        async with info.context.runtime.claim_feed.subscribe(matcher) as claims:
            try:
                async for claim in claims:
                    yield ClaimType.from_read(claim)
            except SubscriberTooSlowError as exc:
                raise to_graphql_error(exc) from exc
