"""GraphQL: verify a statement."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.orm import Session

from api.graphql.context import GraphQLInfo
from api.graphql.types import VerificationType
from crosscheck.verdicts import service as verdict_service
from crosscheck.verdicts.schemas import VerifyRequest


@strawberry.type
class VerifyQuery:
    @strawberry.field(
        description="Which stored claims corroborate or contradict a statement, and why"
    )
    async def verify(
        self,
        info: GraphQLInfo,
        text: str,
        top_k: int | None = None,
        sources: list[str] | None = None,
        exclude_sources: list[str] | None = None,
        as_of: datetime | None = None,
    ) -> VerificationType:
        runtime = info.context.runtime

        def check(session: Session) -> VerificationType:
            request = VerifyRequest.model_validate(
                {
                    "text": text,
                    "top_k": top_k,
                    "sources": sources,
                    "exclude_sources": exclude_sources,
                    "as_of": as_of,
                }
            )
            verification = verdict_service.verify_text(
                session=session,
                claim_index=runtime.claim_index,
                judge=runtime.judge,
                request=request,
                default_top_k=runtime.settings.default_top_k,
                timeline_similarity=runtime.settings.timeline_similarity,
            )
            return VerificationType.from_result(verification)

        return await info.context.run(check)
