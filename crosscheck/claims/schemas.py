"""Request and response models for claims."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from crosscheck.claims.models import MAX_CLAIM_TITLE_CHARS
from crosscheck.database import DatabaseId
from crosscheck.fields import NotBlank, Printable, RequestTime, StrictId
from crosscheck.pagination import Page
from crosscheck.sources.schemas import SourceName, SourceRef
from crosscheck.textnorm import clean_text, visible_text

MAX_CLAIM_CHARS = 5_000

SearchText = Annotated[str, StringConstraints(min_length=1, max_length=500), NotBlank, Printable]
ClaimText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_CLAIM_CHARS), NotBlank]
ClaimTitle = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_CLAIM_TITLE_CHARS), NotBlank, Printable
]


class ClaimCreate(BaseModel):
    """A statement and who asserted it: ``source`` by name (created if new) or ``source_id``."""

    model_config = ConfigDict(extra="forbid")

    text: ClaimText = Field(
        examples=["At least 3,000 North Korean soldiers are in eastern Russia."]
    )
    source: SourceName | None = Field(default=None, examples=["US National Security Council"])
    source_id: StrictId | None = None
    stated_at: RequestTime | None = None
    url: AnyHttpUrl | None = Field(default=None, max_length=2000)
    title: ClaimTitle | None = Field(
        default=None,
        description="The headline the claim was published or fact-checked under; search "
        "matches its words as well as the claim's",
        examples=["Are 3,000 North Korean soldiers in Russia?"],
    )
    external_id: (
        Annotated[str, StringConstraints(min_length=1, max_length=200), NotBlank, Printable] | None
    ) = None

    @field_validator("text", "title")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return None if value is None else visible_text(clean_text(value))

    @model_validator(mode="after")
    def _one_source(self) -> ClaimCreate:
        if (self.source is None) == (self.source_id is None):
            raise ValueError("give exactly one of `source` (a name) or `source_id`")
        return self


class ClaimFilter(BaseModel):
    """Which claims a listing returns: by source (names, aliases or ids), text, stated-at range."""

    sources: Annotated[list[SourceName], Field(max_length=50)] | None = None
    source_ids: Annotated[list[DatabaseId], Field(max_length=50)] | None = None
    q: SearchText | None = Field(default=None, description="Text fragment, any case")
    stated_from: RequestTime | None = None
    stated_to: RequestTime | None = None

    @field_validator("stated_to")
    @classmethod
    def _after_stated_from(
        cls, stated_to: datetime | None, info: ValidationInfo
    ) -> datetime | None:
        stated_from = info.data.get("stated_from")
        if stated_to is not None and stated_from is not None and stated_to < stated_from:
            raise ValueError("stated_to is before stated_from")
        return stated_to


class ReviewRead(BaseModel):
    """A fact-checker's rating of a claim, as it published it."""

    model_config = ConfigDict(from_attributes=True)

    reviewer: str = Field(description="The fact-checking organisation")
    rating: str = Field(description="Its rating in its own words (ClaimReview alternateName)")
    url: str = Field(description="Where the review is published")
    reviewed_at: datetime | None


class ClaimRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    source: SourceRef
    stated_at: datetime | None
    url: str | None
    title: str | None = Field(
        default=None, description="The headline it was published or fact-checked under"
    )
    external_id: str | None
    document_id: int | None = Field(description="The first document the claim was taken from")
    polarity: str = Field(description="asserts, or denies: the source rejects the statement")
    created_at: datetime
    reviews: list[ReviewRead] = Field(
        default_factory=list, description="Fact-checkers' ratings of this claim (ClaimReview)"
    )


ClaimPage = Page[ClaimRead]
