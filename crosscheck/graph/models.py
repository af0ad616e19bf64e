"""ORM rows of the stance graph: judged edges, which claims have had theirs judged, and links
between near statements of one source."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crosscheck.database import Base, IdType, UTCDateTime, utcnow


class StanceEdge(Base):
    """How one stored claim (the evidence) stands towards another (the claim), as judged."""

    __tablename__ = "stance_edges"
    __table_args__ = (
        UniqueConstraint("claim_id", "evidence_id"),
        Index("ix_stance_edges_evidence_id", "evidence_id"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    claim_id: Mapped[int] = mapped_column(IdType, ForeignKey("claims.id", ondelete="CASCADE"))
    evidence_id: Mapped[int] = mapped_column(IdType, ForeignKey("claims.id", ondelete="CASCADE"))
    stance: Mapped[str] = mapped_column(String(20))
    confidence: Mapped[float] = mapped_column(Float)
    similarity: Mapped[float] = mapped_column(Float)
    # The judgement's reasons, a JSON list of strings, and the rule that decided, if one did.
    reasons: Mapped[str] = mapped_column(Text)
    rule: Mapped[str | None] = mapped_column(String(40))
    model_version: Mapped[str] = mapped_column(String(64))
    judged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class GraphedClaim(Base):
    """A claim whose nearest claims from other sources have been judged, by which model."""

    __tablename__ = "graphed_claims"

    claim_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    model_version: Mapped[str] = mapped_column(String(64))
    graphed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SourceLink(Base):
    """Another statement of the claim's own source near it in meaning (both ways are stored):
    what a timeline and supersession read instead of searching the index again."""

    __tablename__ = "source_links"
    __table_args__ = (
        UniqueConstraint("claim_id", "other_id"),
        Index("ix_source_links_other_id", "other_id"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    claim_id: Mapped[int] = mapped_column(IdType, ForeignKey("claims.id", ondelete="CASCADE"))
    other_id: Mapped[int] = mapped_column(IdType, ForeignKey("claims.id", ondelete="CASCADE"))
    similarity: Mapped[float] = mapped_column(Float)
