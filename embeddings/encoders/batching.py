"""Micro-batching: work submitted from many threads within a short window runs as one call.

Concurrent requests each encode one query; a model call costs little more for eight texts than
for one, so a worker thread gathers what arrives within ``window`` seconds (up to ``max_items``)
and makes a single call, then hands each caller its own rows.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import numpy as np

from embeddings.encoders.base import Encoder, Vectors

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class _Job(Generic[T, R]):
    items: Sequence[T]
    future: Future[list[R]] = field(default_factory=Future)


class MicroBatcher(Generic[T, R]):
    """Runs ``process`` on the items of all jobs that arrive together; one worker thread."""

    def __init__(
        self,
        process: Callable[[list[T]], Sequence[R]],
        *,
        window: float,
        max_items: int,
        name: str = "micro-batcher",
    ) -> None:
        self._process = process
        self.window = window
        self.max_items = max_items
        self._jobs: queue.SimpleQueue[_Job[T, R] | None] = queue.SimpleQueue()
        self._closed = False
        self._worker = threading.Thread(target=self._work, name=name, daemon=True)
        self._worker.start()
        self.calls = 0  # how many ``process`` calls were made (batches), for benchmarks

    def submit(self, items: Sequence[T]) -> Future[list[R]]:
        """A future of ``process``'s results for ``items``, in order."""
        job: _Job[T, R] = _Job(items)
        if self._closed:
            job.future.set_exception(RuntimeError("the batcher is closed"))
        else:
            self._jobs.put(job)
        return job.future

    def run(self, items: Sequence[T]) -> list[R]:
        """``process(items)``, batched with whatever else arrives meanwhile (blocks the caller)."""
        if threading.current_thread() is self._worker:  # a nested call must not wait on itself
            return list(self._process(list(items)))
        return self.submit(items).result()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._jobs.put(None)
            self._worker.join(timeout=10)

    def _gather(self, first: _Job[T, R]) -> tuple[list[_Job[T, R]], bool]:
        jobs, size = [first], len(first.items)
        deadline = time.monotonic() + self.window
        while size < self.max_items:
            remaining = deadline - time.monotonic()
            try:
                job = (
                    self._jobs.get(timeout=remaining) if remaining > 0 else self._jobs.get_nowait()
                )
            except queue.Empty:
                break
            if job is None:
                return jobs, True
            jobs.append(job)
            size += len(job.items)
        return jobs, False

    def _work(self) -> None:
        stop = False
        while not stop:
            first = self._jobs.get()
            if first is None:
                break
            jobs, stop = self._gather(first)
            items = [item for job in jobs for item in job.items]
            try:
                results = list(self._process(items))
                self.calls += 1
            except BaseException as exc:  # every caller gets the failure; the worker goes on
                for job in jobs:
                    job.future.set_exception(exc)
                continue
            start = 0
            for job in jobs:
                job.future.set_result(results[start : start + len(job.items)])
                start += len(job.items)


class BatchingEncoder:
    """An ``Encoder`` whose small calls from concurrent threads are encoded together.

    Calls larger than ``max_items`` texts (bulk loads, index rebuilds) go straight through.
    """

    def __init__(self, encoder: Encoder, *, window: float, max_items: int) -> None:
        self.inner = encoder
        self._batcher: MicroBatcher[str, Vectors] = MicroBatcher(
            self._encode_rows, window=window, max_items=max_items, name="query-batcher"
        )

    @property
    def model_name(self) -> str:
        return self.inner.model_name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    @property
    def batches(self) -> int:
        return self._batcher.calls

    def _encode_rows(self, texts: list[str]) -> list[Vectors]:
        return list(self.inner.encode(texts))

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts or len(texts) > self._batcher.max_items:
            return self.inner.encode(texts)
        return np.vstack(self._batcher.run(texts)).astype(np.float32, copy=False)

    def close(self) -> None:
        self._batcher.close()
