"""The response form of a claim's timeline."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from crosscheck.claims.schemas import ClaimRead
from crosscheck.timelines.service import Timeline


class TimelineStatement(BaseModel):
    claim: ClaimRead
    stated_at: datetime | None
    similarity: float = Field(description="Cosine similarity to the claim asked about")
    current: bool = Field(description="No newer statement by the source supersedes it")
    superseded_by: int | None = Field(description="The newest statement that supersedes it")


class TimelineRead(BaseModel):
    """A claim, and its source's statements near it in meaning, oldest first (itself included)."""

    claim: ClaimRead
    statements: list[TimelineStatement]


def timeline_read(timeline: Timeline) -> TimelineRead:
    return TimelineRead(
        claim=ClaimRead.model_validate(timeline.claim),
        statements=[
            TimelineStatement(
                claim=ClaimRead.model_validate(entry.claim),
                stated_at=entry.claim.stated_at,
                similarity=round(entry.similarity, 4),
                current=entry.current,
                superseded_by=entry.superseded_by.id if entry.superseded_by else None,
            )
            for entry in timeline.entries
        ],
    )
