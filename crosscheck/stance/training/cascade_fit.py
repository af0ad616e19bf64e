"""Fitting the first judge of the cascade: distilled from the full engine, thresholded on dev.

The full engine (cross-encoder, calibration, enabled rules) labels training statement pairs;
a one-hidden-layer network learns from the pair features whether it took a side. The threshold
is the lowest at which, on half of the dev statement pairs (split by topic), the pairs settled
as unsided include at most ``MAX_DISAGREEMENT`` of all pairs where the engine took a side; the
other half reports the disagreement and the share settled.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from crosscheck.stance.cascade import CASCADE_FILE, Cascade, Features
from crosscheck.stance.engine import StanceEngine
from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.contrastive import from_articles
from crosscheck.stance.training.corpus import ARTICLE_DATASETS, dev_pairs, load_all
from crosscheck.stance.training.datasets import StancePair, in_dev
from crosscheck.stance.training.negatives import other_topic_pairs
from crosscheck.stance.training.same_story import same_story_pairs

log = logging.getLogger(__name__)

# The share of dev pairs on which the cascade may answer otherwise than the full engine.
MAX_DISAGREEMENT = 0.015
TRAINING_PAIRS = 30_000
DEV_PAIRS = 8_000
HIDDEN_UNITS = 128
# Fewer sided (or unsided) training pairs than this teach the network nothing to trust.
MIN_PER_KIND = 20
_SIDED = (Stance.CORROBORATES, Stance.CONTRADICTS)


@dataclass(frozen=True)
class Labelled:
    features: Features
    unsided: npt.NDArray[np.bool_]
    topics: list[str]


def training_statements(
    data_dir: Path, engine: StanceEngine, *, count: int, seed: int
) -> list[StancePair]:
    """Training statement pairs as verification meets them: benchmark pairs, contrastive
    edits, statements of another topic and of one story."""
    pairs = load_all(data_dir)
    articles = [p for p in pairs if p.dataset in ARTICLE_DATASETS and p.split == "train"]
    statements = [
        p
        for p in [*pairs, *from_articles(articles, engine.preparer.sentences, seed=seed)]
        if p.dataset not in ARTICLE_DATASETS and p.split == "train"
    ]
    rng = random.Random(seed)
    return [
        *rng.sample(statements, min(len(statements), count * 8 // 10)),
        *other_topic_pairs(statements, engine.preparer, count=count // 10, seed=seed),
        *same_story_pairs(articles, engine.preparer, count=count // 10, seed=seed),
    ]


def label_with_engine(engine: StanceEngine, pairs: Sequence[StancePair]) -> Labelled:
    """The pair features, and whether the full engine (no cascade) left each pair unsided."""
    cascade, engine.cascade = engine.cascade, None
    rows, unsided = [], []
    try:
        for start in range(0, len(pairs), 512):
            chunk = [(p.claim, p.evidence) for p in pairs[start : start + 512]]
            judgements = engine.judge_pairs(chunk, statements=True)
            prepared = engine.preparer.prepare(chunk)
            rows += [engine.cascade_features(pair, statements=True) for pair in prepared]
            unsided += [judgement.stance not in _SIDED for judgement in judgements]
            log.info("cascade: %d / %d pairs labelled by the full engine", len(rows), len(pairs))
    finally:
        engine.cascade = cascade
    return Labelled(
        features=np.vstack(rows).astype(np.float32),
        unsided=np.asarray(unsided, dtype=bool),
        topics=[p.topic for p in pairs],
    )


def fit_network(labelled: Labelled, *, seed: int) -> Cascade:
    """A one-hidden-layer network on standardised features (threshold set later)."""
    from sklearn.neural_network import MLPClassifier

    mean = labelled.features.mean(axis=0)
    scale = labelled.features.std(axis=0) + 1e-6
    network = MLPClassifier(
        hidden_layer_sizes=(HIDDEN_UNITS,),
        alpha=1e-3,
        early_stopping=True,
        max_iter=60,
        random_state=seed,
    )
    network.fit((labelled.features - mean) / scale, labelled.unsided)
    if list(network.classes_) != [False, True]:
        raise ValueError("the full engine left every training pair sided, or none")
    return Cascade(
        mean=mean.astype(np.float32),
        scale=scale.astype(np.float32),
        hidden_weights=network.coefs_[0].astype(np.float32),
        hidden_bias=network.intercepts_[0].astype(np.float32),
        output_weights=network.coefs_[1].astype(np.float32).reshape(-1),
        output_bias=float(network.intercepts_[1][0]),
        threshold=1.0,
    )


def disagreement(
    probabilities: npt.NDArray[np.float64], unsided: npt.NDArray[np.bool_], threshold: float
) -> tuple[float, float]:
    """(share of pairs settled although the engine took a side, share of pairs settled)."""
    settled = probabilities >= threshold
    if not len(settled):
        return 0.0, 0.0
    return float((settled & ~unsided).mean()), float(settled.mean())


def choose_threshold(
    probabilities: npt.NDArray[np.float64], unsided: npt.NDArray[np.bool_]
) -> float:
    """The lowest threshold whose disagreement stays within ``MAX_DISAGREEMENT``."""
    for threshold in np.round(np.arange(0.5, 1.0, 0.005), 3):
        if disagreement(probabilities, unsided, float(threshold))[0] <= MAX_DISAGREEMENT:
            return float(threshold)
    return 1.01  # nothing is settled


def fit_cascade(
    engine: StanceEngine,
    data_dir: Path,
    output_dir: Path,
    *,
    training_pairs: int = TRAINING_PAIRS,
    seed: int = 13,
) -> dict[str, object]:
    """Fit the cascade for ``engine``'s model, save it beside the model, and report it."""
    started = time.perf_counter()
    statements = training_statements(data_dir, engine, count=training_pairs, seed=seed)
    training = label_with_engine(engine, statements)
    (output_dir / CASCADE_FILE).unlink(missing_ok=True)  # a stale one belongs to another model
    engine.cascade = None
    fewest = min(int(training.unsided.sum()), int((~training.unsided).sum()))
    if fewest < MIN_PER_KIND:
        log.warning("cascade not fitted: %d training pairs of the rarer kind", fewest)
        return {"fitted": False, "training_pairs": len(training.unsided)}
    cascade = fit_network(training, seed=seed)
    dev = [
        p
        for p in dev_pairs(data_dir, seed=seed, preparer=engine.preparer)
        if p.dataset not in ARTICLE_DATASETS
    ]
    dev = random.Random(seed).sample(dev, min(len(dev), DEV_PAIRS, max(40, training_pairs // 4)))
    labelled = label_with_engine(engine, dev)
    probabilities = cascade.unsided_probability(labelled.features)
    # Half of the dev topics choose the threshold; the other half measure it.
    tune = np.asarray([in_dev(f"cascade|{topic}", 0.5) for topic in labelled.topics])
    threshold = choose_threshold(probabilities[tune], labelled.unsided[tune])
    cascade = dataclasses.replace(cascade, threshold=threshold)
    measured, settled = disagreement(probabilities[~tune], labelled.unsided[~tune], threshold)
    report: dict[str, object] = {
        "fitted": True,
        "training_pairs": len(training.unsided),
        "training_unsided_share": round(float(training.unsided.mean()), 4),
        "dev_pairs_tuning": int(tune.sum()),
        "dev_pairs_measured": int((~tune).sum()),
        "threshold": threshold,
        "max_disagreement": MAX_DISAGREEMENT,
        "dev_disagreement": round(measured, 4),
        "dev_settled_share": round(settled, 4),
        "dev_unsided_share": round(float(labelled.unsided[~tune].mean()), 4),
        "seconds": round(time.perf_counter() - started, 1),
    }
    cascade.save(output_dir, report)
    engine.cascade = cascade
    log.info("cascade: %s", report)
    return report
