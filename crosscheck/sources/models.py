"""ORM rows for sources and their aliases."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crosscheck.database import Base, IdType, UTCDateTime, utcnow


class SourceKind(enum.StrEnum):
    GOVERNMENT = "government"
    AGENCY = "agency"
    MILITARY = "military"
    OUTLET = "outlet"
    ORGANIZATION = "organization"
    PERSON = "person"
    OTHER = "other"


class Source(Base):
    """Who asserted a claim; ``name`` is unique, case-insensitively, through ``name_key``."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[SourceKind] = mapped_column(
        Enum(
            SourceKind,
            name="source_kind",
            native_enum=False,
            length=20,
            values_callable=lambda kinds: [k.value for k in kinds],
        ),
        default=SourceKind.OTHER,
    )
    country: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    aliases: Mapped[list[SourceAlias]] = relationship(
        back_populates="source",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="SourceAlias.id",
    )

    @property
    def alias_names(self) -> list[str]:
        return [alias.alias for alias in self.aliases]


class SourceAlias(Base):
    """Another name a source goes by; unique across all sources so a name resolves to one source."""

    __tablename__ = "source_aliases"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("sources.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(200))
    alias_key: Mapped[str] = mapped_column(String(200), unique=True)

    source: Mapped[Source] = relationship(back_populates="aliases")
