"""A request's time budget, checked between the steps of its judging work.

Encoding and judging run in worker threads, which cannot be interrupted; instead the work asks
``check_deadline()`` before each step (a batch of pairs, a candidate list) and stops there once
the budget is spent or the client has left. The budget travels in a context variable, which
Starlette's and asyncio's thread pools carry into the threads; work outside a request (the
stance graph's background judge, the CLI) has no budget and never stops.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar

from crosscheck.errors import ClientGoneError, DeadlineExceededError


class Deadline:
    """When the work for one request must stop: a moment (or none), or the client leaving."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._expires_at = None if seconds is None else time.monotonic() + seconds
        self._abandoned = threading.Event()

    def abandon(self) -> None:
        """The client left: nobody waits for the answer any more (thread-safe)."""
        self._abandoned.set()

    def check(self) -> None:
        """Raise ``ClientGoneError`` or ``DeadlineExceededError`` if the work should stop."""
        if self._abandoned.is_set():
            raise ClientGoneError("the client closed the connection; the work stopped")
        if self._expires_at is not None and time.monotonic() >= self._expires_at:
            raise DeadlineExceededError(
                f"the request ran past its time budget of {self.seconds:g} s and was stopped;"
                " ask for fewer candidates (top_k) or shorter text, or retry when the server is"
                " less busy"
            )


_current: ContextVar[Deadline | None] = ContextVar("crosscheck_deadline", default=None)


@contextlib.contextmanager
def deadline_scope(deadline: Deadline) -> Iterator[None]:
    """Make ``deadline`` the one that ``check_deadline`` consults within the block."""
    token = _current.set(deadline)
    try:
        yield
    finally:
        _current.reset(token)


def check_deadline() -> None:
    """Stop here (raise) if the current request's budget is spent or its client left."""
    deadline = _current.get()
    if deadline is not None:
        deadline.check()
