"""Request and response models for fact-checkers' reviews."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class ReviewRead(BaseModel):
    """A fact-checker's rating of a claim, as it published it."""

    model_config = ConfigDict(from_attributes=True)

    reviewer: str = Field(description="The fact-checking organisation")
    rating: str = Field(description="Its rating in its own words (ClaimReview alternateName)")
    url: str = Field(description="Where the review is published")
    reviewed_at: datetime | None
