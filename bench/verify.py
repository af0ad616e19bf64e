"""Verification at scale: encoder, index, /v1/verify over HTTP, concurrent load, and Chroma.

Usage: python bench/verify.py [--sizes 100000,1000000] [--real-claims 20000] [--duration 60]
                              [--connections 16,64] [--requests 300] [--chroma-size 100000]
                              [--skip-chroma] [--skip-load] [--work-dir var/bench]

One run prints, on this machine:
- the encoder's one-sentence time and throughput per batch size, PyTorch against ONNX Runtime
  (where they cross is the ``CROSSCHECK_ONNX_MAX_BATCH`` default);
- per store (synthetic vectors clustered like real embeddings at each ``--sizes``, and a store of
  ``--real-claims`` generated claim texts with their real embeddings): index build time, search
  p50/p99 (the index in use, and exact search), recall@10 against exact search, memory per claim
  (process RSS and bytes on disk), and the nprobe/recall trade-off for IVF;
- /v1/verify through a real server process (uvicorn on loopback): p50/p99 and where the time
  goes (the app's Server-Timing header: encode, search, fetch, judge), against encoder + search;
- the stance judge alone, PyTorch against ONNX Runtime (same judgements?);
- load from a second process (wrk, installed with apt if missing) at 1 and ``--connections``
  connections for ``--duration`` seconds: requests/s, p50/p99, errors;
- Chroma (installed from PyPI into its own venv under the work folder) fed the same precomputed
  embeddings: ingest rate and query latency beside crosscheck's, as ratios.

Synthetic vectors: real MiniLM embeddings of the generated claims are the centres of a mixture
of Gaussians; each vector is a centre plus noise (cosine 0.74-0.96 to it), normalised. Claim
texts for the synthetic stores are their centre's text with a report number, so the stance judge
sees related candidates as it would in a real store. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import faiss
import httpx
import numpy as np
import numpy.typing as npt
import psutil
from sqlalchemy import create_engine, insert

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import claim_rows
from serving import server
from wrk import REPORT_LUA, run_wrk

from crosscheck.claims.models import Claim
from crosscheck.migrations import upgrade
from crosscheck.runtime import Runtime
from crosscheck.settings import DEFAULT_STANCE_MODEL, Settings
from crosscheck.sources.models import Source
from crosscheck.stance.engine import StanceEngine
from crosscheck.textnorm import content_hash
from crosscheck.verdicts.schemas import VerifyRequest, verification_read
from embeddings.ann.faiss import FaissIndex, IndexLayout, saved_index_file
from embeddings.encoders.onnx import OnnxEncoder
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder

ROOT = Path(__file__).resolve().parent.parent
CHROMA_VERSION = "1.5.9"
Matrix = npt.NDArray[np.float32]


def ms(seconds: float) -> float:
    return seconds * 1000


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] if ordered else float("nan")


def rss() -> int:
    return int(psutil.Process().memory_info().rss)


def section(title: str) -> None:
    print(f"\n== {title} ==", flush=True)


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} (1 / 5 min) on {os.cpu_count()} cores"


# ---------------------------------------------------------------------------------------------
# Encoders
# ---------------------------------------------------------------------------------------------


def bench_encoders(
    torch_encoder: SentenceTransformerEncoder, onnx_encoder: OnnxEncoder, texts: Sequence[str]
) -> dict[str, float]:
    section("encoder: one sentence, and throughput per batch size")
    figures: dict[str, float] = {}
    for name, encoder in (("torch", torch_encoder), ("onnx", onnx_encoder)):
        encoder.encode(texts[:8])
        single: list[float] = []
        deadline = time.monotonic() + 30  # at most 60 sentences or 30 s per backend
        for i in range(60):
            if single and time.monotonic() > deadline:
                break
            started = time.perf_counter()
            encoder.encode([texts[i % len(texts)]])
            single.append(ms(time.perf_counter() - started))
        figures[f"{name}_p50"] = statistics.median(single)
        print(
            f"{name:6s} one sentence p50 {statistics.median(single):6.1f} ms   "
            f"p99 {pct(single, 99):6.1f} ms"
        )
    print(f"ONNX speed-up for one sentence: {figures['torch_p50'] / figures['onnx_p50']:.2f}x")
    print(f"{'batch':>6s} {'torch /s':>10s} {'onnx /s':>10s}  faster")
    crossover = None
    for size in (1, 2, 4, 8, 16, 32, 64, 128, 256):
        rates = {}
        for name, encoder in (("torch", torch_encoder), ("onnx", onnx_encoder)):
            times = []
            for r in range(max(2, 32 // size)):
                batch = texts[r * size : (r + 1) * size]
                started = time.perf_counter()
                encoder.encode(batch)
                times.append(time.perf_counter() - started)
            rates[name] = size / statistics.median(times)
        faster = "onnx" if rates["onnx"] >= rates["torch"] else "torch"
        if faster == "torch" and crossover is None and size > 1:
            crossover = size
        print(f"{size:6d} {rates['torch']:10.0f} {rates['onnx']:10.0f}  {faster}")
    print(
        "PyTorch first faster at batch size "
        + (str(crossover) if crossover else "never (up to 256): ONNX everywhere")
    )
    return figures


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------


def real_texts(count: int, seed: int) -> list[str]:
    return [row["text"] for row in claim_rows(count, seed=seed)]


def cached_embeddings(
    work: Path, name: str, texts: Sequence[str], encode: Callable[[Sequence[str]], Matrix]
) -> Matrix:
    """Embeddings of ``texts``, cached on disk by content (they take minutes to compute)."""
    key = content_hash("\n".join(texts))[:16]
    path = work / f"{name}-{len(texts)}-{key}.npy"
    if path.is_file():
        return np.load(path)
    started = time.perf_counter()
    vectors = np.vstack([encode(texts[i : i + 2048]) for i in range(0, len(texts), 2048)])
    print(f"encoded {len(texts)} texts in {time.perf_counter() - started:.0f}s", flush=True)
    np.save(path, vectors)
    return vectors


def clustered_vectors(centres: Matrix, count: int, seed: int) -> tuple[Matrix, npt.NDArray[Any]]:
    """``count`` unit vectors: a real embedding plus Gaussian noise (cos 0.74-0.96 to it)."""
    rng = np.random.default_rng(seed)
    which = rng.integers(0, len(centres), count)
    out = np.empty((count, centres.shape[1]), dtype=np.float32)
    for start in range(0, count, 100_000):
        part = which[start : start + 100_000]
        sigma = rng.uniform(0.02, 0.06, size=(len(part), 1)).astype(np.float32)
        noisy = centres[part] + sigma * rng.standard_normal(
            (len(part), centres.shape[1]), dtype=np.float32
        )
        out[start : start + len(part)] = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
    return out, which


def exact_neighbours(vectors: Matrix, queries: Matrix, k: int) -> npt.NDArray[np.int64]:
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    _, found = flat.search(queries, k)
    return found.astype(np.int64)


def recall_at(found: npt.NDArray[np.int64], truth: npt.NDArray[np.int64]) -> float:
    k = truth.shape[1]
    shared = [len(set(f[:k].tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True)]
    return float(np.mean(shared)) / k


# ---------------------------------------------------------------------------------------------
# Index
# ---------------------------------------------------------------------------------------------


def bench_index(
    name: str, vectors: Matrix, queries: Matrix, directory: Path, layout: IndexLayout
) -> dict[str, Any]:
    section(f"index: {name} ({len(vectors):,} claims)")
    ids = np.arange(1, len(vectors) + 1, dtype=np.int64)
    gc.collect()
    before = rss()
    started = time.perf_counter()
    index = FaissIndex(directory, layout=layout).create(
        model="all-MiniLM-L6-v2", dimension=vectors.shape[1]
    )
    index.add(ids, vectors)
    index.reshape()
    build = time.perf_counter() - started
    held = rss() - before
    started = time.perf_counter()
    index.save()
    save = time.perf_counter() - started
    disk = saved_index_file(directory).stat().st_size
    print(
        f"kind {index.kind} {index.params}  built in {build:.1f}s "
        f"({len(vectors) / build:,.0f} vectors/s), saved in {save:.1f}s"
    )
    print(
        f"memory per claim: {held / len(vectors):,.0f} B RSS, {disk / len(vectors):,.0f} B on disk "
        f"(vector alone: {vectors.shape[1] * 4} B)"
    )
    truth = exact_neighbours(vectors, queries, 10) + 1
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    exact_times = []
    for i in range(min(60, len(queries))):
        started = time.perf_counter()
        flat.search(queries[i : i + 1], 10)
        exact_times.append(ms(time.perf_counter() - started))
    del flat
    times = []
    found = np.zeros((len(queries), 10), dtype=np.int64)
    for i in range(len(queries)):
        started = time.perf_counter()
        _, row = index.search(queries[i : i + 1], 10)
        times.append(ms(time.perf_counter() - started))
        found[i] = row[0]
    recall = recall_at(found, truth)
    print(
        f"search (k=10, one query) p50 {statistics.median(times):.2f} ms  "
        f"p99 {pct(times, 99):.2f} ms"
        f"   exact p50 {statistics.median(exact_times):.2f} ms  p99 {pct(exact_times, 99):.2f} ms"
    )
    print(f"recall@10 against exact: {recall:.3f}  ({len(queries)} queries)")
    if index.kind == "ivf":
        raw = index._index  # the sweep sets FAISS's own parameter, then restores it
        default = raw.nprobe
        for nprobe in (4, 8, 16, 32, 64):
            raw.nprobe = nprobe
            sweep_times = []
            for i in range(len(queries)):
                started = time.perf_counter()
                _, row = raw.search(queries[i : i + 1], 10)
                sweep_times.append(ms(time.perf_counter() - started))
                found[i] = row[0]
            print(
                f"  nprobe {nprobe:3d}: recall@10 {recall_at(found, truth):.3f}  "
                f"p50 {statistics.median(sweep_times):.2f} ms  p99 {pct(sweep_times, 99):.2f} ms"
                + ("   <- in use" if nprobe == default else "")
            )
        raw.nprobe = default
    return {
        "p50": statistics.median(times),
        "p99": pct(times, 99),
        "recall": recall,
        "build_rate": len(vectors) / (build + save),
        "rss_per_claim": held / len(vectors),
        "disk_per_claim": disk / len(vectors),
        "kind": index.kind,
    }


# ---------------------------------------------------------------------------------------------
# A store on disk, a real server, HTTP latency, wrk
# ---------------------------------------------------------------------------------------------


def write_store(
    database_url: str, texts: Sequence[str], titles: Sequence[str | None] | None = None
) -> None:
    """Claims ``texts`` (with ``titles``, if given) under 200 sources, inserted in bulk (ids
    1..N in order)."""
    upgrade(database_url)
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            insert(Source),
            [{"name": f"Source {i}", "name_key": f"source {i}"} for i in range(200)],
        )
        for start in range(0, len(texts), 50_000):
            connection.execute(
                insert(Claim),
                [
                    {
                        "text": text,
                        "content_hash": content_hash(text),
                        "source_id": 1 + (start + i) % 200,
                        "title": titles[start + i] if titles is not None else None,
                    }
                    for i, text in enumerate(texts[start : start + 50_000])
                ],
            )
    engine.dispose()


@contextmanager
def measured_server(settings_env: dict[str, str], port: int, log: Path) -> Iterator[psutil.Process]:
    """The server of ``serving.server``, as a process whose memory can be read."""
    with server({**os.environ, **settings_env}, port, log) as process:
        yield psutil.Process(process.pid)


def server_timing(header: str) -> dict[str, float]:
    steps = {}
    for part in header.split(","):
        name, _, duration = part.strip().partition(";dur=")
        if duration:
            steps[name] = float(duration)
    return steps


def answered_labels(answer: dict[str, Any]) -> dict[int, str]:
    """Claim id -> stance for the evidence a verification answer lists (unrelated: omitted)."""
    return {
        item["claim"]["id"]: item["stance"]
        for side in ("corroborating", "contradicting", "related")
        for item in answer[side]
    }


def bench_agreement(
    port: int, queries: Sequence[str], database_url: str, index_dir: Path, onnx_dir: Path
) -> float:
    """Share of evidence items on which the server's answers (cascade, graph edges, batching)
    carry the label the full judge gives the same candidates, judged in this process."""
    settings = Settings(
        database_url=database_url, index_dir=index_dir, onnx_dir=onnx_dir, stance_graph=False
    )
    runtime = Runtime(settings)
    runtime.start()
    judge = runtime.judge
    if isinstance(judge, StanceEngine):
        judge.cascade = None  # every candidate goes to the full judge
    same = total = 0
    try:
        with httpx.Client(timeout=120) as client, runtime.session_factory() as session:
            for text in queries:
                served = client.post(f"http://127.0.0.1:{port}/v1/verify", json={"text": text})
                served.raise_for_status()
                full = runtime.verifier.verify_text(
                    session=session, request=VerifyRequest(text=text)
                )
                ours = answered_labels(served.json())
                theirs = answered_labels(verification_read(full).model_dump(mode="json"))
                for claim_id in ours.keys() | theirs.keys():  # absent from one: unrelated there
                    total += 1
                    same += ours.get(claim_id) == theirs.get(claim_id)
    finally:
        runtime.close()
    share = same / total if total else 1.0
    print(
        f"labels equal to the full judge's (no cascade) on {same}/{total} evidence items of "
        f"{len(queries)} answers: {share:.1%}"
    )
    return share


def bench_http(port: int, queries: Sequence[str], count: int) -> dict[str, float]:
    url = f"http://127.0.0.1:{port}/v1/verify"
    totals: list[float] = []
    steps: dict[str, list[float]] = {}
    with httpx.Client(timeout=60) as client:
        for text in queries[:5]:
            client.post(url, json={"text": text})  # warm the connection and the code paths
        for i in range(count):
            started = time.perf_counter()
            response = client.post(url, json={"text": queries[5 + i % (len(queries) - 5)]})
            totals.append(ms(time.perf_counter() - started))
            if response.status_code != 200:
                raise RuntimeError(f"verify answered {response.status_code}: {response.text}")
            for step, value in server_timing(response.headers.get("server-timing", "")).items():
                steps.setdefault(step, []).append(value)
    p50 = {step: statistics.median(values) for step, values in steps.items()}
    rest = statistics.median(totals) - sum(p50.values())
    print(
        f"POST /v1/verify, one client, {count} distinct queries: "
        f"p50 {statistics.median(totals):.1f} ms  p99 {pct(totals, 99):.1f} ms"
    )
    print(
        "  where it goes (p50 ms): "
        + "  ".join(f"{step} {value:.1f}" for step, value in p50.items())
        + f"  http+rest {rest:.1f}"
    )
    return {"p50": statistics.median(totals), "p99": pct(totals, 99), **p50}


WRK_SCRIPT = (
    """
