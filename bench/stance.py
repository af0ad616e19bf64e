"""Dev-split scores of the shipped stance model, and stance-batch throughput on an FNC-1-sized file.

Usage: python bench/stance.py --data-dir ../shared/data [--model-dir models/stance]
       [--throughput-pairs 25000] [--skip-scores]
Dev splits only: the benchmarks' test splits are held out for independent evaluation.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crosscheck.settings import DEFAULT_STANCE_MODEL
from crosscheck.stance.engine import StanceEngine
from crosscheck.stance.training.datasets import load_all, load_fnc1
from crosscheck.stance.training.evaluate import evaluate
from embeddings.encoder import SentenceTransformerEncoder


def scores(data_dir: Path, model_dir: Path, *, overrides: frozenset[str] | None) -> None:
    engine = StanceEngine.from_directory(SentenceTransformerEncoder(), model_dir)
    if overrides is not None:
        engine.overrides = overrides
    print(f"rules overruling the classifier: {', '.join(sorted(engine.overrides)) or 'none'}")
    dev = [pair for pair in load_all(data_dir) if pair.split == "dev"]
    result = evaluate(engine, dev)
    print(json.dumps(dataclasses.asdict(result), indent=2))
    fnc = result.fnc1
    print(
        f"FNC-1 dev: relative score {fnc['relative_score']:.1%}, macro-F1 {fnc['macro_f1']:.3f}, "
        f"F1 agree {fnc['f1_agree']:.3f} disagree {fnc['f1_disagree']:.3f} "
        f"discuss {fnc['f1_discuss']:.3f} unrelated {fnc['f1_unrelated']:.3f}"
    )
    print(
        f"SICK-E dev accuracy {result.sick_accuracy:.1%}; "
        f"Emergent dev accuracy {result.emergent_accuracy:.1%}"
    )


def throughput(data_dir: Path, model_dir: Path, count: int) -> None:
    """Time `crosscheck stance-batch` end to end (a new process) on ``count`` FNC-1 pairs."""
    pairs = load_fnc1(data_dir / "fnc1")
    sample = random.Random(3).sample(pairs, min(count, len(pairs)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pairs.jsonl"
        buffer = io.StringIO()
        for number, pair in enumerate(sample):
            buffer.write(
                json.dumps({"id": number, "claim": pair.claim, "evidence": pair.evidence}) + "\n"
            )
        path.write_text(buffer.getvalue())
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "crosscheck.cli.main", "stance-batch", str(path)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "CROSSCHECK_STANCE_MODEL_DIR": str(model_dir)},
        )
        seconds = time.perf_counter() - started
    lines = done.stdout.splitlines()
    print(
        f"stance-batch: {len(lines)} pairs in {seconds:.1f}s "
        f"({len(lines) / seconds:.0f} pairs/s, process start included)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_STANCE_MODEL)
    parser.add_argument("--throughput-pairs", type=int, default=25_000)
    parser.add_argument("--skip-scores", action="store_true")
    parser.add_argument(
        "--no-rules", action="store_true", help="classifier without number/hedge rules"
    )
    args = parser.parse_args()
    if not args.skip_scores:
        chosen = None if args.rules is None else frozenset(filter(None, args.rules.split(",")))
        scores(args.data_dir, args.model_dir, overrides=chosen)
    if args.throughput_pairs:
        throughput(args.data_dir, args.model_dir, args.throughput_pairs)


if __name__ == "__main__":
    main()
