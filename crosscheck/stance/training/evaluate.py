"""Dev figures of the stance engine: per dataset accuracy, per-class F1 and calibration error,
FNC-1's official score, contradiction F1 on statement pairs, and what each scoped rule did.

A 3-way set has no "unrelated" gold label: there, unrelated counts as right for a neutral pair.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sklearn.metrics import f1_score

from crosscheck.stance.calibration import expected_calibration_error
from crosscheck.stance.engine import StanceEngine, overrule_confidence
from crosscheck.stance.schemas import Stance, StanceJudgement
from crosscheck.stance.training.contrastive import DATASET as CONTRASTIVE
from crosscheck.stance.training.contrastive import edit_kind
from crosscheck.stance.training.corpus import ARTICLE_DATASETS
from crosscheck.stance.training.datasets import StancePair
from crosscheck.stance.training.same_story import DATASET as SAME_STORY

log = logging.getLogger(__name__)

FNC_CLASSES = [Stance.CORROBORATES, Stance.CONTRADICTS, Stance.DISCUSSES, Stance.UNRELATED]
THREE_CLASSES = [Stance.CORROBORATES, Stance.CONTRADICTS, Stance.DISCUSSES]
FNC_NAMES = {
    Stance.CORROBORATES: "agree",
    Stance.CONTRADICTS: "disagree",
    Stance.DISCUSSES: "discuss",
    Stance.UNRELATED: "unrelated",
}


@dataclass
class DatasetScores:
    pairs: int
    accuracy: float
    macro_f1: float
    f1: dict[str, float]
    ece: float


@dataclass
class RuleScores:
    fired: int
    precision: float
    # Right answers gained (or lost, if negative) against the judge alone on those pairs.
    net_gain: int
    # The same, per dev set where the rule fired.
    net_gain_by_dataset: dict[str, int] = field(default_factory=dict)


@dataclass
class BenchmarkScores:
    """Dev figures, as reported in the model card and by bench/stance.py."""

    datasets: dict[str, DatasetScores] = field(default_factory=dict)
    fnc1: dict[str, float] = field(default_factory=dict)
    statement_contradiction_f1: float | None = None
    ece: float | None = None
    rules: dict[str, RuleScores] = field(default_factory=dict)
    contrastive_accuracy: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0

    def accuracy(self, dataset: str) -> float | None:
        scores = self.datasets.get(dataset)
        return None if scores is None else scores.accuracy


def fnc_score(gold: Sequence[Stance], predicted: Sequence[Stance]) -> float:
    """The official FNC-1 relative score: 0.25 for related-vs-unrelated, 0.75 more for the label."""

    def points(g: Stance, p: Stance) -> float:
        score = 0.25 if (g is Stance.UNRELATED) == (p is Stance.UNRELATED) else 0.0
        if g is not Stance.UNRELATED and g is p:
            score += 0.75
        return score

    best = sum(points(g, g) for g in gold)
    return sum(points(g, p) for g, p in zip(gold, predicted, strict=True)) / best if best else 0.0


def counts_as(gold: Stance, predicted: Stance, *, four_way: bool) -> Stance:
    """The prediction as scored: on 3-way sets, unrelated stands for neutral."""
    if not four_way and predicted is Stance.UNRELATED:
        return Stance.DISCUSSES
    return predicted


def _dataset_scores(
    rows: Sequence[tuple[StancePair, StanceJudgement]], *, four_way: bool
) -> DatasetScores:
    gold = [pair.label for pair, _ in rows]
    predicted = [counts_as(p.label, j.stance, four_way=four_way) for p, j in rows]
    classes = FNC_CLASSES if four_way else THREE_CLASSES
    present = [c for c in classes if c in gold]
    per_class = f1_score(gold, predicted, labels=present, average=None, zero_division=0)
    correct = [g is p for g, p in zip(gold, predicted, strict=True)]
    return DatasetScores(
        pairs=len(rows),
        accuracy=round(sum(correct) / len(rows), 4),
        macro_f1=round(float(per_class.mean()), 4),
        f1={c.value: round(float(f), 4) for c, f in zip(present, per_class, strict=True)},
        ece=expected_calibration_error([j.confidence for _, j in rows], correct),
    )


def rule_scores(rows: Sequence[tuple[StancePair, StanceJudgement]]) -> dict[str, RuleScores]:
    """Per rule: how often it fired, how often it was then right, and what it gained."""
    fired: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    by_dataset: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pair, judgement in rows:
        if judgement.rule is None:
            continue
        four_way = pair.dataset in ARTICLE_DATASETS
        right = counts_as(pair.label, judgement.stance, four_way=four_way) is pair.label
        before = judgement.overruled or judgement.stance
        was_right = counts_as(pair.label, before, four_way=four_way) is pair.label
        fired[judgement.rule].append((right, was_right))
        by_dataset[judgement.rule][pair.dataset] += int(right) - int(was_right)
    return {
        rule: RuleScores(
            fired=len(outcomes),
            precision=round(sum(r for r, _ in outcomes) / len(outcomes), 4),
            net_gain=sum(r for r, _ in outcomes) - sum(w for _, w in outcomes),
            net_gain_by_dataset=dict(sorted(by_dataset[rule].items())),
        )
        for rule, outcomes in sorted(fired.items())
    }


Judged = list[tuple[StancePair, StanceJudgement]]


def judge_all(engine: StanceEngine, pairs: Sequence[StancePair], batch: int = 512) -> Judged:
    """The engine's judgement of every pair, in order."""
    judgements: list[StanceJudgement] = []
    for start in range(0, len(pairs), batch):
        part = pairs[start : start + batch]
        judgements += engine.judge_pairs([(p.claim, p.evidence) for p in part])
        log.info("evaluated %d / %d pairs", len(judgements), len(pairs))
    return list(zip(pairs, judgements, strict=True))