local bodies = {%s}
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 997)
end
function init(args)
  i = offset or 0
end
function request()
  i = i + 1
  return wrk.format(nil, "/v1/verify", nil, bodies[(i %% #bodies) + 1])
end
"""
    + REPORT_LUA
)


def bench_load(
    port: int, queries: Sequence[str], connections: Sequence[int], duration: int, work: Path
) -> dict[int, dict[str, float]]:
    bodies = ", ".join(json.dumps(json.dumps({"text": text})) for text in queries)
    script = work / "verify.lua"
    script.write_text(WRK_SCRIPT % bodies)
    results = {}
    print(f"{'conns':>5s} {'req/s':>8s} {'p50 ms':>8s} {'p99 ms':>8s} {'errors':>7s}")
    for count in (1, *connections):
        data = run_wrk(script, port=port, connections=count, duration=duration, timeout="60s")
        errors = int(data["errors"])
        rate = data["requests"] / data["seconds"]
        results[count] = {"rate": rate, "p50": data["p50"], "p99": data["p99"], "errors": errors}
        print(f"{count:5d} {rate:8.1f} {data['p50']:8.1f} {data['p99']:8.1f} {errors:7d}")
    single = results[1]["rate"]
    for count in connections:
        print(
            f"throughput at {count} connections: {results[count]['rate'] / single:.2f}x one client"
        )
    return results


def bench_store_http(
    name: str,
    texts: Sequence[str],
    saved_index: Path,
    queries: Sequence[str],
    args: argparse.Namespace,
    work: Path,
    onnx_dir: Path,
    port: int,
) -> dict[str, Any]:
    section(f"/v1/verify over HTTP: {name} ({len(texts):,} claims)")
    folder = Path(tempfile.mkdtemp(dir=work, prefix="store-"))
    try:
        database = folder / "crosscheck.db"
        started = time.perf_counter()
        write_store(f"sqlite:///{database}", texts)
        inserted = time.perf_counter() - started
        # The index bench_index built and saved holds ids 1..N, the rows just written.
        shutil.copytree(saved_index, folder / "index")
        print(f"database rows written in {inserted:.1f}s ({len(texts) / inserted:,.0f} rows/s)")
        env = {
            "CROSSCHECK_DATABASE_URL": f"sqlite:///{database}",
            "CROSSCHECK_INDEX_DIR": str(folder / "index"),
            "CROSSCHECK_ONNX_DIR": str(onnx_dir),
            "CROSSCHECK_LOG_LEVEL": "WARNING",  # no access log line per request
            # New text never reads the graph (but for its exact wording): its background judge
            # would only compete for the cores the requests are measured on.
            "CROSSCHECK_STANCE_GRAPH": "false",
            # wrk from one address would hit the per-address limits: measure the service.
            "CROSSCHECK_RATE_LIMIT_READ": "",
            "CROSSCHECK_RATE_LIMIT_WRITE": "",
        }
        started = time.perf_counter()
        with measured_server(env, port, folder / "server.log") as process:
            ready = time.perf_counter() - started
            memory = process.memory_info().rss
            disk = database.stat().st_size + saved_index_file(folder / "index").stat().st_size
            print(
                f"server ready in {ready:.1f}s; RSS {memory / 2**20:,.0f} MiB "
                f"({memory / len(texts):,.0f} B per claim with the models); on disk "
                f"{disk / len(texts):,.0f} B per claim (database + index)"
            )
            figures = bench_http(port, queries, args.requests)
            shutil.copytree(folder / "index", folder / "index-judge")
            figures["agreement"] = bench_agreement(
                port,
                queries[5 : 5 + args.agreement_queries],
                f"sqlite:///{database}",
                folder / "index-judge",
                onnx_dir,
            )
            if not args.skip_load:
                figures["load"] = bench_load(port, queries, args.connections, args.duration, folder)
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The stance judge alone
# ---------------------------------------------------------------------------------------------


def bench_judge(
    texts: Sequence[str],
    vectors: Matrix,
    queries: Sequence[str],
    query_vectors: Matrix,
    onnx_dir: Path,
) -> None:
    section("stance judge over the 10 nearest claims (no judgement cache)")
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    _, nearest = flat.search(query_vectors[:21], 10)
    cases = [(queries[i], [texts[j] for j in nearest[i]]) for i in range(len(nearest))]
    results = {}
    for backend in ("torch", "onnx"):
        encoder = (
            SentenceTransformerEncoder()
            if backend == "torch"
            else OnnxEncoder(cache_dir=onnx_dir / "encoder")
        )
        engine = StanceEngine.from_directory(
            encoder,
            DEFAULT_STANCE_MODEL,
            classifier_backend=backend,
            onnx_dir=onnx_dir / "stance-classifier",
        )
        engine.judge_many(cases[0][0], cases[0][1], statements=True)
        times, out = [], []
        for claim, evidences in cases[1:]:
            started = time.perf_counter()
            out.append(engine.judge_many(claim, evidences, statements=True))
            times.append(ms(time.perf_counter() - started))
        results[backend] = out
        print(
            f"{backend:6s} judge p50 {statistics.median(times):6.1f} ms  "
            f"p99 {pct(times, 99):6.1f} ms"
        )
    pairs = [
        (a, b)
        for one, two in zip(results["torch"], results["onnx"], strict=True)
        for a, b in zip(one, two, strict=True)
    ]
    same = sum(a.stance == b.stance for a, b in pairs)
    total = len(pairs)
    gap = max((abs(a.confidence - b.confidence) for a, b in pairs), default=0.0)
    print(f"same stance on {same}/{total} pairs; largest confidence difference {gap:.3f}")


# ---------------------------------------------------------------------------------------------
# Chroma
# ---------------------------------------------------------------------------------------------

CHROMA_WORKER = r"""
import json, sys, time, numpy as np, chromadb
vectors = np.load(sys.argv[1]); queries = np.load(sys.argv[2]); truth = np.load(sys.argv[3])
client = chromadb.PersistentClient(path=sys.argv[4])
collection = client.create_collection("claims", metadata={"hnsw:space": "ip"})
ids = [str(i + 1) for i in range(len(vectors))]
step = min(5000, client.get_max_batch_size())
started = time.perf_counter()
for s in range(0, len(vectors), step):
    collection.add(ids=ids[s:s + step], embeddings=vectors[s:s + step])
ingest = time.perf_counter() - started
times, hits = [], 0
for i, q in enumerate(queries):
    t = time.perf_counter()
    found = collection.query(query_embeddings=q[None, :], n_results=10)["ids"][0]
    times.append((time.perf_counter() - t) * 1000)
    hits += len(set(int(x) for x in found) & set(truth[i].tolist()))
times.sort()
figures = {
    "ingest_rate": len(vectors) / ingest,
    "p50": times[len(times) // 2],
    "p99": times[min(len(times) - 1, int(0.99 * len(times)))],
    "recall": hits / (10 * len(queries)),
}
print("CHROMAJSON " + json.dumps(figures))
"""


def chroma_python(work: Path) -> Path:
    venv = work / "chroma-venv"
    python = venv / "bin" / "python"
    marker = venv / f".chromadb-{CHROMA_VERSION}"
    if not marker.exists():
        print(f"installing chromadb {CHROMA_VERSION} into {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", f"chromadb=={CHROMA_VERSION}"], check=True
        )
        marker.touch()
    return python


def bench_chroma(vectors: Matrix, queries: Matrix, ours: dict[str, Any], work: Path) -> None:
    section(f"Chroma {CHROMA_VERSION} against crosscheck on the same {len(vectors):,} embeddings")
    python = chroma_python(work)
    folder = Path(tempfile.mkdtemp(dir=work, prefix="chroma-"))
    try:
        truth = exact_neighbours(vectors, queries, 10) + 1
        for name, array in (("vectors", vectors), ("queries", queries), ("truth", truth)):
            np.save(folder / f"{name}.npy", array)
        (folder / "worker.py").write_text(CHROMA_WORKER)
        completed = subprocess.run(
            [
                str(python),
                str(folder / "worker.py"),
                *(str(folder / f"{n}.npy") for n in ("vectors", "queries", "truth")),
                str(folder / "db"),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        line = next(x for x in completed.stdout.splitlines() if x.startswith("CHROMAJSON "))
        chroma = json.loads(line.removeprefix("CHROMAJSON "))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{'':22s} {'crosscheck':>12s} {'chroma':>12s} {'ratio':>8s}")
    print(
        f"{'ingest vectors/s':22s} {ours['build_rate']:12,.0f} {chroma['ingest_rate']:12,.0f} "
        f"{ours['build_rate'] / chroma['ingest_rate']:7.2f}x"
    )
    for key, label in (("p50", "query p50 ms"), ("p99", "query p99 ms")):
        print(
            f"{label:22s} {ours[key]:12.2f} {chroma[key]:12.2f} "
            f"{chroma[key] / ours[key]:7.2f}x faster"
        )
    print(f"{'recall@10':22s} {ours['recall']:12.3f} {chroma['recall']:12.3f}")
    print(
        "(ingest: index build + save for crosscheck, add() into a persistent collection for Chroma)"
    )


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,1000000", help="synthetic store sizes")
    parser.add_argument("--real-claims", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=1000, help="index queries per store")
    parser.add_argument("--requests", type=int, default=200, help="sequential HTTP requests")
    parser.add_argument("--duration", type=int, default=60, help="seconds per wrk run")
    parser.add_argument("--connections", default="16,64")
    parser.add_argument("--chroma-size", type=int, default=100_000)
    parser.add_argument("--skip-chroma", action="store_true")
    parser.add_argument(
        "--agreement-queries", type=int, default=100, help="answers compared with the full judge"
    )
    parser.add_argument("--skip-load", action="store_true", help="no wrk runs")
    parser.add_argument("--work-dir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    args.connections = [int(x) for x in args.connections.split(",") if x]
    sizes = [int(x) for x in args.sizes.split(",") if x]
    work: Path = args.work_dir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    onnx_dir = Settings(index_dir=work / "index").onnx_cache_dir
    print(f"crosscheck bench/verify.py; {load_average()}")

    torch_encoder = SentenceTransformerEncoder()
    onnx_encoder = OnnxEncoder(cache_dir=onnx_dir / "encoder")
    texts = real_texts(args.real_claims, seed=11)
    query_texts = real_texts(max(args.queries, args.requests + 5, 2000), seed=4242)
    encoders = bench_encoders(torch_encoder, onnx_encoder, query_texts)
    # The same vectors either way (checked at export); ONNX is the faster one on this machine.
    vectors = cached_embeddings(work, "claims", texts, onnx_encoder.encode)
    query_vectors = cached_embeddings(work, "queries", query_texts, onnx_encoder.encode)
    queries = query_vectors[: args.queries]
    settings = Settings()
    layout = IndexLayout(
        kind=settings.index_kind, ivf_min_claims=settings.ivf_min_claims, nprobe=settings.ivf_nprobe
    )
    results: dict[str, dict[str, Any]] = {}

    results["real"] = bench_index("real-text store", vectors, queries, work / "index-real", layout)
    bench_judge(texts, vectors, query_texts, query_vectors, onnx_dir)
    results["real"]["http"] = bench_store_http(
        "real-text store", texts, work / "index-real", query_texts, args, work, onnx_dir, args.port
    )
    for size in sizes:
        synthetic, centre = clustered_vectors(vectors, size, seed=size)
        results[str(size)] = bench_index(
            "synthetic clustered store", synthetic, queries, work / f"index-{size}", layout
        )
        if not args.skip_chroma and size == args.chroma_size:
            bench_chroma(synthetic, queries, results[str(size)], work)
        if size == max(sizes):
            synthetic_texts = [f"{texts[c]} Report {i}." for i, c in enumerate(centre.tolist())]
            results[str(size)]["http"] = bench_store_http(
                "synthetic clustered store",
                synthetic_texts,
                work / f"index-{size}",
                query_texts,
                args,
                work,
                onnx_dir,
                args.port,
            )
            del synthetic_texts
        del synthetic, centre
        shutil.rmtree(work / f"index-{size}", ignore_errors=True)
        gc.collect()

    section("targets")
    for name, figures in results.items():
        http = figures.get("http")
        if not http:
            continue
        encode = encoders["onnx_p50"]
        print(
            f"{name}: /v1/verify p50 {http['p50']:.1f} ms = {http['p50'] / encode:.2f}x the raw "
            f"one-sentence encode ({encode:.1f} ms; target <= 1.5x), p99 {http['p99']:.1f} ms = "
            f"{http['p99'] / encode:.2f}x (target <= 5x); labels as the full judge's on "
            f"{http['agreement']:.1%} of evidence items (target >= 98%)"
        )
        load = http.get("load")
        if load and 16 in load:
            print(
                f"{name}: 16 clients {load[16]['rate'] / load[1]['rate']:.2f}x one client's "
                f"throughput (target >= 2x), {load[16]['errors']} errors"
            )
    largest = results[str(max(sizes))] if sizes else results["real"]
    base = encoders["onnx_p50"] + largest["p50"]
    print(f"recall@10 >= 0.95 at {max(sizes, default=args.real_claims):,}: {largest['recall']:.3f}")
    print(f"search p99 < 5 ms: {largest['p99']:.2f} ms")
    http = largest.get("http")
    if http:
        print(
            f"/v1/verify p50 {http['p50']:.1f} ms vs 1.5 x (encoder {encoders['onnx_p50']:.1f} + "
            f"search {largest['p50']:.2f}) = {1.5 * base:.1f} ms; without the stance judge "
            f"{http['p50'] - http.get('judge', 0):.1f} ms"
        )
        load = http.get("load")
        if load and 16 in load:
            print(
                f"16 connections: {load[16]['errors']} errors, "
                f"{load[16]['rate'] / load[1]['rate']:.2f}x one client's throughput"
            )
    print(f"done; {load_average()}")


if __name__ == "__main__":
    main()
