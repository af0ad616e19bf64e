"""Start-up time and /v1/verify latency on the demo data, through the real app over HTTP.

Usage: python bench/verify_latency.py [--requests 200] [--extra-claims 0]
Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from crosscheck.claims.schemas import ClaimCreate
from crosscheck.claims.service import create as create_claim
from crosscheck.ingest import service as ingest_service
from crosscheck.migrations import upgrade
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "demo"
QUERIES = [
    "North Korean soldiers are in Russia",
    "At least 3,000 North Korean troops are training in eastern Russia",
    "Russia denies hosting North Korean troops",
    "Only about 500 litres of solvent leaked into the river",
    "Riverton tap water is safe to drink",
]
SUBJECTS = ["The ministry", "A spokesperson", "The agency", "Officials", "The governor's office"]
VERBS = ["reported", "announced", "confirmed", "estimated", "said"]
TOPICS = ["grain exports", "port traffic", "border crossings", "power outages", "flood damage"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def synthetic_claims(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} that {rng.choice(TOPICS)} changed by "
        f"{rng.randint(1, 90)} percent in region {rng.randint(1, 400)} during week {i % 52 + 1}."
        for i in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--extra-claims", type=int, default=0, help="synthetic claims added")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/bench.db", index_dir=Path(tmp) / "index")
        upgrade(settings.database_url)

        started = time.perf_counter()
        encoder = SentenceTransformerEncoder()
        model_seconds = time.perf_counter() - started

        loader = Runtime(settings, encoder=encoder)
        loader.start()
        ingest_service.load_scenario(
            session_factory=loader.session_factory,
            claim_index=loader.claim_index,
            directory=DEMO,
        )
        with loader.session_factory() as session:
            for text in synthetic_claims(args.extra_claims):
                create_claim(session=session, claim_in=ClaimCreate(text=text, source="Wire"))
            session.commit()
        loader.close()

        started = time.perf_counter()
        cold = Runtime(settings, encoder=encoder)
        cold.start()
        claims = cold.claim_index.count()
        catch_up_seconds = time.perf_counter() - started
        cold.close()

        started = time.perf_counter()
        warm = Runtime(settings, encoder=encoder)
        warm.start()
        warm_seconds = time.perf_counter() - started
        warm.close()

        single = []
        for i in range(args.requests):
            t0 = time.perf_counter()
            encoder.encode([QUERIES[i % len(QUERIES)]])
            single.append((time.perf_counter() - t0) * 1000)

        latencies = []
        with TestClient(create_app(Runtime(settings, encoder=encoder))) as client:
            while client.get("/readyz").status_code != 200:
                time.sleep(0.05)
            for i in range(args.requests):
                t0 = time.perf_counter()
                response = client.post("/v1/verify", json={"text": QUERIES[i % len(QUERIES)]})
                latencies.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, response.text

    print(f"claims stored                      {claims}")
    print(f"model load (in process)            {model_seconds:.2f} s")
    print(f"start-up, index built from the db  {catch_up_seconds:.2f} s")
    print(f"start-up, saved index loaded       {warm_seconds:.2f} s")
    print(f"encoder, one sentence p50          {statistics.median(single):.1f} ms")
    print(
        f"POST /v1/verify p50 / p99          {statistics.median(latencies):.1f} / "
        f"{percentile(latencies, 0.99):.1f} ms  ({args.requests} requests)"
    )


if __name__ == "__main__":
    main()
