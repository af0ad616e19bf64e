"""ORM rows for a claim and the fact-checkers' reviews of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crosscheck.database import Base, IdType, UTCDateTime, utcnow
from crosscheck.sources.models import Source

MAX_CLAIM_TITLE_CHARS = 500


class Claim(Base):
    """One statement; the same text from the same source is stored once (``content_hash``)."""

    __tablename__ = "claims"
    __table_args__ = (
        UniqueConstraint("source_id", "content_hash"),
        UniqueConstraint("source_id", "external_id"),
        Index("ix_claims_stated_at", "stated_at"),
        # Ids are never reused (claim ids key the vector index): see migration 0006.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    # Indexed alone too: verification looks up stored claims worded as the text it is given.
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    source_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("sources.id", ondelete="RESTRICT"), index=True
    )
    document_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    stated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    url: Mapped[str | None] = mapped_column(String(2000))
    # The headline the claim was published or fact-checked under: matched as words, like the text.
    title: Mapped[str | None] = mapped_column(String(MAX_CLAIM_TITLE_CHARS))
    external_id: Mapped[str | None] = mapped_column(String(200))
    # "asserts" or "denies": whether the source affirms the statement or rejects it.
    polarity: Mapped[str] = mapped_column(String(10), default="asserts", server_default="asserts")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    source: Mapped[Source] = relationship(lazy="joined", innerjoin=True)
    # Deleting a claim deletes its reviews (ON DELETE CASCADE does it for rows not loaded).
    reviews: Mapped[list[ClaimReview]] = relationship(
        lazy="selectin",
        order_by="ClaimReview.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


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
