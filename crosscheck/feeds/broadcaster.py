"""Fan-out to subscribers on one event loop, each with a bounded queue.

Publishing never waits: a subscriber whose queue is full is dropped (with a log line) rather than
slowing the publisher or everyone else. It receives what was already queued, then an error that
tells it to subscribe again and catch up by listing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

from crosscheck.feeds.exceptions import SubscriberTooSlowError

log = logging.getLogger(__name__)

T = TypeVar("T")


class _End:
    """Queued after the last item of a dropped subscriber, to wake a reader that waits."""


class Subscription(Generic[T]):
    """One subscriber: the items it accepts, queued until it reads them."""

    def __init__(self, *, accepts: Callable[[T], bool], queue_size: int) -> None:
        self.accepts = accepts
        self._queue: asyncio.Queue[T | _End] = asyncio.Queue(maxsize=queue_size)
        self.dropped = False

    def offer(self, item: T) -> bool:
        """Queue ``item``; false when the queue is full."""
        try:
            self._queue.put_nowait(item)
        except asyncio.QueueFull:
            return False
        return True

    def __aiter__(self) -> Subscription[T]:
        return self

    def end(self) -> None:
        """No more items: the reader gets what is queued, then ``SubscriberTooSlowError``."""
        self.dropped = True
        with contextlib.suppress(asyncio.QueueFull):  # a full queue has no reader waiting
            self._queue.put_nowait(_End())

    async def __anext__(self) -> T:
        item = None if self.dropped and self._queue.empty() else await self._queue.get()
        if item is None or isinstance(item, _End):
            raise SubscriberTooSlowError(
                "this subscriber fell too far behind and was dropped; subscribe again and list "
                "what was stored meanwhile"
            )
        return item


class Broadcaster(Generic[T]):
    """Subscribers of one event loop; ``publish`` is called on that loop and never waits."""

    def __init__(self, *, queue_size: int, name: str) -> None:
        self._queue_size = queue_size
        self._name = name
        self._subscribers: set[Subscription[T]] = set()
        self.dropped_total = 0

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    @contextlib.contextmanager
    def subscribe(self, accepts: Callable[[T], bool]) -> Iterator[Subscription[T]]:
        subscription: Subscription[T] = Subscription(accepts=accepts, queue_size=self._queue_size)
        self._subscribers.add(subscription)
        try:
            yield subscription
        finally:
            self._subscribers.discard(subscription)

    def publish(self, items: Iterable[T]) -> None:
        """Offer each item to every subscriber that accepts it; drop those that are full."""
        batch = list(items)
        for subscription in list(self._subscribers):
            for item in batch:
                if subscription.accepts(item) and not subscription.offer(item):
                    self.drop(subscription, reason="its queue is full")
                    break

    def drop(self, subscription: Subscription[T], *, reason: str) -> None:
        if subscription in self._subscribers:
            subscription.end()
            self._subscribers.discard(subscription)
            self.dropped_total += 1
            log.warning(
                "%s: dropped a subscriber (%s; %d items queued)",
                self._name,
                reason,
                self._queue_size,
            )

    def drop_all(self, *, reason: str) -> None:
        for subscription in list(self._subscribers):
            self.drop(subscription, reason=reason)