def with_rule_precision(rows: Judged, precision: Mapping[str, float]) -> Judged:
    """The judgements with each rule's confidence weighed by its measured ``precision``."""
    rescored = []
    for pair, judgement in rows:
        rule = judgement.rule
        if rule is not None and rule in precision and judgement.judge_probability is not None:
            confidence = overrule_confidence(
                precision[rule],
                judgement.judge_probability,
                judgement.related_probability or 1.0,
            )
            judgement = dataclasses.replace(judgement, confidence=confidence)
        rescored.append((pair, judgement))
    return rescored


def evaluate(
    engine: StanceEngine, pairs: Sequence[StancePair], batch: int = 512
) -> BenchmarkScores:
    """Run the engine over ``pairs`` and score each dataset present."""
    started = time.perf_counter()
    rows = judge_all(engine, pairs, batch)
    return score(rows, seconds=time.perf_counter() - started)


def score(rows: Judged, *, seconds: float = 0.0) -> BenchmarkScores:
    """Figures for judged pairs, per dataset and overall."""
    by_set: dict[str, list[tuple[StancePair, StanceJudgement]]] = defaultdict(list)
    for pair, judgement in rows:
        by_set[pair.dataset].append((pair, judgement))
    scores = BenchmarkScores(seconds=round(seconds, 1))
    for name, members in sorted(by_set.items()):
        scores.datasets[name] = _dataset_scores(members, four_way=name in ARTICLE_DATASETS)
    if "fnc1" in by_set:
        gold = [p.label for p, _ in by_set["fnc1"]]
        predicted = [j.stance for _, j in by_set["fnc1"]]
        fnc = scores.datasets["fnc1"]
        scores.fnc1 = {
            "relative_score": round(fnc_score(gold, predicted), 4),
            "macro_f1": fnc.macro_f1,
            **{f"f1_{FNC_NAMES[Stance(c)]}": f for c, f in fnc.f1.items()},
        }
    statements = [
        (p, j)
        for p, j in rows
        if p.dataset not in ARTICLE_DATASETS and p.dataset not in (CONTRASTIVE, SAME_STORY)
    ]
    if statements:
        gold_contradicts = [p.label is Stance.CONTRADICTS for p, _ in statements]
        found = [j.stance is Stance.CONTRADICTS for _, j in statements]
        scores.statement_contradiction_f1 = round(
            float(f1_score(gold_contradicts, found, zero_division=0)), 4
        )
    correct = [
        counts_as(p.label, j.stance, four_way=p.dataset in ARTICLE_DATASETS) is p.label
        for p, j in rows
    ]
    scores.ece = expected_calibration_error([j.confidence for _, j in rows], correct)
    scores.rules = rule_scores(rows)
    kinds: dict[str, list[bool]] = defaultdict(list)
    for (pair, _), right in zip(rows, correct, strict=True):
        if pair.dataset == CONTRASTIVE:
            kinds[edit_kind(pair)].append(right)
    scores.contrastive_accuracy = {
        kind: round(sum(hits) / len(hits), 4) for kind, hits in sorted(kinds.items())
    }
    return scores
