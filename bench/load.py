"""Reads and a bulk load at the same time, against one server on loopback: 0 errors, p99.

Usage: python bench/load.py [--claims 3000] [--duration 60] [--connections 8]
                            [--bulk-rows 250] [--verify-share 0.25] [--work-dir DIR]

Seeds a temp SQLite store with ``--claims`` generated claims, starts ``crosscheck serve`` on it
(uvicorn on 127.0.0.1; the server indexes the seed at start-up), then for ``--duration`` seconds
runs together:
- reads from wrk (installed with apt if missing) over ``--connections`` connections:
  ``GET /v1/claims/{id}`` of seeded claims, and ``POST /v1/verify`` for ``--verify-share`` of
  the requests;
- a bulk load: NDJSON batches of ``--bulk-rows`` new claims posted to ``/v1/claims/bulk`` one
  after another.
Prints requests, errors, requests/s, p50 and p99 of the reads; rows, rows/s and batch p50/p99
of the bulk load; then checks that every claim the load acknowledged is stored. Exits non-zero
on any error (a non-2xx read, a failed batch or row, a lost claim).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import claim_rows
from serving import free_port, server
from wrk import REPORT_LUA, run_wrk

from crosscheck.claims.models import Claim
from crosscheck.migrations import upgrade
from crosscheck.sources.models import Source
from crosscheck.textnorm import content_hash

WRK_SCRIPT = (
    """
local claims = %d
local verify_every = %d
local bodies = {%s}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end
function init(args)
  i = offset or 0
