"""Hearing at once that another process changed the claims (PostgreSQL LISTEN/NOTIFY).

Migration 0003 puts a statement trigger on ``claims`` that notifies ``CLAIMS_CHANNEL`` whenever
rows are inserted, deleted or truncated; PostgreSQL delivers it when the writer commits. A server
listens on a connection of its own and wakes its catch-up instead of waiting for the next poll.
Polling stays: it covers SQLite, a lost connection, and anything missed while reconnecting.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

CLAIMS_CHANNEL = "crosscheck_claims"
# How long one wait for notifications lasts: bounds how late ``stop`` takes effect.
WAIT_SECONDS = 0.5
RECONNECT_MAX_SECONDS = 30.0


def libpq_conninfo(database_url: str) -> str:
    """The SQLAlchemy URL as a libpq URI (``postgresql+psycopg://`` -> ``postgresql://``)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


class ClaimChangeListener:
    """Calls ``on_change`` (from its own thread) each time claims change in the database.

    ``on_change`` also runs after every (re)connection, since changes made while no connection
    listened were not announced. It must be quick: hand the work to someone else.
    """

    def __init__(self, database_url: str, on_change: Callable[[], None]) -> None:
        self._conninfo = libpq_conninfo(database_url)
        self._where = make_url(database_url).render_as_string(hide_password=True)
        self._on_change = on_change
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
                log.warning(
                    "not listening for claim changes at %s (%s); polling meanwhile, retrying "
                    "in %.0fs",
                    self._where,
                    str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
                    delay,
                )
                self._stop.wait(delay)
                delay = min(delay * 2, RECONNECT_MAX_SECONDS)

    def _listen(self) -> None:
        with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=10) as connection:
            connection.execute(f"LISTEN {CLAIMS_CHANNEL}")
            self._listening.set()
            log.info("listening for claim changes at %s", self._where)
            self._on_change()
            while not self._stop.is_set():
                # One wake-up per burst: a bulk load notifies once per committed batch anyway.
                for _ in connection.notifies(timeout=WAIT_SECONDS, stop_after=1):
                    self._on_change()
        self._listening.clear()
