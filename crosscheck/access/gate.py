"""Who a request is from: key lookups cached briefly in process, so most requests cost no query.

The cache lives ``cache_seconds``: a key revoked by another process (the CLI) stops working
within that time; one revoked through this gate stops at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from crosscheck.access import service as key_service
from crosscheck.access.schemas import ApiKeyRead, Caller, KeyHolder

log = logging.getLogger(__name__)

MAX_CACHED_KEYS = 10_000  # unknown keys are cached too; the bound keeps guessing from growing it
LAST_USED_RESOLUTION_SECONDS = 60.0  # last_used_at is written at most this often per key


class AccessGate:
    """Identifies callers by their key; one per process (per app)."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        cache_seconds: float,
        allow_open_mode: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._session_factory = session_factory
        # False on a server that listens beyond loopback: revoking its last key must not open it.
        self._allow_open_mode = allow_open_mode
        self._ttl = cache_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._open_mode: tuple[bool, float] | None = None
        self._holders: OrderedDict[str, tuple[KeyHolder | None, float]] = OrderedDict()
        self._marked: dict[int, float] = {}

    def identify(self, *, raw_key: str | None, address: str | None) -> Caller:
        """The caller behind ``raw_key`` (None: no key sent); never raises for a bad key."""
        holder = self._holder(raw_key) if raw_key else None
        if holder is not None:
            self._mark_used(holder.id)
        return Caller(
            holder=holder,
            open_mode=holder is None and self.open_mode(),
            presented_invalid_key=bool(raw_key) and holder is None,
            address=address,
        )

    def open_mode(self) -> bool:
        """True while no key is active (and only on a server that listens on loopback)."""
        if not self._allow_open_mode:
            return False
        now = self._clock()
        with self._lock:
            if self._open_mode is not None and self._open_mode[1] > now:
                return self._open_mode[0]
        with self._session_factory() as session:
            is_open = not key_service.has_active_keys(session=session)
        with self._lock:
            self._open_mode = (is_open, now + self._ttl)
        return is_open

    def revoke(self, *, key_id: int) -> ApiKeyRead:
        """Revoke a key and forget every cached lookup, so it stops working here at once."""
        with self._session_factory() as session:
            revoked = key_service.revoke(session=session, key_id=key_id)
        self.forget()
        return revoked

    def forget(self) -> None:
        with self._lock:
            self._open_mode = None
            self._holders.clear()

    def _holder(self, raw_key: str) -> KeyHolder | None:
        digest = key_service.hash_key(raw_key)  # the cache holds hashes, not keys
        now = self._clock()
        with self._lock:
            cached = self._holders.get(digest)
            if cached is not None and cached[1] > now:
                return cached[0]
        with self._session_factory() as session:
            holder = key_service.authenticate(session=session, raw_key=raw_key)
        with self._lock:
            self._holders[digest] = (holder, now + self._ttl)
            self._holders.move_to_end(digest)
            while len(self._holders) > MAX_CACHED_KEYS:
                self._holders.popitem(last=False)
        return holder

    def _mark_used(self, key_id: int) -> None:
        now = self._clock()
        with self._lock:
            last = self._marked.get(key_id)
            if last is not None and now - last < LAST_USED_RESOLUTION_SECONDS:
                return
            self._marked[key_id] = now
        try:
            with self._session_factory() as session:
                key_service.mark_used(session=session, key_id=key_id, at=datetime.now(UTC))
        except SQLAlchemyError:  # bookkeeping only: a busy database must not fail the request
            log.warning("could not record the use of API key %s", key_id, exc_info=True)