end
function request()
  i = i + 1
  if verify_every > 0 and i %% verify_every == 0 then
    local body = bodies[(i %% #bodies) + 1]
    return wrk.format("POST", "/v1/verify", {["Content-Type"] = "application/json"}, body)
  end
  return wrk.format("GET", "/v1/claims/" .. ((i * 7) %% claims + 1))
end
"""
    + REPORT_LUA
)


def seed_store(database_url: str, rows: list[dict[str, str]]) -> None:
    """The seed claims, inserted in one transaction with ids 1..N."""
    upgrade(database_url)
    engine = create_engine(database_url)
    names = sorted({row["source"] for row in rows})
    source_ids = {name: i + 1 for i, name in enumerate(names)}
    with engine.begin() as connection:
        connection.execute(
            insert(Source),
            [
                {"id": i, "name": name, "name_key": name.casefold()}
                for name, i in source_ids.items()
            ],
        )
        connection.execute(
            insert(Claim),
            [
                {
                    "text": row["text"],
                    "content_hash": content_hash(row["text"]),
                    "source_id": source_ids[row["source"]],
                    "external_id": f"seed-{i}",
                }
                for i, row in enumerate(rows)
            ],
        )
    engine.dispose()


@dataclass
class BulkLoad:
    """The bulk load's figures: rows acknowledged, batch latencies, errors."""

    acknowledged: dict[str, int] = field(default_factory=dict)
    batch_seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run_bulk_load(
    port: int, rows: list[dict[str, str]], batch: int, stop: threading.Event, load: BulkLoad
) -> None:
    started = time.perf_counter()
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=300) as client:
        for start in range(0, len(rows), batch):
            if stop.is_set():
                break
            chunk = rows[start : start + batch]
            began = time.perf_counter()
            try:
                response = client.post(
                    "/v1/claims/bulk",
                    content="\n".join(json.dumps(row) for row in chunk),
                    headers={"content-type": "application/x-ndjson"},
                )
            except httpx.HTTPError as exc:
                load.errors.append(f"batch at row {start}: {exc!r}")
                continue
            load.batch_seconds.append(time.perf_counter() - began)
            if response.status_code != 200:
                load.errors.append(f"batch at row {start}: {response.status_code} {response.text}")
                continue
            for row, result in zip(chunk, response.json()["results"], strict=True):
                if result["status"] == "error":
                    load.errors.append(f"row {row['external_id']}: {result['error']}")
                else:
                    load.acknowledged[row["external_id"]] = result["id"]
    load.seconds = time.perf_counter() - started


def run_reads(
    port: int, claims: int, queries: list[str], args: argparse.Namespace, work: Path
) -> dict[str, float]:
    verify_every = round(1 / args.verify_share) if args.verify_share > 0 else 0
    bodies = ", ".join(json.dumps(json.dumps({"text": q})) for q in queries)
    script = work / "reads.lua"
    script.write_text(WRK_SCRIPT % (claims, verify_every, bodies))
    return run_wrk(
        script, port=port, connections=args.connections, duration=args.duration, timeout="30s"
    )


def stored_external_ids(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT external_id, id FROM claims WHERE external_id LIKE 'load-%'")
        ).all()
    engine.dispose()
    return {str(external): int(claim_id) for external, claim_id in rows}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=3000, help="claims in the seeded store")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (reads)")
    parser.add_argument("--bulk-rows", type=int, default=250, help="rows per bulk request")
    parser.add_argument("--verify-share", type=float, default=0.25, help="reads that verify")
    parser.add_argument("--work-dir", type=Path, default=None, help="kept; default: a temp dir")
    args = parser.parse_args()

    work = args.work_dir or Path(tempfile.mkdtemp(prefix="crosscheck-load-"))
    work.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{work / 'crosscheck.db'}"
    generated = claim_rows(args.claims + 100_000, seed=23)
    seed, fresh = generated[: args.claims], generated[args.claims :]
    seed_store(database_url, seed)
    # Rows the bulk load may send: more than it can load in the time given.
    load_rows = [
        {"text": row["text"], "source": row["source"], "external_id": f"load-{i}"}
        for i, row in enumerate(fresh)
    ]
    queries = [row["text"] for row in fresh[-200:]]
    env = {
        **os.environ,
        "CROSSCHECK_DATABASE_URL": database_url,
        "CROSSCHECK_INDEX_DIR": str(work / "index"),
        "CROSSCHECK_LOG_LEVEL": "WARNING",
        # One client address makes all the calls: no rate limits in this measurement.
        "CROSSCHECK_RATE_LIMIT_READ": "",
        "CROSSCHECK_RATE_LIMIT_WRITE": "",
        "HF_HUB_OFFLINE": "1",
    }
    port = free_port()
    print(
        f"store: {args.claims:,} claims (SQLite, {work}); reads: wrk, {args.connections} "
        f"connections, GET /v1/claims/{{id}} with {args.verify_share:.0%} POST /v1/verify; "
        f"bulk: {args.bulk_rows} rows a request; {args.duration}s",
        flush=True,
    )
    started = time.perf_counter()
    with server(env, port, work / "server.log"):
        print(f"server ready in {time.perf_counter() - started:.1f}s", flush=True)
        load = BulkLoad()
        stop = threading.Event()
        loader = threading.Thread(
            target=run_bulk_load, args=(port, load_rows, args.bulk_rows, stop, load)
        )
        loader.start()
        reads = run_reads(port, args.claims, queries, args, work)
        stop.set()
        loader.join()
    stored = stored_external_ids(database_url)
    lost = [external for external, i in load.acknowledged.items() if stored.get(external) != i]

    read_errors = int(reads["errors"])
    rows = len(load.acknowledged)
    print(
        f"reads: {int(reads['requests']):,} requests, {read_errors} errors, "
        f"{reads['requests'] / reads['seconds']:.1f} req/s, p50 {reads['p50']:.1f} ms, "
        f"p99 {reads['p99']:.1f} ms"
    )
    if load.batch_seconds:
        print(
            f"bulk load: {rows:,} rows in {len(load.batch_seconds)} requests, "
            f"{len(load.errors)} errors, {rows / load.seconds:.1f} rows/s, batch p50 "
            f"{statistics.median(load.batch_seconds) * 1000:.0f} ms, "
            f"p99 {pct(load.batch_seconds, 99) * 1000:.0f} ms; {len(lost)} acknowledged rows lost"
        )
    for error in load.errors[:5]:
        print(f"  bulk error: {error}")
    if args.work_dir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if read_errors or load.errors or lost or not rows else 0


if __name__ == "__main__":
    sys.exit(main())
