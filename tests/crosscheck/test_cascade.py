"""The cascade's first judge: its forward pass, its threshold, and what it spares the classifier."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.neural_network import MLPClassifier

from crosscheck.stance.cascade import Cascade, cue_features
from crosscheck.stance.engine import StanceEngine
from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.cascade_fit import (
    MAX_DISAGREEMENT,
    Labelled,
    choose_threshold,
    disagreement,
    fit_network,
)
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder

CLAIM = "At least 3,000 North Korean soldiers are in Russia."


def _labelled(rows: int = 400, seed: int = 3) -> Labelled:
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(rows, 6)).astype(np.float32)
    unsided = features[:, 0] + 0.5 * features[:, 1] > 0
    return Labelled(features=features, unsided=unsided, topics=[str(i) for i in range(rows)])


def test_the_saved_network_answers_as_the_fitted_one(tmp_path: Path) -> None:
    labelled = _labelled()
    cascade = fit_network(labelled, seed=1)
    mean, scale = labelled.features.mean(axis=0), labelled.features.std(axis=0) + 1e-6
    reference = MLPClassifier(
        hidden_layer_sizes=(128,), alpha=1e-3, early_stopping=True, max_iter=60, random_state=1
    ).fit((labelled.features - mean) / scale, labelled.unsided)
    expected = reference.predict_proba((labelled.features - mean) / scale)[:, 1]
    np.testing.assert_allclose(cascade.unsided_probability(labelled.features), expected, atol=1e-4)
    cascade = dataclasses.replace(cascade, threshold=0.9)
    cascade.save(tmp_path, {"threshold": 0.9})
    loaded = Cascade.load(tmp_path)
    assert loaded is not None and loaded.threshold == 0.9
    np.testing.assert_allclose(loaded.unsided_probability(labelled.features), expected, atol=1e-4)
    assert Cascade.load(tmp_path / "elsewhere") is None


def test_the_threshold_keeps_disagreement_within_the_bound() -> None:
    probabilities = np.linspace(0.0, 1.0, 1001)
    # The engine took a side on a few pairs the network is sure of, and on most it doubts.
    unsided = probabilities > 0.4
    unsided[[960, 980, 990]] = False
    threshold = choose_threshold(probabilities, unsided)
    measured, settled = disagreement(probabilities, unsided, threshold)
    assert measured <= MAX_DISAGREEMENT and settled > 0.4
    assert disagreement(probabilities, unsided, threshold - 0.1)[0] > measured
    # Sure of every pair and wrong on all: nothing is settled.
    assert choose_threshold(np.full(100, 0.999), np.zeros(100, dtype=bool)) > 1.0


def test_cues_name_negation_denial_and_differing_figures() -> None:
    plain = cue_features(CLAIM, "About 3,000 North Korean soldiers are in Russia.")
    denied = cue_features(CLAIM, "Moscow denied that 500 North Korean soldiers are not in Russia.")
    assert plain[2] == 0.0 and plain[8] == 1.0 and plain[9] == 0.0
    assert denied[2] == 1.0 and denied[3] == 1.0 and denied[9] == 1.0


class RecordingClassifier:
    def __init__(self) -> None:
        self.evidences: list[str] = []

    def predict(self, claims: Sequence[str], evidences: Sequence[str]) -> npt.NDArray[np.float32]:
        self.evidences += evidences
        return np.tile(np.array([[0.1, 0.8, 0.1]], dtype=np.float32), (len(claims), 1))


def _always(probability: float, threshold: float) -> Cascade:
    """A cascade whose network answers ``probability`` for every pair."""
    width = 384 * 2 + 1 + 5 + 10
    return Cascade(
        mean=np.zeros(width, np.float32),
        scale=np.ones(width, np.float32),
        hidden_weights=np.zeros((width, 1), np.float32),
        hidden_bias=np.zeros(1, np.float32),
        output_weights=np.zeros(1, np.float32),
        output_bias=float(np.log(probability / (1 - probability))),
        threshold=threshold,
    )


def test_settled_statements_skip_the_classifier_and_read_as_unsided(
    encoder: SentenceTransformerEncoder,
) -> None:
    recording = RecordingClassifier()
    engine = StanceEngine(encoder, classifier=recording, cascade=_always(0.95, threshold=0.9))
    near = "Some 3,000 North Korean troops have deployed to Russia."
    far = "The city council approved a larger budget for road repairs."
    article = " ".join(f"Troops from North Korea drilled at site {n} in Russia." for n in range(9))
    judgements = engine.judge_pairs([(CLAIM, near), (CLAIM, far), (CLAIM, article)])
    # Statements are settled; an article still goes to the classifier.
    assert len(recording.evidences) == 1 and "site 0" in recording.evidences[0]
    assert judgements[0].stance is Stance.DISCUSSES
    assert "settled by the first judge" in judgements[0].reasons
    assert judgements[1].stance is Stance.UNRELATED
    assert judgements[2].stance is Stance.CONTRADICTS
    # Below the threshold the classifier decides, in one batch.
    engine = StanceEngine(encoder, classifier=recording, cascade=_always(0.8, threshold=0.9))
    recording.evidences.clear()
    judgements = engine.judge_pairs([(CLAIM, near), (CLAIM, far)])
    assert recording.evidences == [near, far]
    assert judgements[0].stance is Stance.CONTRADICTS
