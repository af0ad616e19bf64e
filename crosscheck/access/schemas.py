"""API key request and response models, and who a request is from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from crosscheck.access.exceptions import ForbiddenError, UnauthenticatedError
from crosscheck.access.models import Scope


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="Who or what holds the key")
    scope: Scope


class ApiKeyRead(BaseModel):
    """A key as listed: never the key itself, only the prefix that identifies it to people."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    scope: Scope
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreated(BaseModel):
    """A new key: ``key`` is shown this once and cannot be recovered."""

    key: str
    api_key: ApiKeyRead


@dataclass(frozen=True)
class KeyHolder:
    """The active key a request presented."""

    id: int
    name: str
    scope: Scope


@dataclass(frozen=True)
class Caller:
    """Who a request is from, and whether the service asks for keys at all."""

    holder: KeyHolder | None
    # No active key exists: the service is open (and bound to loopback, see ``binding``).
    open_mode: bool
    # A key was sent that is unknown or revoked.
    presented_invalid_key: bool
    address: str | None

    def authorize(self, required: Scope) -> None:
        """Return if the caller may do what needs ``required``; raise 401 or 403 if not."""
        if self.open_mode:
            return
        if self.holder is None:
            if self.presented_invalid_key:
                raise UnauthenticatedError("the API key is not valid or has been revoked")
            raise UnauthenticatedError(
                "an API key is required: send it in the X-API-Key header (or Authorization: Bearer)"
            )
        if not self.holder.scope.covers(required):
            raise ForbiddenError(
                f"this key's scope is {self.holder.scope.value}; this needs {required.value}"
            )

    @property
    def rate_identity(self) -> str:
        """Whom rate limits count against: the key, else the client's address."""
        if self.holder is not None:
            return f"key:{self.holder.id}"
        return f"address:{self.address or 'unknown'}"
