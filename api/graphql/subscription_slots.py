"""How many GraphQL subscriptions run at once, per WebSocket and per caller.

Each subscription costs work on every write (``evidenceAdded`` judges each new claim), so a
client may not open them without bound. Counted on the event loop the subscriptions run on.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator

from graphql import GraphQLError


class SubscriptionSlots:
    """Open subscriptions by caller (the rate limits' identity: key, else address)."""

    def __init__(self, *, per_caller: int) -> None:
        self.per_caller = per_caller
        self._open: Counter[str] = Counter()

    def open_for(self, caller: str) -> int:
        return self._open[caller]

    @contextlib.contextmanager
    def hold(self, caller: str, *, on_socket: int, per_socket: int) -> Iterator[None]:
        """One slot while the block runs; ``SUBSCRIPTION_LIMIT`` if none is free."""
        if on_socket >= per_socket:
            raise _refusal(f"at most {per_socket} subscriptions may run on one WebSocket")
        if self._open[caller] >= self.per_caller:
            raise _refusal(f"at most {self.per_caller} subscriptions may run per key (or address)")
        self._open[caller] += 1
        try:
            yield
        finally:
            self._open[caller] -= 1
            if self._open[caller] <= 0:
                del self._open[caller]


def _refusal(message: str) -> GraphQLError:
    return GraphQLError(f"{message}; close one first", extensions={"code": "SUBSCRIPTION_LIMIT"})
