"""Storage failures (a full disk, an I/O error) told apart from bugs, so clients can act on them.

A commit or an index save that fails this way is reported as ``StorageFullError`` (507) or
``StorageUnavailableError`` (503), never as success: what was not written was not acknowledged,
and the previous state (committed rows, the last saved index) stays as it was.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator

from sqlalchemy.exc import DBAPIError

from crosscheck.errors import (
    CrosscheckError,
    StorageBusyError,
    StorageFullError,
    StorageUnavailableError,
)

# What a storage failure may be raised as: the driver's own error escapes SQLAlchemy where the
# SQLite connection is used directly (database.py takes the write lock that way).
STORAGE_EXCEPTIONS: tuple[type[Exception], ...] = (OSError, DBAPIError, sqlite3.Error)
FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
UNAVAILABLE_ERRNOS = {errno.EIO, errno.EROFS}
# SQLite reports these in the message of its OperationalError (SQLITE_FULL, SQLITE_IOERR, ...).
SQLITE_FULL = ("database or disk is full",)
SQLITE_UNAVAILABLE = ("disk i/o error", "attempt to write a readonly database")
# Another connection kept the write lock past busy_timeout (SQLITE_BUSY / SQLITE_LOCKED).
SQLITE_BUSY = ("database is locked", "database table is locked")
# PostgreSQL's SQLSTATE classes: 53100 disk_full, 58030 io_error.
POSTGRES_FULL = {"53100"}
POSTGRES_UNAVAILABLE = {"58030"}

FULL_MESSAGE = "the server's storage is full: nothing was written by this request; retry later"
UNAVAILABLE_MESSAGE = "the server's storage failed to write: nothing was acknowledged; retry later"
BUSY_MESSAGE = "the database is busy with another write: nothing was written; retry shortly"
# PostgreSQL: 55P03 lock_not_available (lock_timeout), 57014 query_canceled (statement_timeout).
POSTGRES_BUSY = {"55P03"}


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc``, the driver error it wraps, and what it was raised from, each once."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, DBAPIError) and isinstance(current.orig, BaseException):
            pending.append(current.orig)
        pending += [current.__cause__, current.__context__]


def storage_failure(exc: BaseException) -> CrosscheckError | None:
    """The client-facing error for a full, failing or busy store behind ``exc``; ``None`` if
    not one."""
    for cause in _causes(exc):
        if isinstance(cause, OSError) and cause.errno is not None:
            if cause.errno in FULL_ERRNOS:
                return StorageFullError(FULL_MESSAGE)
            if cause.errno in UNAVAILABLE_ERRNOS:
                return StorageUnavailableError(UNAVAILABLE_MESSAGE)
        sqlstate = getattr(cause, "sqlstate", None)
        if sqlstate in POSTGRES_FULL:
            return StorageFullError(FULL_MESSAGE)
        if sqlstate in POSTGRES_UNAVAILABLE:
            return StorageUnavailableError(UNAVAILABLE_MESSAGE)
        if sqlstate in POSTGRES_BUSY:
            return StorageBusyError(BUSY_MESSAGE)
        if type(cause).__module__.startswith("sqlite3"):
            message = str(cause).lower()
            if any(text in message for text in SQLITE_FULL):
                return StorageFullError(FULL_MESSAGE)
            if any(text in message for text in SQLITE_UNAVAILABLE):
                return StorageUnavailableError(UNAVAILABLE_MESSAGE)
            if any(text in message for text in SQLITE_BUSY):
                return StorageBusyError(BUSY_MESSAGE)
    return None
