"""Rate limits per key (per client address for callers without one), counted by ``limits``."""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem, parse_many, storage
from limits.strategies import MovingWindowRateLimiter

from crosscheck.access.exceptions import RateLimitedError
from crosscheck.access.models import Scope
from crosscheck.access.schemas import Caller

log = logging.getLogger(__name__)


def parse_limits(value: str | None) -> list[RateLimitItem]:
    """``"600/minute"`` or ``"10/second; 600/minute"``; empty or None: no limit."""
    if value is None or not value.strip():
        return []
    return parse_many(value)


class RateLimits:
    """Reads count against the read limits, writes (and admin calls) against the write limits."""

    def __init__(self, *, read: str | None, write: str | None, storage_url: str) -> None:
        self._items = {"read": parse_limits(read), "write": parse_limits(write)}
        # A moving window: no burst of twice the limit across a window's edge.
        self._limiter = MovingWindowRateLimiter(storage.storage_from_string(storage_url))

    def hit(self, caller: Caller, required: Scope, *, calls: int = 1) -> None:
        """Count ``calls`` calls; raise ``RateLimitedError`` (with the seconds to wait) beyond a
        limit."""
        bucket = "read" if required is Scope.READ else "write"
        identity = caller.rate_identity
        for item in self._items[bucket]:
            try:
                allowed = self._limiter.hit(item, bucket, identity, cost=calls)
            except Exception:  # the shared store (Redis) is down: serve rather than fail
                log.warning("rate limit storage unavailable; call not counted", exc_info=True)
                return
            if not allowed:
                stats = self._limiter.get_window_stats(item, bucket, identity)
                retry_after = max(1, math.ceil(stats.reset_time - time.time()))
                raise RateLimitedError(
                    f"rate limit of {item} for {bucket}s exceeded; retry in {retry_after}s",
                    retry_after=retry_after,
                )
