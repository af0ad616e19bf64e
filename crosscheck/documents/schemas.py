"""Request and response models for documents and the claims found in them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from crosscheck.claims.schemas import ClaimRead
from crosscheck.fields import NotBlank, Printable, RequestTime, Trimmed
from crosscheck.pagination import Page
from crosscheck.sources.schemas import SourceName, SourceRef

MAX_DOCUMENT_CHARS = 200_000
_CONTROL = {chr(c) for c in range(32)} - {"\n", "\r", "\t", "\f"}


class DocumentCreate(BaseModel):
    """An article or release to store and read claims from."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, StringConstraints(min_length=1, max_length=MAX_DOCUMENT_CHARS), NotBlank]
    publisher: SourceName = Field(examples=["Business Standard"])
    title: Annotated[str, StringConstraints(max_length=500), Trimmed, Printable] | None = None
    url: AnyHttpUrl | None = Field(default=None, max_length=2000)
    published_at: RequestTime | None = None

    @field_validator("text")
    @classmethod
    def _readable(cls, text: str) -> str:
        control = sum(1 for ch in text if ch in _CONTROL)
        if "\x00" in text or control > max(3, len(text) // 100) or "\ufffd" in text[:2000]:
            raise ValueError("looks like binary data or a wrongly decoded file, not text")
        return text


class AppearanceRead(BaseModel):
    """A claim where it appears in a document: span, quote, speaker, relaying outlets."""

    claim: ClaimRead
    start: int
    end: int
    quote: str = Field(description="The document's own words at this span")
    speaker: str | None = Field(description="The person who spoke for the source, if any")
    relayed_by: list[str] = Field(description="Outlets that relayed the statement, origin first")
    attributed: bool = Field(
        description="False when no speaker could be named and the publisher stands in for one"
    )
    cue: str | None = Field(
        description="What the attribution rests on: speech verb, according to, document, "
        "relayed, reference, quote continues, narration (the publisher's own reporting) or "
        "unattributed; null for claims stored before cues were recorded"
    )
    confidence: float | None = Field(
        description="How often attributions on this cue were right on articles set aside for "
        "measuring (0 for unattributed)"
    )


class DocumentSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str | None
    url: str | None
    published_at: datetime | None
    publisher: SourceRef | None
    created_at: datetime
    claim_count: int


class DocumentRead(DocumentSummary):
    text: str
    claims: list[AppearanceRead]
    unattributed: list[AppearanceRead] = Field(
        description="The claims above whose speaker could not be named: stored under the "
        "source '<publisher> (speaker not named)', not as the publisher's words"
    )


DocumentPage = Page[DocumentSummary]
