"""ORM row for a document; claims may point at the document they came from."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crosscheck.attribution.cues import Cue
from crosscheck.database import Base, IdType, UTCDateTime, utcnow
from crosscheck.sources.models import Source

if TYPE_CHECKING:
    from crosscheck.claims.models import Claim


class Document(Base):
    """An article, release or transcript, printed by a publisher (itself a source)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    publisher_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    publisher: Mapped[Source | None] = relationship(lazy="joined")
    appearances: Mapped[list[ClaimAppearance]] = relationship(
        lazy="selectin", order_by="ClaimAppearance.start", cascade="all, delete-orphan"
    )

    @property
    def claim_count(self) -> int:
        return len({appearance.claim_id for appearance in self.appearances})


class ClaimAppearance(Base):
    """Where a claim appears in a document: its span, who spoke, who relayed it, and on what cue."""

    __tablename__ = "claim_appearances"
    __table_args__ = (UniqueConstraint("claim_id", "document_id", "start"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    claim_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("claims.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str | None] = mapped_column(String(200))
    relayed_by: Mapped[list[str]] = mapped_column(JSON, default=list)
    # what the attribution rests on (attribution.cues.Cue); null on rows stored before cues
    cue: Mapped[str | None] = mapped_column(String(32))
    confidence: Mapped[float | None] = mapped_column(Float)

    @property
    def attributed(self) -> bool:
        return self.cue != Cue.UNATTRIBUTED

    claim: Mapped[Claim] = relationship(lazy="joined", innerjoin=True)
