"""Claim matching: CheckThat! 2020 task 2 accuracy per retrieval mode, and /v1/search speed.

Usage: python bench/claim_matching.py [--split dev|train] [--sizes 10000,1000000] [--requests 200]
                                      [--work-dir var/bench-matching] [--data-dir ../shared/data]

One run prints, on this machine:
- the raw one-sentence encode p50 of the encoder the server uses (``load_encoder`` with the
  settings' backend: ONNX Runtime for one text by default), the yardstick the search times are
  divided by; and, for scale, the encode of one normalised tweet;
- accuracy on the CLEF CheckThat! 2020 task 2 tweets of ``--split`` (the test tweets are held out
  and never read): a real server (``crosscheck serve``) on a fresh SQLite database, the verified
  claims loaded through ``POST /v1/claims/bulk`` (NDJSON, source "Snopes", ``external_id`` = the
  vclaim id, ``title`` = the fact-check's headline), then each tweet sent to ``POST /v1/search``
  with ``top_k`` 10 under each retrieval mode (hybrid; lexical = BM25 alone; semantic = the
  vectors alone): MAP@1, MAP@5 (the task's definition: precision at each relevant rank up to k,
  summed, over min(relevant, k)), MRR (within the 10 returned) and recall@10;
- per store size, ``POST /v1/search`` over HTTP from one client, ``--requests`` tweets per mode:
  p50 / p99, as ratios to the raw encode, and the server's own split of the time (its
  Server-Timing header: lexical, encode, search, fetch; p50 each; in hybrid retrieval the encode
  runs beside the lexical query, so the steps may overlap). A size up to 20,000 is the CheckThat
  store itself (10,375 rows, 10,368 distinct texts); a larger one is a synthetic store of that
  many claims, written straight into SQLite (the FTS5 triggers of migrations 0010 and 0012 fill
  the lexical index) with a FAISS index saved beside it (IVF from 50,000 claims by default), so
  the server loads both instead of encoding a million texts. Its texts are the verified claims,
  each with a number (``... #123456``) and its headline as title: the words' document frequencies
  grow with the store, and no word is in every claim (a pessimistic store for words about one
  topic, which recur in about size / 10,368 claims; a real store's are more varied). Its vectors
  are real embeddings of those claims plus noise (cosine 0.74-0.96 to them, as in
  bench/verify.py).

Figures only; nothing is asserted. The machine's load average is printed at the start and end.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import free_port, server
from verify import (
    Matrix,
    cached_embeddings,
    clustered_vectors,
    load_average,
    ms,
    pct,
    section,
    server_timing,
    write_store,
)

from crosscheck.matching.posts import normalize_post
from crosscheck.migrations import upgrade
from crosscheck.settings import Settings
from embeddings.ann.faiss import FaissIndex, IndexLayout, saved_index_file
from embeddings.encoders.base import Encoder
from embeddings.encoders.factory import load_encoder

ROOT = Path(__file__).resolve().parent.parent
MODES = ("hybrid", "lexical", "semantic")
STEPS = ("lexical", "encode", "search", "fetch")
TOP_K = 10
SOURCE = "Snopes"
# Sizes up to this are measured on the CheckThat store itself (10,373 claims).
CHECKTHAT_STORE_UP_TO = 20_000
WARM_UP_REQUESTS = 5


# ---------------------------------------------------------------------------------------------
# CheckThat! 2020 task 2
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifiedClaim:
    vclaim_id: str
    text: str
    title: str  # the fact-check's headline


@dataclass(frozen=True)
class Tweet:
    tweet_id: str
    text: str
    relevant: frozenset[str]  # vclaim ids


def read_tsv(path: Path) -> list[list[str]]:
    """The rows of a CheckThat TSV file, its header row left out."""
    csv.field_size_limit(sys.maxsize)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    return rows[1:]


def verified_claims(folder: Path) -> list[VerifiedClaim]:
    return [
        VerifiedClaim(vclaim_id=row[0], text=row[1].strip(), title=row[2].strip())
        for row in read_tsv(folder / "verified_claims.docs.tsv")
    ]


def tweets(folder: Path, split: str) -> list[Tweet]:
    """The tweets of ``split`` with their relevant verified claims (tweets without one: out)."""
    relevant: dict[str, set[str]] = {}
    for line in (folder / split / "tweet-vclaim-pairs.qrels").read_text().splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] != "0":
            relevant.setdefault(parts[0], set()).add(parts[2])
    return [
        Tweet(tweet_id=row[0], text=row[1], relevant=frozenset(relevant[row[0]]))
        for row in read_tsv(folder / split / "tweets.queries.tsv")
        if row[0] in relevant
    ]


def average_precision(ranked: Sequence[frozenset[str]], relevant: frozenset[str], k: int) -> float:
    """AP@k as CheckThat! 2020 task 2 scores it: the precision at each rank (up to ``k``) that
    holds a relevant claim, summed, over min(number relevant, k). ``ranked``: each returned
    claim as the vclaim ids it stands for (a duplicate text is stored once)."""
    found: set[str] = set()
    total = 0.0
    for rank, vclaims in enumerate(ranked[:k], start=1):
        new = (vclaims & relevant) - found
        if new:
            found |= new
            total += len(found) / rank
    return total / min(len(relevant), k)


def reciprocal_rank(ranked: Sequence[frozenset[str]], relevant: frozenset[str]) -> float:
    return next((1 / rank for rank, v in enumerate(ranked, start=1) if v & relevant), 0.0)


def recall(ranked: Sequence[frozenset[str]], relevant: frozenset[str], k: int) -> float:
    found = set().union(*ranked[:k]) & relevant if ranked else set()
    return len(found) / len(relevant)


# ---------------------------------------------------------------------------------------------
# The encoder alone
# ---------------------------------------------------------------------------------------------


def encode_p50(encoder: Encoder, texts: Sequence[str], count: int = 100) -> float:
    """Median ms to encode one text, over up to ``count`` texts (at most 30 s)."""
    encoder.encode(list(texts[:8]))
    times: list[float] = []
    deadline = time.monotonic() + 30
    for i in range(count):
        if times and time.monotonic() > deadline:
            break
        started = time.perf_counter()
        encoder.encode([texts[i % len(texts)]])
        times.append(ms(time.perf_counter() - started))
    return statistics.median(times)


def bench_encoder(encoder: Encoder, claims: Sequence[str], posts: Sequence[str]) -> float:
    section(f"encoder alone: {type(encoder).__name__} ({encoder.model_name})")
    sentence = encode_p50(encoder, claims)
    post = encode_p50(encoder, [normalize_post(text) for text in posts])
    print(f"one sentence (a verified claim) p50 {sentence:.2f} ms   <- the yardstick below")
    print(f"one tweet, normalised as /v1/search does, p50 {post:.2f} ms")
    return sentence


# ---------------------------------------------------------------------------------------------
# A server and its store
# ---------------------------------------------------------------------------------------------


def server_env(database: Path, index_dir: Path, onnx_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CROSSCHECK_DATABASE_URL": f"sqlite:///{database}",
        "CROSSCHECK_INDEX_DIR": str(index_dir),
        "CROSSCHECK_ONNX_DIR": str(onnx_dir),
        "CROSSCHECK_LOG_LEVEL": "WARNING",  # no access log line per request
        # Search judges no stance: the background judge would only compete for the cores.
        "CROSSCHECK_STANCE_GRAPH": "false",
        # Thousands of requests from one address would hit the per-address limits.
        "CROSSCHECK_RATE_LIMIT_READ": "",
        "CROSSCHECK_RATE_LIMIT_WRITE": "",
        "HF_HUB_OFFLINE": "1",
    }


@contextmanager
def running_server(
    name: str, database: Path, index_dir: Path, onnx_dir: Path, claims: int
) -> Iterator[str]:
    """A ``crosscheck serve`` process on ``database``; yields its base URL."""
    port = free_port()
    started = time.perf_counter()
    with server(
        server_env(database, index_dir, onnx_dir), port, database.parent / "server.log"
    ) as p:
        memory = psutil.Process(p.pid).memory_info().rss
        print(
            f"{name}: server ready in {time.perf_counter() - started:.1f}s, "
            f"RSS {memory / 2**20:,.0f} MiB ({f'{claims:,} claims' if claims else 'empty'})",
            flush=True,
        )
        yield f"http://127.0.0.1:{port}"


def bulk_load(base: str, claims: Sequence[VerifiedClaim]) -> dict[str, frozenset[str]]:
    """Load ``claims`` through ``POST /v1/claims/bulk``; for each stored claim's external_id,
    the vclaim ids it stands for (a text the source already said is stored once: its later
    rows answer ``exists``)."""
    body = "".join(
        json.dumps(
            {"text": c.text, "source": SOURCE, "external_id": c.vclaim_id}
            | ({"title": c.title} if c.title else {})
        )
        + "\n"
        for c in claims
    ).encode()
    started = time.perf_counter()
    response = httpx.post(
        f"{base}/v1/claims/bulk",
        content=body,
        headers={"content-type": "application/x-ndjson"},
        timeout=3600,
    )
    seconds = time.perf_counter() - started
    response.raise_for_status()
    answer = response.json()
    totals = answer["totals"]
    print(
        f"POST /v1/claims/bulk: {totals['rows']:,} rows ({len(body) / 1e6:.1f} MB NDJSON) in "
        f"{seconds:.1f}s ({totals['rows'] / seconds:,.0f} rows/s): {totals['created']:,} created, "
        f"{totals['exists']:,} exists (same text), {totals['rejected']:,} rejected"
    )
    stored_as: dict[int, str] = {}  # claim id -> its external_id
    stands_for: dict[int, set[str]] = {}
    for result in answer["results"]:
        if result["status"] == "error":
            print(f"  line {result['line']} rejected: {result['error']}")
            continue
        vclaim_id = claims[result["line"] - 1].vclaim_id
        if result["status"] == "created":
            stored_as[result["id"]] = vclaim_id
        stands_for.setdefault(result["id"], set()).add(vclaim_id)
    return {stored_as[claim_id]: frozenset(ids) for claim_id, ids in stands_for.items()}


@dataclass
class Answer:
    """One ``POST /v1/search``: its items, how many parts of the text were matched, the round
    trip in ms, and the Server-Timing steps."""

    items: list[dict[str, Any]]
    parts: int
    elapsed: float
    steps: dict[str, float]


def search(client: httpx.Client, base: str, text: str, mode: str) -> Answer:
    started = time.perf_counter()
    response = client.post(
        f"{base}/v1/search", json={"text": text, "top_k": TOP_K, "retrieval": mode}
    )
    elapsed = ms(time.perf_counter() - started)
    if response.status_code != 200:
        raise RuntimeError(f"/v1/search answered {response.status_code}: {response.text}")
    body = response.json()
    return Answer(
        items=body["items"],
        parts=len(body["query"]["parts"]),
        elapsed=elapsed,
        steps=server_timing(response.headers.get("server-timing", "")),
    )


# ---------------------------------------------------------------------------------------------
# Accuracy
# ---------------------------------------------------------------------------------------------


@dataclass
class Accuracy:
    map1: float
    map5: float
    mrr: float
    recall10: float


def bench_accuracy(
    base: str, split: str, queries: Sequence[Tweet], stands_for: dict[str, frozenset[str]]
) -> dict[str, Accuracy]:
    """Every tweet through /v1/search under each mode, scored against the qrels."""
    section(f"accuracy: CheckThat! 2020 task 2, {split} ({len(queries)} tweets), top_k {TOP_K}")
    results: dict[str, Accuracy] = {}
    print(f"{'retrieval':10s} {'MAP@1':>7s} {'MAP@5':>7s} {'MRR':>7s} {'recall@10':>10s}")
    with httpx.Client(timeout=120) as client:
        for mode in MODES:
            scores: dict[str, list[float]] = {"map1": [], "map5": [], "mrr": [], "recall": []}
            split_posts = 0
            for tweet in queries:
                answer = search(client, base, tweet.text, mode)
                split_posts += answer.parts > 1
                ranked = [
                    stands_for.get(str(item["claim"]["external_id"]), frozenset())
                    for item in answer.items
                ]
                scores["map1"].append(average_precision(ranked, tweet.relevant, 1))
                scores["map5"].append(average_precision(ranked, tweet.relevant, 5))
                scores["mrr"].append(reciprocal_rank(ranked, tweet.relevant))
                scores["recall"].append(recall(ranked, tweet.relevant, TOP_K))
            results[mode] = Accuracy(*(statistics.fmean(scores[key]) for key in scores))
            figures = results[mode]
            print(
                f"{mode:10s} {figures.map1:7.3f} {figures.map5:7.3f} {figures.mrr:7.3f} "
                f"{figures.recall10:10.3f}",
                flush=True,
            )
    print(
        f"({split_posts} of {len(queries)} tweets are longer than a tweet once normalised: "
        "matched whole and sentence by sentence)"
    )
    return results


# ---------------------------------------------------------------------------------------------
# Speed
# ---------------------------------------------------------------------------------------------


@dataclass
class Latency:
    p50: float
    p99: float
    steps: dict[str, float] = field(default_factory=dict)  # Server-Timing p50 per step


def bench_speed(
    base: str, name: str, claims: int, texts: Sequence[str], requests: int, encode: float
) -> dict[str, Latency]:
    """``requests`` sequential searches per mode from one client, cycling through ``texts``.

    The steps' p50s need not add up to the total's: "http+rest" is the p50 of each request's
    round trip less the sum of its steps, below zero where steps overlap (hybrid retrieval
    encodes on another thread while the lexical query runs). A long post is matched whole and
    sentence by sentence (one lexical query and one vector per part), so the lexical step is
    also split by the number of parts.
    """
    section(f"POST /v1/search over HTTP: {name} ({claims:,} claims), one client")
    results: dict[str, Latency] = {}
    print(
        f"{'retrieval':10s} {'p50 ms':>8s} {'p99 ms':>8s} {'p50/enc':>8s} {'p99/enc':>8s}   "
        "Server-Timing p50 ms: " + " ".join(f"{step:>7s}" for step in STEPS) + "  http+rest"
    )
    with httpx.Client(timeout=120) as client:
        for mode in MODES:
            for text in texts[:WARM_UP_REQUESTS]:
                search(client, base, text, mode)  # the connection, the code paths, the cache
            totals: list[float] = []
            rests: list[float] = []
            steps: dict[str, list[float]] = {}
            lexical_by_parts: dict[bool, list[float]] = {False: [], True: []}
            for i in range(requests):
                answer = search(client, base, texts[i % len(texts)], mode)
                totals.append(answer.elapsed)
                rests.append(answer.elapsed - sum(answer.steps.values()))
                for step, value in answer.steps.items():
                    steps.setdefault(step, []).append(value)
                if "lexical" in answer.steps:
                    lexical_by_parts[answer.parts > 1].append(answer.steps["lexical"])
            split = {step: statistics.median(values) for step, values in steps.items()}
            latency = Latency(p50=statistics.median(totals), p99=pct(totals, 99), steps=split)
            results[mode] = latency
            rest = statistics.median(rests)
            cells = " ".join(
                f"{split[step]:7.2f}" if step in split else f"{'-':>7s}" for step in STEPS
            )
            print(
                f"{mode:10s} {latency.p50:8.2f} {latency.p99:8.2f} {latency.p50 / encode:7.2f}x "
                f"{latency.p99 / encode:7.2f}x   {'':21s}{cells}  {rest:9.2f}",
                flush=True,
            )
            if mode == "hybrid" and lexical_by_parts[True] and lexical_by_parts[False]:
                print(
                    "  hybrid's lexical step, p50 / p99 ms: "
                    + ";  ".join(
                        f"{label} {statistics.median(values):.2f} / {pct(values, 99):.2f} "
                        f"({len(values)} requests)"
                        for label, values in (
                            ("posts matched whole", lexical_by_parts[False]),
                            ("long posts, whole and by sentence", lexical_by_parts[True]),
                        )
                    ),
                    flush=True,
                )
    return results


# ---------------------------------------------------------------------------------------------
# Stores
# ---------------------------------------------------------------------------------------------


def checkthat_store(
    args: argparse.Namespace,
    folder: Path,
    claims: Sequence[VerifiedClaim],
    queries: Sequence[Tweet],
    onnx_dir: Path,
    encode: float,
) -> tuple[dict[str, Accuracy], int, dict[str, Latency] | None]:
    """The verified claims on a fresh database, loaded over HTTP; accuracy, and speed if asked."""
    section(f"CheckThat! store: {len(claims):,} verified claims through the bulk API")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    database = folder / "crosscheck.db"
    upgrade(f"sqlite:///{database}")
    with running_server("CheckThat store", database, folder / "index", onnx_dir, 0) as base:
        stands_for = bulk_load(base, claims)
        accuracy = bench_accuracy(base, args.split, queries, stands_for)
        latency = None
        if any(size <= CHECKTHAT_STORE_UP_TO for size in args.sizes):
            latency = bench_speed(
                base,
                "CheckThat store",
                len(stands_for),
                [t.text for t in queries],
                args.requests,
                encode,
            )
    return accuracy, len(stands_for), latency


def synthetic_store(
    size: int,
    args: argparse.Namespace,
    folder: Path,
    claims: Sequence[VerifiedClaim],
    centres: Matrix,
    queries: Sequence[Tweet],
    onnx_dir: Path,
    encode: float,
    encoder: Encoder,
) -> dict[str, Latency]:
    """``size`` synthetic claims written straight into SQLite and a saved FAISS index."""
    section(f"synthetic store: {size:,} claims (verified claims + a number, clustered vectors)")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    database = folder / "crosscheck.db"
    vectors, centre = clustered_vectors(centres, size, seed=size)
    texts = [f"{claims[c].text} #{i}" for i, c in enumerate(centre.tolist(), start=1)]
    titles = [claims[c].title or None for c in centre.tolist()]
    del centre
    started = time.perf_counter()
    write_store(f"sqlite:///{database}", texts, titles)  # ids 1..size in order
    seconds = time.perf_counter() - started
    print(
        f"database rows written in {seconds:.0f}s ({size / seconds:,.0f} rows/s, FTS5 triggers "
        f"included); {database.stat().st_size / 2**20:,.0f} MiB"
    )
    del texts, titles
    gc.collect()
    settings = Settings()
    layout = IndexLayout(
        kind=settings.index_kind, ivf_min_claims=settings.ivf_min_claims, nprobe=settings.ivf_nprobe
    )
    started = time.perf_counter()
    index = FaissIndex(folder / "index", layout=layout).create(
        model=encoder.model_name, dimension=encoder.dimension
    )
    index.add(np.arange(1, size + 1, dtype=np.int64), vectors)
    del vectors
    index.reshape()
    index.save()
    print(
        f"FAISS index ({index.kind} {index.params}) built and saved in "
        f"{time.perf_counter() - started:.0f}s; "
        f"{saved_index_file(folder / 'index').stat().st_size / 2**20:,.0f} MiB"
    )
    index.close()
    del index
    gc.collect()
    with running_server("synthetic store", database, folder / "index", onnx_dir, size) as base:
        return bench_speed(
            base, "synthetic store", size, [t.text for t in queries], args.requests, encode
        )


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    parser.add_argument("--sizes", default="10000,1000000", help="store sizes timed")
    parser.add_argument("--requests", type=int, default=200, help="timed searches per mode")
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--work-dir", type=Path, default=ROOT / "var" / "bench-matching")
    args = parser.parse_args()
    args.sizes = [int(x) for x in args.sizes.split(",") if x]
    work: Path = args.work_dir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    data = args.data_dir / "checkthat2020"
    run_started = time.perf_counter()
    print(f"crosscheck bench/claim_matching.py; {load_average()}")

    claims = verified_claims(data)
    queries = tweets(data, args.split)
    print(
        f"CheckThat! 2020 task 2: {len(claims):,} verified claims, {len(queries)} {args.split} "
        f"tweets ({sum(len(t.relevant) for t in queries)} relevant pairs)"
    )
    settings = Settings(index_dir=work / "index")
    onnx_dir = settings.onnx_cache_dir
    encoder = load_encoder(
        backend=settings.encoder_backend,
        model=settings.model,
        onnx_dir=onnx_dir / "encoder",
        batch_size=settings.encode_batch_size,
        onnx_max_batch=settings.onnx_max_batch,
    )
    encode = bench_encoder(encoder, [c.text for c in claims], [t.text for t in queries])

    accuracy, stored, small = checkthat_store(
        args, work / "checkthat", claims, queries, onnx_dir, encode
    )
    shutil.rmtree(work / "checkthat", ignore_errors=True)
    speed: dict[str, dict[str, Latency]] = {}
    if small is not None:
        speed[f"CheckThat store ({stored:,} claims)"] = small
    large = [size for size in args.sizes if size > CHECKTHAT_STORE_UP_TO]
    if large:
        texts = [c.text for c in claims]
        centres = cached_embeddings(
            work,
            "verified-claims",
            texts,
            lambda batch: np.vstack(
                [encoder.encode(batch[i : i + 256]) for i in range(0, len(batch), 256)]
            ),
        )
        for size in large:
            folder = work / f"store-{size}"
            try:
                speed[f"synthetic store ({size:,} claims)"] = synthetic_store(
                    size, args, folder, claims, centres, queries, onnx_dir, encode, encoder
                )
            finally:
                shutil.rmtree(folder, ignore_errors=True)

    section("summary")
    for mode, figures in accuracy.items():
        print(
            f"{args.split} {mode:8s}: MAP@1 {figures.map1:.3f}  MAP@5 {figures.map5:.3f}  "
            f"MRR {figures.mrr:.3f}  recall@10 {figures.recall10:.3f}"
        )
    for name, modes in speed.items():
        hybrid = modes["hybrid"]
        split = ", ".join(f"{step} {hybrid.steps.get(step, 0):.1f}" for step in STEPS)
        print(
            f"{name}: hybrid /v1/search p50 {hybrid.p50:.1f} ms = {hybrid.p50 / encode:.2f}x the "
            f"raw one-sentence encode ({encode:.1f} ms), p99 {hybrid.p99:.1f} ms = "
            f"{hybrid.p99 / encode:.2f}x; Server-Timing p50 ms: {split}"
        )
    print(f"done in {time.perf_counter() - run_started:.0f}s; {load_average()}")


if __name__ == "__main__":
    main()
