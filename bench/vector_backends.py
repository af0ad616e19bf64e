"""FAISS against pgvector on the same claim vectors: ingest, search latency (k=10), recall@10.

Usage: python bench/vector_backends.py [--claims 5000 20000] [--queries 300]
                                       [--data-dir ../shared/data] [--pgvector-url URL]

The vectors are real all-MiniLM-L6-v2 embeddings of sentences from the FNC-1 training bodies
(queries are other sentences, as a verification would bring new text), or, without the data
folder, synthetic unit vectors clustered like them. Without --pgvector-url a throwaway PostgreSQL
with pgvector is started from the pgserver package. Both backends are driven through the index
contract, as the service drives them. Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from embeddings.ann.base import VectorIndex
from embeddings.ann.faiss import FaissIndex
from embeddings.ann.pgvector import PgVectorIndex, drop_tables
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder

K = 10
BATCH = 512
CACHE_DIR = Path(__file__).resolve().parent.parent / "var" / "bench"
EF_SEARCH = (40, 100, 200)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def fnc1_sentences(data_dir: Path) -> Iterator[str]:
    """Distinct sentences of 8 to 60 words from the FNC-1 training bodies, in file order."""
    csv.field_size_limit(sys.maxsize)
    seen: set[str] = set()
    with (data_dir / "fnc1" / "train_bodies.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for sentence in SENTENCE_END.split(" ".join(row["articleBody"].split())):
                if 8 <= len(sentence.split()) <= 60 and sentence not in seen:
                    seen.add(sentence)
                    yield sentence


def real_vectors(data_dir: Path, count: int) -> npt.NDArray[np.float32]:
    """Encoded once (cached under var/bench) in a child process: torch's threads must not
    share this process with FAISS's."""
    cache = CACHE_DIR / f"fnc1-minilm-{count}.npy"
    if cache.is_file():
        print(f"FNC-1 body sentence vectors from {cache}", flush=True)
        return np.load(cache)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as child:
        vectors = child.submit(_encode_sentences, data_dir, count).result()
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return vectors


def _encode_sentences(data_dir: Path, count: int) -> npt.NDArray[np.float32]:
    sentences = []
    for sentence in fnc1_sentences(data_dir):
        sentences.append(sentence)
        if len(sentences) == count:
            break
    started = time.perf_counter()
    vectors = SentenceTransformerEncoder().encode(sentences)
    print(
        f"encoded {len(sentences):,} FNC-1 body sentences in {time.perf_counter() - started:.0f} s"
    )
    return vectors


def synthetic_vectors(count: int, dim: int = 384) -> npt.NDArray[np.float32]:
    rng = np.random.default_rng(1)
    topics = rng.normal(size=(max(count // 200, 8), dim))
    stories = topics[rng.integers(0, len(topics), size=max(count // 10, 8))]
    stories += rng.normal(0, 0.6, size=stories.shape)
    points = stories[rng.integers(0, len(stories), size=count)] + rng.normal(0, 0.5, (count, dim))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


def add_all(index: VectorIndex, vectors: npt.NDArray[np.float32], first_id: int = 1) -> float:
    """Adds in batches as a bulk load does; returns vectors per second."""
    ids = np.arange(first_id, first_id + len(vectors), dtype=np.int64)
    started = time.perf_counter()
    for start in range(0, len(vectors), BATCH):
        index.add(ids[start : start + BATCH], vectors[start : start + BATCH])
    return len(vectors) / (time.perf_counter() - started)


def searched(
    name: str, index: VectorIndex, queries: npt.NDArray[np.float32], exact: npt.NDArray[np.int64]
) -> None:
    index.search(queries[:5], K)  # warm caches and connections
    latencies, found = [], []
    for query in queries:
        started = time.perf_counter()
        _, hit = index.search(query, K)
        latencies.append((time.perf_counter() - started) * 1000)
        found.append(hit[0])
    recall = statistics.mean(
        len(set(f.tolist()) & set(e.tolist())) / K for f, e in zip(found, exact, strict=True)
    )
    print(
        f"  {name:<26} search p50 {percentile(latencies, 0.5):6.2f} ms   "
        f"p99 {percentile(latencies, 0.99):6.2f} ms   recall@10 {recall:.3f}",
        flush=True,
    )


def compare(
    engine: Engine, store: npt.NDArray[np.float32], queries: npt.NDArray[np.float32]
) -> None:
    dim = store.shape[1]
    exact = np.argsort(-(queries @ store.T), axis=1)[:, :K] + 1
    print(f"{len(store):,} claims, {len(queries)} queries one at a time")

    faiss_index = FaissIndex(CACHE_DIR).create(model="bench", dimension=dim)  # never saved
    print(f"  {'faiss flat (exact)':<26} add {add_all(faiss_index, store):>9,.0f}/s")
    searched("faiss flat (exact)", faiss_index, queries, exact)

    pgvector = PgVectorIndex(engine).create(model="bench", dimension=dim)
    rate = add_all(pgvector, store)
    started = time.perf_counter()
    pgvector.save()
    build = time.perf_counter() - started
    print(
        f"  {'pgvector hnsw':<26} add {rate:>9,.0f}/s, then HNSW build {build:.1f} s "
        f"({len(store) / build:,.0f}/s)"
    )
    for ef_search in EF_SEARCH:
        index = PgVectorIndex(engine, ef_search=ef_search).load(model="bench", dimension=dim)
        searched(f"pgvector hnsw ef={ef_search}", index, queries, exact)
    extra = store[: min(1000, len(store))]
    rate = add_all(pgvector, extra, first_id=len(store) + 1)
    print(f"  {'pgvector hnsw':<26} add {rate:>9,.0f}/s into the built HNSW index (running server)")


def pgvector_admin_url(stack: ExitStack, given: str | None) -> str:
    if given:
        return given
    import pgserver

    folder = tempfile.mkdtemp(prefix="crosscheck-bench-pgvector-")
    stack.callback(shutil.rmtree, folder, ignore_errors=True)
    server = pgserver.get_server(folder, cleanup_mode="stop")
    stack.callback(server.cleanup)
    uri: str = server.get_uri()
    return uri.replace("postgresql://", "postgresql+psycopg://", 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--pgvector-url", help="a PostgreSQL database where pgvector is available")
    args = parser.parse_args()

    wanted = max(args.claims) + args.queries
    if (args.data_dir / "fnc1" / "train_bodies.csv").is_file():
        vectors = real_vectors(args.data_dir, wanted)
    else:
        print(f"no FNC-1 data in {args.data_dir}: synthetic clustered vectors")
        vectors = synthetic_vectors(wanted)
    # Queries are sentences the store does not hold; stores are prefixes of the rest.
    queries, pool = vectors[: args.queries], vectors[args.queries :]

    with ExitStack() as stack:
        engine = create_engine(pgvector_admin_url(stack, args.pgvector_url))
        stack.callback(engine.dispose)
        with engine.begin() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
            version = connection.execute(
                text("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
            ).scalar_one()
            server = connection.execute(text("SHOW server_version")).scalar_one()
        print(f"pgvector {version} on PostgreSQL {server}, k={K}")
        try:
            for count in args.claims:
                compare(engine, pool[:count], queries)
        finally:
            drop_tables(engine)


if __name__ == "__main__":
    main()
