"""Scores of the stance engine: FNC-1 score and F1s, SICK-E accuracy, Emergent accuracy."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from sklearn.metrics import f1_score

from crosscheck.stance.engine import StanceEngine
from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.datasets import StancePair

log = logging.getLogger(__name__)

FNC_CLASSES = [Stance.CORROBORATES, Stance.CONTRADICTS, Stance.DISCUSSES, Stance.UNRELATED]
FNC_NAMES = {
    Stance.CORROBORATES: "agree",
    Stance.CONTRADICTS: "disagree",
    Stance.DISCUSSES: "discuss",
    Stance.UNRELATED: "unrelated",
}


@dataclass
class BenchmarkScores:
    """Scores per benchmark, as reported in the model card."""

    fnc1: dict[str, float] = field(default_factory=dict)
    sick_accuracy: float | None = None
    emergent_accuracy: float | None = None
    pairs: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def fnc_score(gold: Sequence[Stance], predicted: Sequence[Stance]) -> float:
    """The official FNC-1 relative score: 0.25 for related-vs-unrelated, 0.75 more for the label."""

    def points(g: Stance, p: Stance) -> float:
        score = 0.25 if (g is Stance.UNRELATED) == (p is Stance.UNRELATED) else 0.0
        if g is not Stance.UNRELATED and g is p:
            score += 0.75
        return score

    best = sum(points(g, g) for g in gold)
    return sum(points(g, p) for g, p in zip(gold, predicted, strict=True)) / best if best else 0.0


def _same_for_sick(gold: Stance, predicted: Stance) -> bool:
    # SICK's NEUTRAL is either discusses or unrelated.
    if gold is Stance.DISCUSSES:
        return predicted in (Stance.DISCUSSES, Stance.UNRELATED)
    return gold is predicted


def evaluate(
    engine: StanceEngine, pairs: Sequence[StancePair], batch: int = 512
) -> BenchmarkScores:
    """Run the engine over ``pairs`` and score each benchmark present."""
    started = time.perf_counter()
    predicted: list[Stance] = []
    for start in range(0, len(pairs), batch):
        part = pairs[start : start + batch]
        predicted += [j.stance for j in engine.judge_pairs([(p.claim, p.evidence) for p in part])]
        log.info("evaluated %d / %d pairs", len(predicted), len(pairs))
    scores = BenchmarkScores(seconds=round(time.perf_counter() - started, 1))
    by_set: dict[str, list[tuple[Stance, Stance]]] = {}
    for pair, guess in zip(pairs, predicted, strict=True):
        by_set.setdefault(pair.dataset, []).append((pair.label, guess))
    scores.pairs = {name: len(rows) for name, rows in by_set.items()}
    if "fnc1" in by_set:
        fnc_gold = [g for g, _ in by_set["fnc1"]]
        fnc_predicted = [p for _, p in by_set["fnc1"]]
        per_class = f1_score(
            fnc_gold, fnc_predicted, labels=FNC_CLASSES, average=None, zero_division=0
        )
        scores.fnc1 = {
            "relative_score": round(fnc_score(fnc_gold, fnc_predicted), 4),
            "macro_f1": round(float(per_class.mean()), 4),
            **{
                f"f1_{FNC_NAMES[c]}": round(float(f), 4)
                for c, f in zip(FNC_CLASSES, per_class, strict=True)
            },
        }
    if "sick" in by_set:
        rows = by_set["sick"]
        scores.sick_accuracy = round(sum(_same_for_sick(g, p) for g, p in rows) / len(rows), 4)
    if "emergent" in by_set:
        rows = by_set["emergent"]
        scores.emergent_accuracy = round(sum(g is p for g, p in rows) / len(rows), 4)
    return scores
