"""ORM row for a fact-checker's rating of a claim."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crosscheck.database import Base, IdType, UTCDateTime, utcnow


class ClaimReview(Base):
    """A fact-checker's published rating of a claim; one per claim and review URL."""

    __tablename__ = "claim_reviews"
    __table_args__ = (UniqueConstraint("claim_id", "url"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    claim_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("claims.id", ondelete="CASCADE"), index=True
    )
    reviewer: Mapped[str] = mapped_column(String(200))
    rating: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2000))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
