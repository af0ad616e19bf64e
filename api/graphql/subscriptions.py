"""GraphQL subscriptions (over WebSocket, graphql-transport-ws): claims as they are stored,
and new evidence for a watched claim."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from functools import partial

import strawberry
from sqlalchemy.orm import Session

from api.graphql.context import GraphQLInfo, to_graphql_error
from api.graphql.types import ClaimType, EvidenceType
from crosscheck.claims.schemas import ClaimFilter, ClaimRead
from crosscheck.feeds.exceptions import SubscriberTooSlowError
from crosscheck.feeds.service import claim_matcher
from crosscheck.verdicts.schemas import evidence_read
from crosscheck.verdicts.watch import judge_arrival, watch_claim


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
        with info.context.subscription_slot():
            async with info.context.runtime.claim_feed.subscribe(matcher.matches) as claims:
                try:
                    async for claim in claims:
                        yield ClaimType.from_read(claim)
                except SubscriberTooSlowError as exc:
                    raise to_graphql_error(exc) from exc

    @strawberry.subscription(
        description=(
            "New evidence for a stored claim: each claim stored from now on that bears on it "
            "(from other sources unless asked), judged as it arrives"
        )
    )
    async def evidence_added(
        self, info: GraphQLInfo, claim_id: int, include_same_source: bool = False
    ) -> AsyncGenerator[EvidenceType, None]:
        runtime = info.context.runtime
        watch = await info.context.run(
            lambda session: watch_claim(
                session=session,
                claim_index=runtime.claim_index,
                claim_id=claim_id,
                include_same_source=include_same_source,
            )
        )

        def evidence_for(session: Session, arrival: ClaimRead) -> EvidenceType | None:
            evidence = judge_arrival(
                session=session,
                claim_index=runtime.claim_index,
                judge=runtime.judge,
                watch=watch,
                arrival=arrival,
                related_threshold=runtime.settings.related_threshold,
                shared=runtime.shared_arrivals,
            )
            return EvidenceType.from_read(evidence_read(evidence)) if evidence is not None else None

        with info.context.subscription_slot():
            async with runtime.claim_feed.subscribe(watch.considers) as arrivals:
                try:
                    async for arrival in arrivals:
                        found = await info.context.run(partial(evidence_for, arrival=arrival))
                        if found is not None:
                            yield found
                except SubscriberTooSlowError as exc:
                    raise to_graphql_error(exc) from exc
