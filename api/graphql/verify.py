"""GraphQL: verify a statement."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.orm import Session

from api.graphql.context import GraphQLInfo
from api.graphql.types import VerificationType
from crosscheck.verdicts.schemas import VerifyRequest, verification_read


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
            verification = runtime.verifier.verify_text(session=session, request=request)
            return VerificationType.from_read(verification_read(verification))

        return await info.context.run(check)
