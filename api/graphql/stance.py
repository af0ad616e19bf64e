"""GraphQL: the stance of one piece of evidence towards one claim."""

from __future__ import annotations

import strawberry
from sqlalchemy.orm import Session

from api.graphql.context import GraphQLInfo
from api.graphql.types import StanceType
from crosscheck.stance.schemas import StanceJudgement, StanceRequest


@strawberry.type(name="EvidenceSpan", description="Character offsets of a sentence in the evidence")
class EvidenceSpanType:
    start: int
    end: int
    text: str


@strawberry.type(
    name="StanceResult", description="How the evidence stands towards the claim, and why"
)
class StanceResultType:
    label: StanceType  # type: ignore[valid-type]  # strawberry.enum returns the enum at runtime
    confidence: float
    reasons: list[str]
    evidence_spans: list[EvidenceSpanType]

    @classmethod
    def from_judgement(cls, judgement: StanceJudgement) -> StanceResultType:
        return cls(
            label=judgement.stance,
            confidence=judgement.confidence,
            reasons=judgement.reasons,
            evidence_spans=[
                EvidenceSpanType(start=s.start, end=s.end, text=s.text) for s in judgement.spans
            ],
        )


@strawberry.type
class StanceQuery:
    @strawberry.field(
        description="Does the evidence corroborate, contradict, discuss or not bear on the claim"
    )
    async def stance(self, info: GraphQLInfo, claim: str, evidence: str) -> StanceResultType:
        runtime = info.context.runtime

        def judge(_session: Session) -> StanceResultType:
            request = StanceRequest(claim=claim, evidence=evidence)
            judgement = runtime.judge.judge(claim=request.claim, evidence=request.evidence)
            return StanceResultType.from_judgement(judgement)

        return await info.context.run(judge)
