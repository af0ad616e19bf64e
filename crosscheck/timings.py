"""Where a request's time went, step by step (the ``Server-Timing`` header, benchmarks)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator


@contextlib.contextmanager
def timed(timings: dict[str, float], step: str) -> Iterator[None]:
    """Add the milliseconds the block takes to ``timings[step]``."""
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[step] = timings.get(step, 0.0) + (time.perf_counter() - started) * 1000


def server_timing(timings: dict[str, float]) -> str:
    """``timings`` as a ``Server-Timing`` header value (readable by browsers' dev tools)."""
    return ", ".join(f"{step};dur={ms:.2f}" for step, ms in timings.items())
