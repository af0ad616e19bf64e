"""Engine, sessions and the declarative base shared by every domain package."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import Field
from sqlalchemy import BigInteger, DateTime, Integer, MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

T = TypeVar("T")

# Ids fit a signed 64-bit integer on every backend; larger ones are refused at the edge.
MAX_ID = 2**63 - 1
DatabaseId = Annotated[int, Field(ge=1, le=MAX_ID)]
# 64-bit ids on PostgreSQL (they double as FAISS ids); SQLite's INTEGER is already 64-bit.
IdType = BigInteger().with_variant(Integer, "sqlite")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with an explicit constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as UTC on every backend (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


# What SQLite runs with (README, "Durability"). WAL lets readers go on during a write.
# synchronous=FULL syncs the WAL at every commit, so an acknowledged write survives a power cut
# or a kernel crash; NORMAL syncs only at checkpoints, and a commit acknowledged since the last
# one can be lost to a power cut (never to a process crash). busy_timeout makes a writer wait
# for another's lock instead of failing at once.
# Past the wait, the request fails with 503 storage_busy (crosscheck/storage.py).
SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
    "PRAGMA foreign_keys=ON",
)


def create_db_engine(url: str, *, sqlite_busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
    """An engine for ``url``; SQLite gets its folder created and ``SQLITE_PRAGMAS`` (a writer
    waits up to ``sqlite_busy_timeout_ms`` for another's lock)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": sqlite_busy_timeout_ms / 1000},
    )
    pragmas = [
        f"PRAGMA busy_timeout={sqlite_busy_timeout_ms}" if p.startswith("PRAGMA busy_") else p
        for p in SQLITE_PRAGMAS
    ]

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "savepoint")
    def _take_the_write_lock_first(connection: Any, _name: str) -> None:
        # Python's sqlite3 opens no transaction for a SAVEPOINT, so SQLite starts a deferred
        # one: it reads, then fails at once with "database is locked" when it tries to write
        # after another connection committed. BEGIN IMMEDIATE takes the write lock up front,
        # waiting (busy_timeout) for it instead; only writers wait, readers go on (WAL).
        dbapi_connection = connection.connection.dbapi_connection
        if not dbapi_connection.in_transaction:
            dbapi_connection.execute("BEGIN IMMEDIATE")

    return engine


def is_busy(exc: OperationalError) -> bool:
    """Whether SQLite refused a write because another connection holds or moved the lock."""
    return "database is locked" in str(exc.orig) or "database is busy" in str(exc.orig)


def retry_when_busy(work: Callable[[], T], *, attempts: int = 6, delay: float = 0.05) -> T:
    """Run ``work`` (one whole transaction), again if SQLite reports a write conflict.

    In WAL mode a transaction that read before writing fails at once, without waiting, when
    another connection committed in between; starting the transaction again is the remedy.
    """
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as exc:
            if not is_busy(exc) or attempt == attempts - 1:
                raise
            time.sleep(delay * 2**attempt)
    raise AssertionError("unreachable")


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
