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
    field_validator,
    model_validator,
)

from crosscheck.database import DatabaseId
from crosscheck.pagination import Page
from crosscheck.sources.schemas import SourceName, SourceRef
from crosscheck.textnorm import clean_text

MAX_CLAIM_CHARS = 5_000

ClaimText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_CLAIM_CHARS)
]


class ClaimCreate(BaseModel):
    """A statement and who asserted it: ``source`` by name (created if new) or ``source_id``."""

    model_config = ConfigDict(extra="forbid")

    text: ClaimText = Field(
        examples=["At least 3,000 North Korean soldiers are in eastern Russia."]
    )
    source: SourceName | None = Field(default=None, examples=["US National Security Council"])
    source_id: DatabaseId | None = None
    stated_at: datetime | None = None
    url: AnyHttpUrl | None = Field(default=None, max_length=2000)
    external_id: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
        | None
    ) = None

    @field_validator("text")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean_text(value)

    @model_validator(mode="after")
    def _one_source(self) -> ClaimCreate:
        if (self.source is None) == (self.source_id is None):
            raise ValueError("give exactly one of `source` (a name) or `source_id`")
        return self


class ClaimRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    source: SourceRef
    stated_at: datetime | None
    url: str | None
    external_id: str | None
    document_id: int | None
    created_at: datetime


ClaimPage = Page[ClaimRead]
