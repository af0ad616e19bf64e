"""Dev-split figures of the shipped stance model, and stance-batch throughput on FNC-1 pairs.

Usage: python bench/stance.py --data-dir ../shared/data [--model-dir models/stance]
       [--rules number_conflict,explicit_denial,...] [--per-dataset 1000]
       [--throughput-pairs 25000] [--skip-scores] [--json figures.json]

Prints, per dev set: accuracy, macro-F1, F1 per class and expected calibration error (ECE);
FNC-1's official relative score; contradiction F1 over all statement pairs; for each scoped rule
how often it fired on dev, how often it was right, and the right answers it gained over the judge
alone; and accuracy per contrastive edit. `--rules ""` scores the judge without any rule.
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
from collections import defaultdict
from pathlib import Path

from crosscheck.settings import DEFAULT_STANCE_MODEL
from crosscheck.stance.engine import StanceEngine
from crosscheck.stance.training.corpus import dev_pairs
from crosscheck.stance.training.datasets import StancePair, load_fnc1
from crosscheck.stance.training.evaluate import BenchmarkScores, evaluate
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder


def sampled(pairs: list[StancePair], per_dataset: int, seed: int = 7) -> list[StancePair]:
    """At most ``per_dataset`` pairs of each dataset (0: all), in a fixed sample."""
    if per_dataset <= 0:
        return pairs
    by_set: dict[str, list[StancePair]] = defaultdict(list)
    for pair in pairs:
        by_set[pair.dataset].append(pair)
    rng = random.Random(seed)
    return [
        pair
        for name in sorted(by_set)
        for pair in rng.sample(by_set[name], min(per_dataset, len(by_set[name])))
    ]


def report(result: BenchmarkScores) -> None:
    print(f"{'dev set':28} {'pairs':>6} {'acc':>6} {'macroF1':>8} {'ECE':>6}  F1 per class")
    for name, scores in result.datasets.items():
        f1 = " ".join(f"{label[:5]} {value:.3f}" for label, value in scores.f1.items())
        print(
            f"{name:28} {scores.pairs:6d} {scores.accuracy:6.1%} {scores.macro_f1:8.3f} "
            f"{scores.ece:6.3f}  {f1}"
        )
    if result.fnc1:
        print(
            f"FNC-1 relative score {result.fnc1['relative_score']:.1%}, "
            f"disagree F1 {result.fnc1.get('f1_disagree', 0.0):.3f}"
        )
    print(f"contradiction F1 on statement pairs: {result.statement_contradiction_f1}")
    print(f"ECE over all dev pairs: {result.ece}")
    for rule, scores in result.rules.items():
        print(
            f"rule {rule:22} fired {scores.fired:5d}  precision {scores.precision:.3f}  "
            f"net gain {scores.net_gain:+d}"
        )
    if result.contrastive_accuracy:
        edits = ", ".join(f"{k} {v:.0%}" for k, v in result.contrastive_accuracy.items())
        print(f"contrastive edits: {edits}")


def scores(
    data_dir: Path, model_dir: Path, *, overrides: frozenset[str] | None, per_dataset: int
) -> BenchmarkScores:
    engine = StanceEngine.from_directory(SentenceTransformerEncoder(), model_dir)
    if overrides is not None:
        engine.overrides = overrides
    print(f"rules overruling the judge: {', '.join(sorted(engine.overrides)) or 'none'}")
    dev = sampled(dev_pairs(data_dir, preparer=engine.preparer), per_dataset)
    result = evaluate(engine, dev)
    report(result)
    return result


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
            [sys.executable, "-m", "cli.main", "stance-batch", str(path)],
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
    parser.add_argument("--per-dataset", type=int, default=0, help="dev pairs per set (0: all)")
    parser.add_argument("--skip-scores", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--rules",
        default=None,
        help="comma-separated rules that may overrule the judge ('' for none; default: those "
        "rules.json enables)",
    )
    args = parser.parse_args()
    if not args.skip_scores:
        chosen = None if args.rules is None else frozenset(filter(None, args.rules.split(",")))
        result = scores(
            args.data_dir, args.model_dir, overrides=chosen, per_dataset=args.per_dataset
        )
        if args.json:
            args.json.write_text(json.dumps(dataclasses.asdict(result), indent=2))
    if args.throughput_pairs:
        throughput(args.data_dir, args.model_dir, args.throughput_pairs)


if __name__ == "__main__":
    main()
