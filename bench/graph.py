"""The stance graph: how fast it is built, and evidence for stored claims read from it.

Usage: python bench/graph.py [--claims 2000] [--lookups 200] [--work-dir var/bench-graph]

Loads ``--claims`` generated claims (bench/ingest.py's generator) into a fresh SQLite store with
the shipped stance model, builds the graph, and prints on this machine:
- build: claims graphed per second and judged pairs per second;
- evidence for ``--lookups`` stored claims (the verification of GET /v1/claims/{id}/evidence,
  in process): p50/p99 with the graph against judging live (judgement cache off), the time
  spent judging and on timelines (links read from the graph, against a search per evidence
  item) in each, and how many evidence labels, confidences and supersessions agree (all should).
Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import claim_rows
from sqlalchemy import func, select

from crosscheck.claims.models import Claim
from crosscheck.graph import service as graph_service
from crosscheck.graph.builder import GraphBuilder
from crosscheck.graph.models import StanceEdge
from crosscheck.ingest.claims import ClaimBulkLoader
from crosscheck.ingest.rows import Row
from crosscheck.migrations import upgrade
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from crosscheck.verdicts.schemas import Verification


def _claim_id(claim: Claim | None) -> int | None:
    return None if claim is None else claim.id


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--work-dir", type=Path, default=Path("var/bench-graph"))
    args = parser.parse_args()
    shutil.rmtree(args.work_dir, ignore_errors=True)
    args.work_dir.mkdir(parents=True)
    url = f"sqlite:///{args.work_dir / 'crosscheck.db'}"
    upgrade(url)
    settings = Settings(
        database_url=url,
        index_dir=args.work_dir / "index",
        stance_graph=False,
        judgement_cache_size=0,
    )
    runtime = Runtime(settings)
    runtime.start()
    loader = ClaimBulkLoader(
        session_factory=runtime.session_factory, claim_index=runtime.claim_index
    )
    rows = claim_rows(args.claims)
    totals = loader.run(
        Row(line=n, raw=json.dumps(row), data=row) for n, row in enumerate(rows, start=1)
    )
    print(f"store: {totals.created} claims")

    builder = GraphBuilder(
        session_factory=runtime.session_factory,
        claim_index=runtime.claim_index,
        judge=runtime.judge,
        neighbours=settings.default_top_k,
        batch_size=64,
    )
    started = time.perf_counter()
    graphed = builder.catch_up()
    seconds = time.perf_counter() - started
    with runtime.session_factory() as session:
        edges = session.scalar(select(func.count(StanceEdge.id))) or 0
    print(
        f"build: {graphed} claims, {edges} judged pairs in {seconds:.1f}s "
        f"({graphed / seconds:.1f} claims/s, {edges / seconds:.0f} pairs/s)"
    )

    ids = random.Random(5).sample(range(1, totals.created + 1), min(args.lookups, totals.created))

    def verify(claim_id: int) -> tuple[float, Verification]:
        with runtime.session_factory() as session:
            began = time.perf_counter()
            answer = runtime.verifier.verify_stored_claim(session=session, claim_id=claim_id)
            return (time.perf_counter() - began) * 1000, answer

    results: dict[str, list[tuple[float, Verification]]] = {}
    real_version = runtime.judge.version
    linked_sources = graph_service.fully_linked_sources
    for mode in ("graph", "live"):
        # Another version name: the graph's edges do not apply, every pair is judged live;
        # and no source counts as linked, so timelines search the index as without a graph.
        runtime.judge.version = real_version if mode == "graph" else "bench-live"
        graph_service.fully_linked_sources = (
            linked_sources if mode == "graph" else lambda **_: set()
        )
        verify(ids[0])  # warm
        results[mode] = [verify(claim_id) for claim_id in ids]
    runtime.judge.version = real_version
    graph_service.fully_linked_sources = linked_sources
    for mode, answers in results.items():
        times = [ms for ms, _ in answers]
        judging = [answer.timings.get("judge", 0.0) for _, answer in answers]
        timelines = [answer.timings.get("timelines", 0.0) for _, answer in answers]
        print(
            f"evidence ({mode}): p50 {statistics.median(times):.1f} ms, "
            f"p99 {_percentile(times, 0.99):.1f} ms, "
            f"judging p50 {statistics.median(judging):.1f} ms, "
            f"timelines p50 {statistics.median(timelines):.1f} ms"
        )
    same = total = 0
    for (_, graph), (_, live) in zip(results["graph"], results["live"], strict=True):
        live_items = {item.claim.id: item for item in live.evidence}
        for item in graph.evidence:
            total += 1
            other = live_items.get(item.claim.id)
            same += int(
                other is not None
                and other.stance is item.stance
                and abs(other.judgement.confidence - item.judgement.confidence) < 1e-6
                and _claim_id(other.superseded_by) == _claim_id(item.superseded_by)
            )
    print(
        f"agreement: {same} / {total} evidence items with the same label, confidence and "
        "superseding statement"
    )
    runtime.close()


if __name__ == "__main__":
    main()
