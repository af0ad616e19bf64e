"""Confidence that means something: temperature scaling of the classifier, fitted on dev pairs.

A temperature above 1 softens over-confident probabilities, below 1 sharpens timid ones; one is
fitted for statement pairs and one for claims against articles, whose errors differ. Expected
calibration error (ECE) says how far "80% sure" is from being right 80% of the time.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

CALIBRATION_FILE = "calibration.json"


def tempered(probabilities: npt.NDArray[np.float32], temperature: float) -> npt.NDArray[np.float32]:
    """Rows of probabilities rescaled as softmax(log p / temperature)."""
    if temperature == 1.0 or len(probabilities) == 0:
        return probabilities
    logits = np.log(np.clip(probabilities, 1e-12, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    scaled: npt.NDArray[np.float32] = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
    return scaled


@dataclass(frozen=True)
class Calibration:
    """Temperatures for the classifier's probabilities, by kind of evidence."""

    statement_temperature: float = 1.0
    article_temperature: float = 1.0

    def apply(
        self, probabilities: npt.NDArray[np.float32], *, article: bool
    ) -> npt.NDArray[np.float32]:
        temperature = self.article_temperature if article else self.statement_temperature
        return tempered(probabilities, temperature)

    def save(self, path: Path) -> None:
        payload = {
            "statement_temperature": self.statement_temperature,
            "article_temperature": self.article_temperature,
        }
        path.write_text(json.dumps(payload, indent=2))

    @classmethod
    def load(cls, path: Path) -> Calibration:
        """The saved temperatures, or none (1.0) when the artifacts carry no calibration."""
        if not path.is_file():
            return cls()
        payload = json.loads(path.read_text())
        return cls(
            statement_temperature=float(payload["statement_temperature"]),
            article_temperature=float(payload["article_temperature"]),
        )


def fit_temperature(probabilities: npt.NDArray[np.float32], gold: Sequence[int]) -> float:
    """The temperature that minimises the negative log-likelihood of the gold labels."""
    from scipy.optimize import minimize_scalar

    if len(gold) == 0:
        return 1.0
    rows = np.arange(len(gold))
    labels = np.asarray(gold)

    def nll(temperature: float) -> float:
        scaled = tempered(probabilities, temperature)
        return float(-np.log(np.clip(scaled[rows, labels], 1e-12, 1.0)).mean())

    result = minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded")
    return round(float(result.x), 4)


def expected_calibration_error(
    confidences: Sequence[float], correct: Sequence[bool], *, bins: int = 15
) -> float:
    """Mean gap between confidence and accuracy over equal-width bins, weighted by their size."""
    if not confidences:
        return 0.0
    conf = np.asarray(confidences, dtype=np.float64)
    hits = np.asarray(correct, dtype=np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(conf, edges[1:-1]), 0, bins - 1)
    gap = 0.0
    for b in range(bins):
        members = which == b
        if members.any():
            gap += members.mean() * abs(conf[members].mean() - hits[members].mean())
    return round(float(gap), 4)
