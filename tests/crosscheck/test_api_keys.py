"""API keys in the store (hashes only), the lookup cache, the secure default (the commands that
use them: tests/cli)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator

import pytest
from pydantic import ValidationError
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from crosscheck.access import service as key_service
from crosscheck.access.binding import bind_refusal, is_loopback
from crosscheck.access.exceptions import ForbiddenError, RateLimitedError, UnauthenticatedError
from crosscheck.access.gate import AccessGate
from crosscheck.access.models import Scope
from crosscheck.access.rate_limits import RateLimits
from crosscheck.access.schemas import ApiKeyCreate, Caller
from crosscheck.database import create_db_engine, create_session_factory
from crosscheck.settings import Settings


@pytest.fixture
def session_factory(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_db_engine(database_url)
    yield create_session_factory(engine)
    engine.dispose()


def _create(factory: sessionmaker[Session], scope: Scope, name: str = "test") -> tuple[int, str]:
    with factory() as session:
        created = key_service.create(session=session, key_in=ApiKeyCreate(name=name, scope=scope))
    return created.api_key.id, created.key


def test_scopes_are_ordered() -> None:
    assert Scope.ADMIN.covers(Scope.WRITE) and Scope.ADMIN.covers(Scope.READ)
    assert Scope.WRITE.covers(Scope.READ) and not Scope.WRITE.covers(Scope.ADMIN)
    assert not Scope.READ.covers(Scope.WRITE)


def test_keys_are_stored_only_as_hashes(
    database_url: str, session_factory: sessionmaker[Session]
) -> None:
    key_id, raw_key = _create(session_factory, Scope.WRITE, "ingest bot")
    assert raw_key.startswith("cc_") and len(raw_key) >= 40
    engine = create_engine(database_url)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT * FROM api_keys")).mappings().one()
    engine.dispose()
    assert row["key_hash"] == hashlib.sha256(raw_key.encode()).hexdigest()
    assert not any(raw_key in str(value) for value in row.values())
    assert raw_key.startswith(row["prefix"]) and len(row["prefix"]) < len(raw_key) // 3

    with session_factory() as session:
        holder = key_service.authenticate(session=session, raw_key=raw_key)
        assert holder is not None and holder.scope is Scope.WRITE and holder.id == key_id
        assert key_service.authenticate(session=session, raw_key=raw_key + "x") is None
        assert key_service.has_active_keys(session=session)
        key_service.revoke(session=session, key_id=key_id)
        assert key_service.authenticate(session=session, raw_key=raw_key) is None
        assert not key_service.has_active_keys(session=session)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_lookups_are_cached_briefly_and_revocation_here_is_immediate(
    session_factory: sessionmaker[Session],
) -> None:
    clock = Clock()
    gate = AccessGate(session_factory, cache_seconds=2.0, clock=clock)
    assert gate.identify(raw_key=None, address="10.0.0.1").open_mode
    key_id, raw_key = _create(session_factory, Scope.READ)
    # Until the cached "no keys" expires the gate stays open; then keys are required.
    assert gate.identify(raw_key=None, address="10.0.0.1").open_mode
    clock.now += 2.5
    anonymous = gate.identify(raw_key=None, address="10.0.0.1")
    with pytest.raises(UnauthenticatedError):
        anonymous.authorize(Scope.READ)
    caller = gate.identify(raw_key=raw_key, address="10.0.0.1")
    caller.authorize(Scope.READ)
    with pytest.raises(ForbiddenError):
        caller.authorize(Scope.WRITE)

    with session_factory() as session:  # revoked elsewhere (the CLI): refused within the TTL
        key_service.revoke(session=session, key_id=key_id)
    assert gate.identify(raw_key=raw_key, address=None).holder is not None
    clock.now += 2.5
    assert gate.identify(raw_key=raw_key, address=None).holder is None

    other_id, other = _create(session_factory, Scope.WRITE)
    assert gate.identify(raw_key=other, address=None).holder is not None
    gate.revoke(key_id=other_id)  # revoked through this process: refused at once
    refused = gate.identify(raw_key=other, address=None)
    assert refused.holder is None and refused.presented_invalid_key


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.5", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("example.org", False),
    ],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_binding_elsewhere_without_keys_is_refused() -> None:
    refusal = bind_refusal(host="0.0.0.0", has_active_keys=False)
    assert refusal is not None and "keys create" in refusal and "127.0.0.1" in refusal
    assert bind_refusal(host="0.0.0.0", has_active_keys=True) is None
    assert bind_refusal(host="127.0.0.1", has_active_keys=False) is None


def test_rate_limits_are_validated_at_start_up() -> None:
    with pytest.raises(ValidationError, match="rate limit"):
        Settings(rate_limit_read="lots")
    assert Settings(rate_limit_write="10/second; 100/minute").rate_limit_write
    assert Settings(rate_limit_read="").rate_limit_read == ""


def test_servers_share_rate_limit_counts_through_redis() -> None:
    url = "redis://127.0.0.1:6379"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # no client library or no server: say which, and skip
        pytest.skip(f"no Redis at {url}: {exc}")
    one, other = (RateLimits(read="2/minute", write=None, storage_url=url) for _ in range(2))
    caller = Caller(
        holder=None, open_mode=True, presented_invalid_key=False, address=uuid.uuid4().hex
    )
    one.hit(caller, Scope.READ)
    other.hit(caller, Scope.READ)
    with pytest.raises(RateLimitedError) as refused:
        one.hit(caller, Scope.READ)
    assert 1 <= refused.value.retry_after <= 60
    other.hit(caller, Scope.WRITE)  # writes are not limited here


def test_an_unreachable_rate_limit_store_lets_calls_through(
    caplog: pytest.LogCaptureFixture,
) -> None:
    limits = RateLimits(read="1/minute", write=None, storage_url="redis://127.0.0.1:1")
    caller = Caller(holder=None, open_mode=True, presented_invalid_key=False, address="x")
    limits.hit(caller, Scope.READ)
    limits.hit(caller, Scope.READ)
    assert "rate limit storage unavailable" in caplog.text
