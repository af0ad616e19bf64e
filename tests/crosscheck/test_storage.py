"""Which failures are a full, failing or busy store (507 / 503), and which are bugs (left alone)."""

from __future__ import annotations

import errno
import sqlite3

import psycopg.errors
import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from crosscheck.errors import StorageBusyError, StorageFullError, StorageUnavailableError
from crosscheck.storage import storage_failure


def _wrapped(orig: Exception) -> OperationalError:
    return OperationalError("COMMIT", {}, orig)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), StorageFullError),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), StorageFullError),
        (OSError(errno.EIO, "Input/output error"), StorageUnavailableError),
        (_wrapped(sqlite3.OperationalError("database or disk is full")), StorageFullError),
        (_wrapped(sqlite3.OperationalError("disk I/O error")), StorageUnavailableError),
        (_wrapped(psycopg.errors.DiskFull("could not extend file")), StorageFullError),
        (_wrapped(psycopg.errors.IoError("could not read block")), StorageUnavailableError),
        (_wrapped(sqlite3.OperationalError("database is locked")), StorageBusyError),
        (_wrapped(psycopg.errors.LockNotAvailable("could not obtain lock")), StorageBusyError),
    ],
)
def test_storage_failures_are_recognised(exc: Exception, expected: type) -> None:
    assert isinstance(storage_failure(exc), expected)


def test_a_failure_raised_from_a_full_disk_is_recognised() -> None:
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as cause:
            raise RuntimeError("faiss could not write the index") from cause
    except RuntimeError as exc:
        assert isinstance(storage_failure(exc), StorageFullError)


@pytest.mark.parametrize(
    "exc",
    [
        OSError(errno.ENOENT, "No such file"),
        ValueError("bad"),
        _wrapped(sqlite3.OperationalError("no such table: claims")),
        IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed")),
    ],
)
def test_other_failures_are_not_storage_failures(exc: Exception) -> None:
    assert storage_failure(exc) is None
