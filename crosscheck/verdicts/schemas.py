"""The shape of a verification: a verdict, and evidence sorted by stance."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from crosscheck.claims.models import Claim
from crosscheck.claims.schemas import MAX_CLAIM_CHARS, ClaimText
from crosscheck.sources.schemas import SourceName, SourceRef
from crosscheck.stance.schemas import Stance, StanceJudgement


class Verdict(enum.StrEnum):
    CORROBORATED = "corroborated"
    CONTRADICTED = "contradicted"
    CONTESTED = "contested"
    UNVERIFIED = "unverified"


@dataclass(frozen=True)
class Evidence:
    """A stored claim near the verified one, and how it stands towards it."""

    claim: Claim
    similarity: float
    judgement: StanceJudgement

    @property
    def stance(self) -> Stance:
        return self.judgement.stance


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    evidence: list[Evidence] = field(default_factory=list)
    # Milliseconds per step (encode, search, fetch, judge), reported as a Server-Timing header.
    timings: dict[str, float] = field(default_factory=dict)

    def with_stance(self, stance: Stance) -> list[Evidence]:
        return [item for item in self.evidence if item.stance is stance]


MAX_TOP_K = 100


class VerifyRequest(BaseModel):
    """A statement to check, and which sources may count as evidence."""

    model_config = ConfigDict(extra="forbid")

    text: ClaimText = Field(
        examples=["North Korean soldiers are in Russia"],
        description=f"The statement to verify (at most {MAX_CLAIM_CHARS} characters)",
    )
    top_k: int | None = Field(
        default=None, ge=1, le=MAX_TOP_K, description="Nearest claims to weigh"
    )
    sources: Annotated[list[SourceName], Field(max_length=100)] | None = Field(
        default=None, description="Only claims by these sources (names or aliases)"
    )
    exclude_sources: Annotated[list[SourceName], Field(max_length=100)] | None = Field(
        default=None, description="Never claims by these sources (names or aliases)"
    )


class EvidenceClaim(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    source: SourceRef
    stated_at: datetime | None = None


class EvidenceRead(BaseModel):
    claim: EvidenceClaim
    stance: Stance
    similarity: float
    confidence: float
    reasons: list[str]


class OriginSummary(BaseModel):
    """Independent origins on each side: a source counts once, however many outlets relay it."""

    corroborating_origins: int
    contradicting_origins: int
    corroborating_sources: list[SourceRef]
    contradicting_sources: list[SourceRef]
    verdict: Verdict


class VerificationRead(BaseModel):
    verdict: Verdict
    summary: OriginSummary
    corroborating: list[EvidenceRead]
    contradicting: list[EvidenceRead]
    related: list[EvidenceRead] = Field(
        description="Claims that discuss the statement without taking a side"
    )


def evidence_read(item: Evidence) -> EvidenceRead:
    return EvidenceRead(
        claim=EvidenceClaim.model_validate(item.claim),
        stance=item.stance,
        similarity=round(item.similarity, 4),
        confidence=item.judgement.confidence,
        reasons=item.judgement.reasons,
    )


def verification_read(verification: Verification) -> VerificationRead:
    """The response form of a verification, evidence grouped by stance, best first."""

    def group(stance: Stance) -> list[EvidenceRead]:
        return [evidence_read(item) for item in verification.with_stance(stance)]

    def origins(stance: Stance) -> list[SourceRef]:
        seen: dict[int, SourceRef] = {}
        for item in verification.with_stance(stance):
            seen.setdefault(item.claim.source_id, SourceRef.model_validate(item.claim.source))
        return list(seen.values())

    corroborating, contradicting = origins(Stance.CORROBORATES), origins(Stance.CONTRADICTS)
    return VerificationRead(
        verdict=verification.verdict,
        summary=OriginSummary(
            corroborating_origins=len(corroborating),
            contradicting_origins=len(contradicting),
            corroborating_sources=corroborating,
            contradicting_sources=contradicting,
            verdict=verification.verdict,
        ),
        corroborating=group(Stance.CORROBORATES),
        contradicting=group(Stance.CONTRADICTS),
        related=group(Stance.DISCUSSES),
    )
