"""The shape of a verification: a verdict, and evidence sorted by stance."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from crosscheck.claims.models import Claim
from crosscheck.claims.schemas import MAX_CLAIM_CHARS, ClaimText
from crosscheck.fields import RequestTime, StrictCount
from crosscheck.sources.schemas import SourceName, SourceRef
from crosscheck.stance.schemas import Stance, StanceJudgement
from crosscheck.timelines.rules import chronological_key


class Verdict(enum.StrEnum):
    CORROBORATED = "corroborated"
    CONTRADICTED = "contradicted"
    CONTESTED = "contested"
    UNVERIFIED = "unverified"


@dataclass(frozen=True)
class Evidence:
    """A stored claim near the verified one, how it stands towards it, and whether its source
    has since said something newer on the matter (then it no longer counts)."""

    claim: Claim
    similarity: float
    judgement: StanceJudgement
    superseded_by: Claim | None = None

    @property
    def stance(self) -> Stance:
        return self.judgement.stance

    @property
    def current(self) -> bool:
        return self.superseded_by is None


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    evidence: list[Evidence] = field(default_factory=list)
    as_of: datetime | None = None
    # Milliseconds per step (encode, search, fetch, judge), reported as a Server-Timing header.
    timings: dict[str, float] = field(default_factory=dict)

    def with_stance(self, stance: Stance) -> list[Evidence]:
        return [item for item in self.evidence if item.stance is stance]

    def counted(self, stance: Stance) -> list[Evidence]:
        """Evidence with this stance that counts: not superseded."""
        return [item for item in self.with_stance(stance) if item.current]

    def by_source(self) -> list[list[Evidence]]:
        """Every statement weighed, grouped by source (first seen first), oldest first."""
        groups: dict[int, list[Evidence]] = {}
        for item in self.evidence:
            groups.setdefault(item.claim.source_id, []).append(item)
        return [
            sorted(items, key=lambda item: chronological_key(item.claim))
            for items in groups.values()
        ]


MAX_TOP_K = 100


class VerifyRequest(BaseModel):
    """A statement to check, and which sources may count as evidence."""

    model_config = ConfigDict(extra="forbid")

    text: ClaimText = Field(
        examples=["North Korean soldiers are in Russia"],
        description=f"The statement to verify (at most {MAX_CLAIM_CHARS} characters)",
    )
    top_k: StrictCount | None = Field(
        default=None, ge=1, le=MAX_TOP_K, description="Nearest claims to weigh"
    )
    sources: Annotated[list[SourceName], Field(max_length=100)] | None = Field(
        default=None, description="Only claims by these sources (names or aliases)"
    )
    exclude_sources: Annotated[list[SourceName], Field(max_length=100)] | None = Field(
        default=None, description="Never claims by these sources (names or aliases)"
    )
    as_of: RequestTime | None = Field(
        default=None,
        examples=["2024-10-20T00:00:00Z"],
        description="Only what was known then: claims stated by this time (undated ones: stored "
        "by then); a zone-less time is UTC",
    )

    @field_validator("as_of")
    @classmethod
    def _in_utc(cls, as_of: datetime | None) -> datetime | None:
        return as_of_utc(as_of)


def as_of_utc(as_of: datetime | None) -> datetime | None:
    """``as_of`` with a zone: a time given without one is read as UTC."""
    if as_of is None or as_of.tzinfo is not None:
        return as_of
    return as_of.replace(tzinfo=UTC)


class EvidenceClaim(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    source: SourceRef
    stated_at: datetime | None = None
    url: str | None = None


class EvidenceRead(BaseModel):
    claim: EvidenceClaim
    stance: Stance
    similarity: float
    confidence: float
    reasons: list[str]
    superseded_by: int | None = Field(
        default=None,
        description="A newer statement by the same source on the matter: this one no longer "
        "counts towards the verdict",
    )


class TimelineStatementRead(BaseModel):
    """One statement in a source's timeline, and how it stands towards the verified text."""

    claim: EvidenceClaim
    stated_at: datetime | None
    similarity: float = Field(description="Cosine similarity to the verified text")
    stance: Stance
    current: bool
    superseded_by: int | None


class SourceTimelineRead(BaseModel):
    """A source's statements weighed by the verification, oldest first."""

    source: SourceRef
    statements: list[TimelineStatementRead]


class OriginSummary(BaseModel):
    """Independent origins on each side: a source counts once, however many outlets relay it."""

    corroborating_origins: int
    contradicting_origins: int
    corroborating_sources: list[SourceRef]
    contradicting_sources: list[SourceRef]
    verdict: Verdict


class VerificationRead(BaseModel):
    verdict: Verdict
    as_of: datetime | None = Field(description="The time the answer keeps to, if one was asked")
    summary: OriginSummary
    corroborating: list[EvidenceRead] = Field(
        description="Claims that support the statement; superseded ones last"
    )
    contradicting: list[EvidenceRead] = Field(
        description="Claims that oppose the statement; superseded ones last"
    )
    related: list[EvidenceRead] = Field(
        description="Claims that discuss the statement without taking a side"
    )
    timelines: list[SourceTimelineRead] = Field(
        description="Per source, its statements weighed here, oldest first: what it said, "
        "and what superseded it"
    )


def evidence_read(item: Evidence) -> EvidenceRead:
    return EvidenceRead(
        claim=EvidenceClaim.model_validate(item.claim),
        stance=item.stance,
        similarity=round(item.similarity, 4),
        confidence=item.judgement.confidence,
        reasons=item.judgement.reasons,
        superseded_by=item.superseded_by.id if item.superseded_by else None,
    )


def source_timeline_read(items: list[Evidence]) -> SourceTimelineRead:
    return SourceTimelineRead(
        source=SourceRef.model_validate(items[0].claim.source),
        statements=[
            TimelineStatementRead(
                claim=EvidenceClaim.model_validate(item.claim),
                stated_at=item.claim.stated_at,
                similarity=round(item.similarity, 4),
                stance=item.stance,
                current=item.current,
                superseded_by=item.superseded_by.id if item.superseded_by else None,
            )
            for item in items
        ],
    )


def verification_read(verification: Verification) -> VerificationRead:
    """The response form of a verification, evidence grouped by stance, best first."""

    def group(stance: Stance) -> list[EvidenceRead]:
        return [evidence_read(item) for item in verification.with_stance(stance)]

    def origins(stance: Stance) -> list[SourceRef]:
        seen: dict[int, SourceRef] = {}
        for item in verification.counted(stance):
            seen.setdefault(item.claim.source_id, SourceRef.model_validate(item.claim.source))
        return list(seen.values())

    corroborating, contradicting = origins(Stance.CORROBORATES), origins(Stance.CONTRADICTS)
    return VerificationRead(
        verdict=verification.verdict,
        as_of=verification.as_of,
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
        timelines=[source_timeline_read(items) for items in verification.by_source()],
    )
