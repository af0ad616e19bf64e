"""GraphQL object types, built from the domain's rows and results."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.orm import Session
from strawberry.scalars import JSON

from api.graphql.context import GraphQLInfo
from api.graphql.pagination import Connection, connection, page_request
from crosscheck.claims import service as claim_service
from crosscheck.claims.models import Claim
from crosscheck.claims.schemas import ClaimFilter, ClaimRead, ReviewRead
from crosscheck.sources.models import Source, SourceKind
from crosscheck.sources.schemas import SourceRef
from crosscheck.stance.schemas import Stance
from crosscheck.timelines.schemas import TimelineRead, timeline_read
from crosscheck.verdicts.claimreview import review_stored_claim
from crosscheck.verdicts.positions import Position
from crosscheck.verdicts.schemas import (
    EvidenceRead,
    EvidenceRequest,
    Verdict,
    Verification,
    VerificationRead,
    evidence_read,
)

SourceKindType = strawberry.enum(SourceKind, name="SourceKind")
StanceType = strawberry.enum(Stance, name="Stance")
VerdictType = strawberry.enum(Verdict, name="Verdict")
PositionType = strawberry.enum(
    Position,
    name="SourcePosition",
    description="Where a source stands now: one side, both (divided), or neither",
)


@strawberry.type(
    name="Source", description="Who asserts things: a government body, agency, outlet, person"
)
class SourceType:
    id: int
    name: str
    kind: SourceKindType  # type: ignore[valid-type]  # strawberry.enum returns the enum at runtime
    country: str | None
    aliases: list[str]
    created_at: datetime

    @strawberry.field(description="How many claims this source has asserted")
    async def claim_count(self, info: GraphQLInfo) -> int:
        return await info.context.source_claim_counts.load(self.id)

    @strawberry.field(description="The claims this source asserted, in id order")
    async def claims(
        self,
        info: GraphQLInfo,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        q: str | None = None,
    ) -> Connection[ClaimType]:
        settings = info.context.runtime.settings

        def fetch(session: Session) -> Connection[ClaimType]:
            page = claim_service.list_page(
                session=session,
                page=page_request(settings, first=first, after=after, last=last, before=before),
                claim_filter=ClaimFilter(source_ids=[self.id], q=q),
            )
            return connection(page, ClaimType.from_row)

        return await info.context.run(fetch)

    @classmethod
    def from_row(cls, source: Source) -> SourceType:
        return cls(
            id=source.id,
            name=source.name,
            kind=source.kind,
            country=source.country,
            aliases=source.alias_names,
            created_at=source.created_at,
        )


@strawberry.type(name="SourceRef", description="The short form of a source")
class SourceRefType:
    id: int
    name: str


@strawberry.type(name="Review", description="A fact-checker's published rating of a claim")
class ReviewType:
    reviewer: str
    rating: str = strawberry.field(description="In the fact-checker's words (alternateName)")
    url: str
    reviewed_at: datetime | None

    @classmethod
    def from_read(cls, review: ReviewRead) -> ReviewType:
        return cls(
            reviewer=review.reviewer,
            rating=review.rating,
            url=review.url,
            reviewed_at=review.reviewed_at,
        )


@strawberry.type(
    name="Claim", description="One statement, attributed to the source that asserted it"
)
class ClaimType:
    id: int
    text: str
    source: SourceRefType
    stated_at: datetime | None
    url: str | None
    title: str | None = strawberry.field(
        description="The headline it was published or fact-checked under"
    )
    external_id: str | None
    document_id: int | None
    polarity: str
    created_at: datetime
    reviews: list[ReviewType] = strawberry.field(
        description="Fact-checkers' ratings of this claim (imported ClaimReview)"
    )

    @strawberry.field(
        description="Stored claims that bear on this one (other sources unless asked)"
    )
    async def evidence(
        self,
        info: GraphQLInfo,
        stance: StanceType | None = None,  # type: ignore[valid-type]  # see StanceType
        top_k: int | None = None,
        include_same_source: bool = False,
        as_of: datetime | None = None,
    ) -> list[EvidenceType]:
        runtime = info.context.runtime

        def gather(session: Session) -> Verification:
            request = EvidenceRequest.model_validate(
                {"top_k": top_k, "include_same_source": include_same_source, "as_of": as_of}
            )
            return runtime.verifier.verify_stored_claim(
                session=session, claim_id=self.id, request=request
            )

        verification = await info.context.run(gather)
        return [
            EvidenceType.from_read(evidence_read(item, counted=verification.is_counted(item)))
            for item in verification.evidence
            if item.stance is not Stance.UNRELATED and (stance is None or item.stance == stance)
        ]

    @strawberry.field(
        description="What this claim's source said on the matter over time, oldest first "
        "(this claim included); the newest statement supersedes older ones"
    )
    async def timeline(self, info: GraphQLInfo, as_of: datetime | None = None) -> TimelineType:
        runtime = info.context.runtime
        timeline = await info.context.run(
            lambda session: runtime.verifier.timeline(
                session=session, claim_id=self.id, as_of=as_of
            )
        )
        return TimelineType.from_read(timeline_read(timeline))

    @strawberry.field(
        description="The current verdict as schema.org ClaimReview JSON-LD (a JSON object)"
    )
    async def claim_review(self, info: GraphQLInfo) -> JSON:
        runtime, reviewer = info.context.runtime, info.context.reviewer
        review = await info.context.run(
            lambda session: review_stored_claim(
                session=session, verifier=runtime.verifier, claim_id=self.id, reviewer=reviewer
            )
        )
        return JSON(review)

    @classmethod
    def from_row(cls, claim: Claim) -> ClaimType:
        return cls.from_read(ClaimRead.model_validate(claim))

    @classmethod
    def from_read(cls, claim: ClaimRead) -> ClaimType:
        return cls(
            id=claim.id,
            text=claim.text,
            source=SourceRefType(id=claim.source.id, name=claim.source.name),
            stated_at=claim.stated_at,
            url=claim.url,
            title=claim.title,
            external_id=claim.external_id,
            document_id=claim.document_id,
            polarity=claim.polarity,
            created_at=claim.created_at,
            reviews=[ReviewType.from_read(review) for review in claim.reviews],
        )


@strawberry.type(
    name="Evidence", description="A stored claim and how it stands towards the verified one"
)
class EvidenceType:
    claim: ClaimType
    stance: StanceType  # type: ignore[valid-type]  # strawberry.enum returns the enum at runtime
    similarity: float
    confidence: float
    reasons: list[str]
    superseded_by: int | None = strawberry.field(
        description="A newer statement by the same source on the matter: this one no longer "
        "counts towards the verdict"
    )
    current: bool = strawberry.field(description="Not superseded: it counts towards the verdict")
    counted: bool = strawberry.field(
        description="The statement its source is counted by in the summary: a source counts "
        "once, by its most confident current statement on its side"
    )

    @classmethod
    def from_read(cls, read: EvidenceRead) -> EvidenceType:
        return cls(
            claim=ClaimType.from_read(read.claim),
            stance=read.stance,
            similarity=read.similarity,
            confidence=read.confidence,
            reasons=read.reasons,
            superseded_by=read.superseded_by,
            current=read.current,
            counted=read.counted,
        )


@strawberry.type(
    name="TimelineStatement",
    description="A statement in a source's timeline: when, and whether a newer one replaced it",
)
class TimelineStatementType:
    claim: ClaimType
    stated_at: datetime | None
    similarity: float = strawberry.field(description="Cosine similarity to the claim asked about")
    current: bool
    superseded_by: int | None = strawberry.field(
        description="The newest statement that supersedes it"
    )


@strawberry.type(
    name="Timeline",
    description="A claim and its source's statements near it in meaning, oldest first",
)
class TimelineType:
    claim: ClaimType
    statements: list[TimelineStatementType]

    @classmethod
    def from_read(cls, read: TimelineRead) -> TimelineType:
        return cls(
            claim=ClaimType.from_read(read.claim),
            statements=[
                TimelineStatementType(
                    claim=ClaimType.from_read(statement.claim),
                    stated_at=statement.stated_at,
                    similarity=statement.similarity,
                    current=statement.current,
                    superseded_by=statement.superseded_by,
                )
                for statement in read.statements
            ],
        )


@strawberry.type(
    name="SourceTimeline",
    description="A source's statements weighed by a verification, oldest first",
)
class SourceTimelineType:
    source: SourceRefType
    position: PositionType  # type: ignore[valid-type]  # strawberry.enum returns the enum at runtime
    statements: list[EvidenceType]


@strawberry.type(
    name="OriginSummary",
    description="Independent origins on each side: a source counts once, however often relayed",
)
class OriginSummaryType:
    corroborating_origins: int
    contradicting_origins: int
    corroborating_sources: list[SourceRefType]
    contradicting_sources: list[SourceRefType]
    divided_sources: list[SourceRefType] = strawberry.field(
        description="Sources whose current statements disagree with each other: shown, not "
        "counted on either side"
    )
    verdict: VerdictType  # type: ignore[valid-type]  # strawberry.enum returns the enum at runtime


@strawberry.type(name="Notice", description="Something the reader must know besides the verdict")
class NoticeType:
    code: str = strawberry.field(
        description="unsupported_language or unsupported_evidence_language"
    )
    message: str
    field: str | None


@strawberry.type(name="Verification", description="A verdict and the evidence behind it")
class VerificationType:
    verdict: VerdictType  # type: ignore[valid-type]  # strawberry.enum returns the enum at runtime
    as_of: datetime | None
    language: str | None = strawberry.field(
        description="The claim's language (ISO 639-1) when the models do not read it"
    )
    notices: list[NoticeType]
    summary: OriginSummaryType
    corroborating: list[EvidenceType]
    contradicting: list[EvidenceType]
    related: list[EvidenceType]
    timelines: list[SourceTimelineType] = strawberry.field(
        description="Per source, its statements weighed here, oldest first"
    )

    @classmethod
    def from_read(cls, read: VerificationRead) -> VerificationType:
        summary = read.summary
        return cls(
            verdict=read.verdict,
            as_of=read.as_of,
            language=read.language,
            notices=[
                NoticeType(code=n.code, message=n.message, field=n.field) for n in read.notices
            ],
            summary=OriginSummaryType(
                corroborating_origins=summary.corroborating_origins,
                contradicting_origins=summary.contradicting_origins,
                corroborating_sources=_source_refs(summary.corroborating_sources),
                contradicting_sources=_source_refs(summary.contradicting_sources),
                divided_sources=_source_refs(summary.divided_sources),
                verdict=summary.verdict,
            ),
            corroborating=[EvidenceType.from_read(item) for item in read.corroborating],
            contradicting=[EvidenceType.from_read(item) for item in read.contradicting],
            related=[EvidenceType.from_read(item) for item in read.related],
            timelines=[
                SourceTimelineType(
                    source=SourceRefType(id=timeline.source.id, name=timeline.source.name),
                    position=timeline.position,
                    statements=[EvidenceType.from_read(item) for item in timeline.statements],
                )
                for timeline in read.timelines
            ],
        )


def _source_refs(sources: list[SourceRef]) -> list[SourceRefType]:
    return [SourceRefType(id=source.id, name=source.name) for source in sources]
