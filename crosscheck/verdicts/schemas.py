"""The shape of a verification: a verdict, and evidence sorted by stance."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict, field_validator

from crosscheck.claims.schemas import MAX_CLAIM_CHARS, ClaimRead, ClaimText
from crosscheck.fields import RequestTime
from crosscheck.sources.schemas import SourceName, SourceRef
from crosscheck.stance.schemas import Stance
from crosscheck.timelines.rules import chronological_key
from crosscheck.verdicts.evidence import Evidence
from crosscheck.verdicts.positions import Position, SourcePosition


class Verdict(enum.StrEnum):
    CORROBORATED = "corroborated"
    CONTRADICTED = "contradicted"
    CONTESTED = "contested"
    UNVERIFIED = "unverified"


@dataclass(frozen=True)
class Notice:
    """Something the answer must say besides its verdict (a language the models do not read)."""

    code: str
    message: str
    field: str | None = None


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    evidence: list[Evidence] = field(default_factory=list)
    as_of: datetime | None = None
    # Where each source stands (a source counts once), by source id.
    positions: dict[int, SourcePosition] = field(default_factory=dict)
    # The claim's language when the models do not read it; notices for the reader.
    language: str | None = None
    notices: list[Notice] = field(default_factory=list)
    # Milliseconds per step (encode, search, fetch, judge), reported as a Server-Timing header.
    timings: dict[str, float] = field(default_factory=dict)

    def with_stance(self, stance: Stance) -> list[Evidence]:
        return [item for item in self.evidence if item.stance is stance]

    def counted(self, stance: Stance) -> list[Evidence]:
        """The statements that count on this side: one per source that takes it."""
        return [item for item in self.with_stance(stance) if self.is_counted(item)]

    def is_counted(self, item: Evidence) -> bool:
        position = self.positions.get(item.claim.source_id)
        return position is not None and position.counted_claim_id == item.claim.id

    def position_of(self, source_id: int) -> Position:
        position = self.positions.get(source_id)
        return position.position if position is not None else Position.NONE

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


TopK = Annotated[int, Field(ge=1, le=MAX_TOP_K, description="Nearest claims to weigh")]


class EvidenceRequest(BaseModel):
    """How to gather the evidence for a stored claim."""

    top_k: TopK | None = None
    include_same_source: bool = Field(
        default=False, description="Also weigh the claim's own source's other statements"
    )
    as_of: RequestTime | None = Field(
        default=None, description="Only claims stated (undated: stored) by then"
    )

    @field_validator("as_of")
    @classmethod
    def _in_utc(cls, as_of: datetime | None) -> datetime | None:
        return as_of_utc(as_of)


class VerifyRequest(BaseModel):
    """A statement to check, and which sources may count as evidence."""

    model_config = ConfigDict(extra="forbid")

    text: ClaimText = Field(
        examples=["North Korean soldiers are in Russia"],
        description=f"The statement to verify (at most {MAX_CLAIM_CHARS} characters)",
    )
    # A JSON integer in a body (never "5", 5.0 or true); a query string converts.
    top_k: Annotated[TopK, Strict()] | None = None
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


class EvidenceClaim(ClaimRead):
    """A stored claim weighed as evidence: the claim as ``GET /v1/claims/{id}`` reads it."""


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
    current: bool = Field(default=True, description="Not superseded: it counts towards the verdict")
    counted: bool = Field(
        default=False,
        description="The statement its source is counted by in the summary: a source counts "
        "once, by its most confident current statement on its side; its others are listed, "
        "not counted",
    )


class TimelineStatementRead(EvidenceRead):
    """One statement in a source's timeline, and how it stands towards the verified text."""

    stated_at: datetime | None


class SourceTimelineRead(BaseModel):
    """A source's statements weighed by the verification, oldest first."""

    source: SourceRef
    position: Position = Field(
        description="Where the source stands now: corroborates, contradicts, divided (its "
        "current statements take both sides), or none (none takes a side)"
    )
    statements: list[TimelineStatementRead]


class OriginSummary(BaseModel):
    """Independent origins on each side: a source counts once, however many outlets relay it
    and however many of its statements agree; a divided source counts on neither side."""

    corroborating_origins: int
    contradicting_origins: int
    corroborating_sources: list[SourceRef]
    contradicting_sources: list[SourceRef]
    divided_sources: list[SourceRef] = Field(
        description="Sources whose current statements disagree with each other: shown, not "
        "counted on either side"
    )
    verdict: Verdict


class NoticeRead(BaseModel):
    """Something the reader must know besides the verdict."""

    code: str = Field(
        description="unsupported_language: the claim is in a language the models do not read; "
        "unsupported_evidence_language: nearby statements in such languages were not weighed"
    )
    message: str
    field: str | None = Field(default=None, description="The request field it concerns")


class VerificationRead(BaseModel):
    verdict: Verdict
    as_of: datetime | None = Field(description="The time the answer keeps to, if one was asked")
    language: str | None = Field(
        default=None,
        description="The claim's language (ISO 639-1) when it is one the models do not read; "
        "the verdict is then unverified and a notice says why",
    )
    notices: list[NoticeRead] = Field(default_factory=list)
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


def _evidence_fields(item: Evidence, *, counted: bool) -> dict[str, Any]:
    return {
        "claim": EvidenceClaim.model_validate(item.claim),
        "stance": item.stance,
        "similarity": round(item.similarity, 4),
        "confidence": item.judgement.confidence,
        "reasons": item.judgement.reasons,
        "superseded_by": item.superseded_by.id if item.superseded_by else None,
        "current": item.current,
        "counted": counted,
    }


def evidence_read(item: Evidence, *, counted: bool = False) -> EvidenceRead:
    return EvidenceRead(**_evidence_fields(item, counted=counted))


def source_timeline_read(verification: Verification, items: list[Evidence]) -> SourceTimelineRead:
    return SourceTimelineRead(
        source=SourceRef.model_validate(items[0].claim.source),
        position=verification.position_of(items[0].claim.source_id),
        statements=[
            TimelineStatementRead(
                **_evidence_fields(item, counted=verification.is_counted(item)),
                stated_at=item.claim.stated_at,
            )
            for item in items
        ],
    )


def verification_read(verification: Verification) -> VerificationRead:
    """The response form of a verification, evidence grouped by stance, best first."""

    def group(stance: Stance) -> list[EvidenceRead]:
        return [
            evidence_read(item, counted=verification.is_counted(item))
            for item in verification.with_stance(stance)
        ]

    def sources(position: Position) -> list[SourceRef]:
        seen: dict[int, SourceRef] = {}
        for item in verification.evidence:
            if verification.position_of(item.claim.source_id) is position:
                seen.setdefault(item.claim.source_id, SourceRef.model_validate(item.claim.source))
        return list(seen.values())

    corroborating = sources(Position.CORROBORATES)
    contradicting = sources(Position.CONTRADICTS)
    return VerificationRead(
        verdict=verification.verdict,
        as_of=verification.as_of,
        language=verification.language,
        notices=[
            NoticeRead(code=n.code, message=n.message, field=n.field) for n in verification.notices
        ],
        summary=OriginSummary(
            corroborating_origins=len(corroborating),
            contradicting_origins=len(contradicting),
            corroborating_sources=corroborating,
            contradicting_sources=contradicting,
            divided_sources=sources(Position.DIVIDED),
            verdict=verification.verdict,
        ),
        corroborating=group(Stance.CORROBORATES),
        contradicting=group(Stance.CONTRADICTS),
        related=group(Stance.DISCUSSES),
        timelines=[source_timeline_read(verification, items) for items in verification.by_source()],
    )
