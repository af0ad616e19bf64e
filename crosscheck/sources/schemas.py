"""Request and response models for sources."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from crosscheck.fields import NotBlank, Printable, ShowsText, Trimmed
from crosscheck.pagination import Page
from crosscheck.sources.models import SourceKind
from crosscheck.textnorm import clean_text, name_key

MAX_SOURCE_NAME_CHARS = 200
SourceName = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_SOURCE_NAME_CHARS), NotBlank, ShowsText
]


class SourceCreate(BaseModel):
    """A new source: a unique name, what kind of asserter it is, and other names it goes by."""

    model_config = ConfigDict(extra="forbid")

    name: SourceName = Field(examples=["US National Security Council"])
    kind: SourceKind = SourceKind.OTHER
    country: Annotated[str, StringConstraints(max_length=100), Trimmed, Printable] | None = None
    aliases: list[SourceName] = Field(default_factory=list, max_length=50)

    @field_validator("name")
    @classmethod
    def _clean_name(cls, value: str) -> str:
        return clean_text(value)

    @field_validator("aliases")
    @classmethod
    def _distinct_aliases(cls, aliases: list[str]) -> list[str]:
        seen: dict[str, str] = {}
        for alias in aliases:
            seen.setdefault(name_key(alias), clean_text(alias))
        return list(seen.values())


class SourceFilter(BaseModel):
    """Which sources a listing returns: by country, and by a fragment of a name or alias."""

    country: Annotated[str, StringConstraints(max_length=100), Printable] | None = None
    q: Annotated[str, StringConstraints(max_length=200), Printable] | None = None


class SourceRef(BaseModel):
    """The short form of a source, embedded in claims."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str


class SourceRead(SourceRef):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)

    kind: SourceKind
    country: str | None
    aliases: list[str] = Field(validation_alias="alias_names")
    created_at: datetime


SourcePage = Page[SourceRead]
