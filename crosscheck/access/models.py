"""ORM row for an API key (its hash, never the key) and the ordered scopes."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from crosscheck.database import Base, IdType, UTCDateTime, utcnow


class Scope(enum.StrEnum):
    """What a key may do; each scope includes the ones below it (admin ⊇ write ⊇ read)."""

    READ = "read"
    WRITE = "write"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Scope).index(self)

    def covers(self, required: Scope) -> bool:
        return self.rank >= required.rank


class ApiKey(Base):
    """A key a client sends in ``X-API-Key``; only its SHA-256 is stored."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    scope: Mapped[Scope] = mapped_column(
        Enum(
            Scope,
            name="api_key_scope",
            native_enum=False,
            length=10,
            values_callable=lambda scopes: [s.value for s in scopes],
        )
    )
    # The key is 256 random bits, so a fast hash is enough: no one can guess their way back from
    # it, and (unlike a salted slow hash) it can be looked up by value through a unique index.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
