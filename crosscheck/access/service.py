"""Create, list, revoke and look up API keys. The raw key is returned once and never stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from crosscheck.access.exceptions import ApiKeyNotFoundError
from crosscheck.access.models import ApiKey
from crosscheck.access.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead, KeyHolder
from crosscheck.database import utcnow

KEY_PREFIX = "cc_"
PREFIX_CHARS = 12  # "cc_" and 9 random characters: enough to tell keys apart in a list


def hash_key(raw_key: str) -> str:
    """The SHA-256 of the key, as stored and looked up."""
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def create(*, session: Session, key_in: ApiKeyCreate) -> ApiKeyCreated:
    """A new key with 256 random bits; the caller must show ``key`` now, it is not kept."""
    raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey(
        name=key_in.name,
        scope=key_in.scope,
        key_hash=hash_key(raw_key),
        prefix=raw_key[:PREFIX_CHARS],
    )
    session.add(api_key)
    session.commit()
    return ApiKeyCreated(key=raw_key, api_key=ApiKeyRead.model_validate(api_key))


def list_keys(*, session: Session, include_revoked: bool = True) -> list[ApiKeyRead]:
    query = select(ApiKey).order_by(ApiKey.id)
    if not include_revoked:
        query = query.where(ApiKey.revoked_at.is_(None))
    return [ApiKeyRead.model_validate(row) for row in session.scalars(query)]


def revoke(*, session: Session, key_id: int) -> ApiKeyRead:
    """Revoke a key (at once for this process, within the lookup cache's life for others);
    revoking a revoked key changes nothing."""
    api_key = session.get(ApiKey, key_id)
    if api_key is None:
        raise ApiKeyNotFoundError(f"no API key with id {key_id}", field="id")
    if api_key.revoked_at is None:
        api_key.revoked_at = utcnow()
        session.commit()
    return ApiKeyRead.model_validate(api_key)


def has_active_keys(*, session: Session) -> bool:
    """Whether any key is in force; with none, the service is open (on loopback only)."""
    return bool(session.scalar(select(exists().where(ApiKey.revoked_at.is_(None)))))


def authenticate(*, session: Session, raw_key: str) -> KeyHolder | None:
    """The holder of an active key, or None for a key that is unknown or revoked."""
    row = session.scalars(
        select(ApiKey).where(ApiKey.key_hash == hash_key(raw_key), ApiKey.revoked_at.is_(None))
    ).first()
    return None if row is None else KeyHolder(id=row.id, name=row.name, scope=row.scope)


def mark_used(*, session: Session, key_id: int, at: datetime) -> None:
    session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=at))
    session.commit()
