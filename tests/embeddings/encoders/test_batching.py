"""Concurrent small calls are gathered into one; each caller gets its own results."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from embeddings.encoders.batching import BatchingEncoder, MicroBatcher
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder


class _Recorder:
    """Doubles numbers, remembering each batch it was called with."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.lock = threading.Lock()

    def __call__(self, items: list[int]) -> Sequence[int]:
        with self.lock:
            self.batches.append(list(items))
        return [2 * item for item in items]


def test_concurrent_jobs_within_the_window_run_as_one_call() -> None:
    recorder = _Recorder()
    batcher = MicroBatcher(recorder, window=0.2, max_items=1000)
    jobs = [[i, i + 100] for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(batcher.run, jobs))
    batcher.close()
    assert results == [[2 * a, 2 * b] for a, b in jobs]
    assert len(recorder.batches) < len(jobs)
    assert sorted(x for batch in recorder.batches for x in batch) == sorted(
        x for job in jobs for x in job
    )


def test_batches_never_exceed_max_items_unless_one_job_does() -> None:
    recorder = _Recorder()
    batcher = MicroBatcher(recorder, window=0.1, max_items=4)
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(batcher.run, [[i, i] for i in range(6)]))
    batcher.close()
    assert results == [[2 * i, 2 * i] for i in range(6)]
    assert all(len(batch) <= 4 for batch in recorder.batches)


def test_a_failure_reaches_every_caller_and_the_worker_goes_on() -> None:
    def fail_on_negative(items: list[int]) -> list[int]:
        if any(item < 0 for item in items):
            raise ValueError("negative")
        return items

    batcher = MicroBatcher(fail_on_negative, window=0.0, max_items=10)
    with pytest.raises(ValueError, match="negative"):
        batcher.run([-1])
    assert batcher.run([3]) == [3]
    batcher.close()
    with pytest.raises(RuntimeError, match="closed"):
        batcher.run([1])


def test_batching_encoder_gives_each_caller_its_vectors(
    encoder: SentenceTransformerEncoder,
) -> None:
    texts = [f"Officials counted {n} ballots in the northern district." for n in range(12)]
    batching = BatchingEncoder(encoder, window=0.05, max_items=64)
    with ThreadPoolExecutor(6) as pool:
        rows = list(pool.map(lambda text: batching.encode([text]), texts))
    expected = encoder.encode(texts)
    for row, want in zip(rows, expected, strict=True):
        assert row.shape == (1, 384)
        assert float(row[0] @ want) >= 0.9999
    assert batching.batches < len(texts)
    # Bulk calls go straight to the model.
    before = batching.batches
    assert batching.encode(texts * 10).shape == (120, 384)
    assert batching.batches == before
    assert batching.encode([]).shape == (0, 384)
    batching.close()
    assert np.isfinite(expected).all()
