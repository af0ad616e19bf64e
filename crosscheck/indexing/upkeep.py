"""Long-lived index upkeep in a server: periodic saves, and following other writers' claims."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from crosscheck.indexing.notifications import INSERTED
from crosscheck.indexing.service import ClaimIndex, catch_up, follow_new_claims

log = logging.getLogger(__name__)

FOLLOW_MIN_GAP_SECONDS = 0.2

IndexGetter = Callable[[], ClaimIndex | None]


class ClaimChanges:
    """Kinds of change announced since the follower last looked; fed from the listener thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._kinds: set[str] = set()
        self._announced = asyncio.Event()

    def announce(self, kind: str) -> None:
        """Thread-safe: called by the listener."""
        self._loop.call_soon_threadsafe(self._note, kind)

    def _note(self, kind: str) -> None:
        self._kinds.add(kind)
        self._announced.set()

    async def next(self, *, timeout: float) -> set[str]:
        """The kinds announced, waiting up to ``timeout``; empty after a quiet wait (poll)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._announced.wait(), timeout=timeout)
        kinds, self._kinds = self._kinds, set()
        self._announced.clear()
        return kinds


def _maintain(claim_index: ClaimIndex) -> None:
    """Rebuild the index if the store outgrew its kind (searches go on meanwhile), then save."""
    claim_index.reshape()
    claim_index.save_if_dirty()


async def save_periodically(ready_index: IndexGetter, *, every_seconds: float) -> None:
    """Save the index every ``every_seconds`` once it is loaded (``ready_index`` gives it)."""
    while True:
        await asyncio.sleep(every_seconds)
        claim_index = ready_index()
        if claim_index is not None:
            try:
                await asyncio.to_thread(_maintain, claim_index)
            except Exception:  # a full disk must not end the loop: the index stays dirty, and
                # the next round tries again (the previous saved index still loads meanwhile)
                log.exception("index save failed")


def _catch_up(
    claim_index: ClaimIndex, session_factory: sessionmaker[Session], kinds: set[str]
) -> None:
    with session_factory() as session:
        if kinds == {INSERTED}:  # the common case, and the cheap one: new claims only
            follow_new_claims(claim_index=claim_index, session=session)
        else:  # a poll, deletes, or a reconnection: compare with the whole store
            catch_up(claim_index=claim_index, session=session)


async def follow_other_writers(
    ready_index: IndexGetter,
    changes: ClaimChanges,
    *,
    session_factory: sessionmaker[Session],
    poll_seconds: float,
) -> None:
    """Bring the index in step with claims that other processes (servers, a CLI load) wrote.

    It looks when PostgreSQL announces a change and, in any case, every ``poll_seconds``;
    announcements that arrive while it works are handled together in the next round.
    """
    while True:
        kinds = await changes.next(timeout=poll_seconds)
        claim_index = ready_index()
        if claim_index is not None:
            try:
                await asyncio.to_thread(_catch_up, claim_index, session_factory, kinds)
            except Exception:  # a database hiccup must not end the loop; the next round retries
                log.exception("index catch-up failed")
        # A steady stream of writes elsewhere costs at most a few rounds a second.
        await asyncio.sleep(FOLLOW_MIN_GAP_SECONDS)
