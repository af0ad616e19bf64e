"""Hearing at once that another process changed the claims (PostgreSQL LISTEN/NOTIFY).

Migration 0003 puts a statement trigger on ``claims`` that notifies ``CLAIMS_CHANNEL`` with
``insert``, ``delete`` or ``truncate``; PostgreSQL delivers it when the writer commits. A server
listens on a connection of its own and wakes its catch-up instead of waiting for the next poll.
Notices sent by the server's own connections are ignored: it indexed those claims itself.
Polling stays: it covers SQLite, a lost connection, and anything missed while reconnecting.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

log = logging.getLogger(__name__)

CLAIMS_CHANNEL = "crosscheck_claims"
INSERTED = "insert"
# Announced after every (re)connection: what changed while nobody listened is unknown.
UNKNOWN = "unknown"
# How long one wait for notifications lasts: bounds how late ``stop`` takes effect.
WAIT_SECONDS = 0.5
RECONNECT_MAX_SECONDS = 30.0

ChangeCallback = Callable[[str], None]


def libpq_conninfo(database_url: str) -> str:
    """The SQLAlchemy URL as a libpq URI (``postgresql+psycopg://`` -> ``postgresql://``)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def track_backend_pids(engine: Engine) -> set[int]:
    """The server process ids of ``engine``'s open connections, kept current as they come and go.

    A notice carries the id of the backend that sent it; one from this set is our own write.
    """
    pids: set[int] = set()

    @event.listens_for(engine, "connect")
    def _opened(dbapi_connection: Any, record: Any) -> None:
        pid = int(dbapi_connection.info.backend_pid)
        record.info["backend_pid"] = pid
        pids.add(pid)

    @event.listens_for(engine, "close")
    def _closed(dbapi_connection: Any, record: Any) -> None:
        pids.discard(record.info.get("backend_pid"))

    return pids


class ClaimChangeListener:
    """Calls ``on_change(kind)`` from its own thread when another process changes the claims.

    ``kind`` is ``insert``, ``delete``, ``truncate``, or ``unknown`` after every (re)connection.
    ``on_change`` must be quick: hand the work to someone else.
    """

    def __init__(
        self, database_url: str, on_change: ChangeCallback, *, own_pids: set[int] | None = None
    ) -> None:
        self._conninfo = libpq_conninfo(database_url)
        self._where = make_url(database_url).render_as_string(hide_password=True)
        self._on_change = on_change
        self._own_pids = own_pids if own_pids is not None else set()
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="crosscheck-claim-listener", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def wait_listening(self, timeout: float) -> bool:
        """Whether the listener is connected and subscribed (within ``timeout`` seconds)."""
        return self._listening.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        delay = 1.0
        while not self._stop.is_set():
            try:
                self._listen()
                delay = 1.0
            except psycopg.Error as exc:
                self._listening.clear()
                reason = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
                log.warning(
                    "not listening for claim changes at %s (%s): polling meanwhile, "
                    "retrying in %.0fs",
                    self._where,
                    reason,
                    delay,
                )
                self._stop.wait(delay)
                delay = min(delay * 2, RECONNECT_MAX_SECONDS)

    def _listen(self) -> None:
        with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=10) as connection:
            connection.execute(f"LISTEN {CLAIMS_CHANNEL}")
            self._listening.set()
            log.info("listening for claim changes at %s", self._where)
            self._on_change(UNKNOWN)
            while not self._stop.is_set():
                for notice in connection.notifies(timeout=WAIT_SECONDS, stop_after=1):
                    if notice.pid not in self._own_pids:
                        self._on_change(notice.payload or UNKNOWN)
        self._listening.clear()
