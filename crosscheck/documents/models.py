"""ORM row for a document; claims may point at the document they came from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crosscheck.database import Base, IdType, UTCDateTime, utcnow


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
