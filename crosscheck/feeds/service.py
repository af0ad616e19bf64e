"""The feed of new claims: every claim that becomes searchable, offered to matching subscribers.

The claim index calls ``ClaimFeed.claims_indexed`` after adding claims, whoever stored them: a
REST or GraphQL call, a bulk load, a document, or another process whose claims the server's index
caught up with. That call comes from a writer's thread and returns at once; the claims are read
from the database and fanned out on the event loop the subscribers live on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from crosscheck.claims import service as claim_service
from crosscheck.claims.schemas import ClaimFilter, ClaimRead
from crosscheck.feeds.broadcaster import Broadcaster, Subscription
from crosscheck.feeds.schemas import ClaimMatcher

log = logging.getLogger(__name__)

LOAD_CHUNK = 500
BACKLOG_BATCHES = 1000  # index additions waiting to be read and fanned out
REMEMBERED_IDS = 10_000  # claims announced lately: a claim indexed twice is announced once


def claim_matcher(*, session: Session, claim_filter: ClaimFilter) -> ClaimMatcher:
    """The matcher for ``claim_filter``; unknown source names fail as they do in listings."""
    source_ids = claim_service.filter_source_ids(session=session, claim_filter=claim_filter)
    return ClaimMatcher(
        source_ids=frozenset(source_ids) if source_ids is not None else None,
        text=claim_filter.q,
        stated_from=claim_filter.stated_from,
        stated_to=claim_filter.stated_to,
    )


class ClaimFeed:
    """New claims for subscribers with a filter; writers are never blocked or slowed."""

    def __init__(self, *, session_factory: sessionmaker[Session], queue_size: int) -> None:
        self._session_factory = session_factory
        self._broadcaster: Broadcaster[ClaimRead] = Broadcaster(
            queue_size=queue_size, name="claim feed"
        )
        self._loop: asyncio.AbstractEventLoop | None = None
        self._backlog: asyncio.Queue[list[int]] | None = None
        self._deliverer: asyncio.Task[None] | None = None
        self._announced: OrderedDict[int, None] = OrderedDict()

    @property
    def subscriber_count(self) -> int:
        return self._broadcaster.subscriber_count

    @property
    def dropped_total(self) -> int:
        return self._broadcaster.dropped_total

    def claims_indexed(self, claim_ids: Sequence[int]) -> None:
        """Called from any thread once claims are searchable; returns at once."""
        loop = self._loop
        if loop is None or len(claim_ids) == 0 or not self._broadcaster.subscriber_count:
            return
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody is listening
            loop.call_soon_threadsafe(self._enqueue, [int(i) for i in claim_ids])

    def _enqueue(self, claim_ids: list[int]) -> None:
        assert self._backlog is not None  # set before the loop is published
        try:
            self._backlog.put_nowait(claim_ids)
        except asyncio.QueueFull:
            # Subscribers would silently miss claims: tell them instead, so they catch up.
            self._broadcaster.drop_all(reason=f"backlog full, {len(claim_ids)} claims not sent")

    def _fresh(self, claim_ids: list[int]) -> list[int]:
        fresh = [i for i in dict.fromkeys(claim_ids) if i not in self._announced]
        for claim_id in fresh:
            self._announced[claim_id] = None
        while len(self._announced) > REMEMBERED_IDS:
            self._announced.popitem(last=False)
        return fresh

    def _load(self, claim_ids: list[int]) -> list[ClaimRead]:
        with self._session_factory() as session:
            rows = claim_service.get_many(session=session, claim_ids=claim_ids)
            return [ClaimRead.model_validate(rows[i]) for i in sorted(rows)]

    async def _deliver(self, backlog: asyncio.Queue[list[int]]) -> None:
        while True:
            fresh = self._fresh(await backlog.get())
            for start in range(0, len(fresh), LOAD_CHUNK):
                try:
                    claims = await asyncio.to_thread(self._load, fresh[start : start + LOAD_CHUNK])
                except Exception:  # a database hiccup must not end the feed
                    log.exception("claim feed: could not read %d new claims", len(fresh))
                    self._broadcaster.drop_all(reason="new claims could not be read")
                    break
                self._broadcaster.publish(claims)

    def _attach(self) -> None:
        """Deliver on the running loop (a new one after a restart in the same process)."""
        loop = asyncio.get_running_loop()
        if self._loop is loop and self._deliverer is not None and not self._deliverer.done():
            return
        backlog: asyncio.Queue[list[int]] = asyncio.Queue(maxsize=BACKLOG_BATCHES)
        self._backlog = backlog
        self._deliverer = loop.create_task(self._deliver(backlog), name="crosscheck-claim-feed")
        self._loop = loop

    @contextlib.asynccontextmanager
    async def subscribe(
        self, accepts: Callable[[ClaimRead], bool]
    ) -> AsyncIterator[Subscription[ClaimRead]]:
        """Claims stored from now on that ``accepts`` (a matcher's ``matches``), while open."""
        self._attach()
        with self._broadcaster.subscribe(accepts) as subscription:
            yield subscription

    async def close(self) -> None:
        """Stop delivering (at shutdown); open subscriptions receive nothing more."""
        deliverer, self._deliverer, self._loop = self._deliverer, None, None
        if deliverer is not None:
            deliverer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await deliverer
