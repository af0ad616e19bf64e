"""Prometheus metrics the domain records: encoder and index timings, rows of bulk loads.

They live in the process-wide default registry (a server is one process; see the README on
running several workers). The API adds its own request metrics and serves them at ``/metrics``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from prometheus_client import Counter, Gauge, Histogram

from embeddings.encoders.base import Encoder, Vectors

# Encoding a batch of claims takes milliseconds to seconds; a rebuild batch longer.
SECONDS_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

ENCODER_SECONDS = Histogram(
    "crosscheck_encoder_seconds",
    "Time to encode one batch of texts into vectors",
    buckets=SECONDS_BUCKETS,
)
ENCODER_TEXTS = Counter("crosscheck_encoder_texts", "Texts encoded into vectors")
INDEX_SECONDS = Histogram(
    "crosscheck_index_seconds",
    "Time of one vector index operation (search, add, remove, save, sync)",
    ["operation"],
    buckets=SECONDS_BUCKETS,
)
LOAD_ROWS = Counter(
    "crosscheck_load_rows",
    "Rows of bulk loads by what became of them (created, exists, error)",
    ["kind", "status"],
)
LOAD_JOBS = Counter("crosscheck_load_jobs", "Bulk loads received over HTTP", ["kind"])
GRAPH_LAG_CLAIMS = Gauge(
    "crosscheck_graph_lag_claims", "Stored claims the stance graph has not judged yet"
)
GRAPH_LAG_SECONDS = Gauge(
    "crosscheck_graph_lag_seconds", "How long the oldest claim not yet in the stance graph waited"
)


def count_rows(kind: str, statuses: Iterable[str]) -> None:
    """Add a batch's row outcomes to ``crosscheck_load_rows_total``."""
    tally: dict[str, int] = {}
    for status in statuses:
        tally[status] = tally.get(status, 0) + 1
    for status, rows in tally.items():
        LOAD_ROWS.labels(kind=kind, status=status).inc(rows)


class TimedEncoder:
    """An encoder that records how long each batch takes (``crosscheck_encoder_seconds``)."""

    def __init__(self, encoder: Encoder) -> None:
        self._encoder = encoder

    @property
    def model_name(self) -> str:
        return self._encoder.model_name

    @property
    def dimension(self) -> int:
        return self._encoder.dimension

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return self._encoder.encode(texts)
        with ENCODER_SECONDS.time():
            vectors = self._encoder.encode(texts)
        ENCODER_TEXTS.inc(len(texts))
        return vectors
