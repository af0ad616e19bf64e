"""A first judge that settles the clear cases: statement pairs the full judge would leave unsided.

Most of a verification's candidates neither back nor deny the claim. From what the encoder and
the relatedness model already computed (the two vectors, similarity, shared words and names)
and word cues (negation, denial, hedges, figures), a small network distilled from the full
engine's own labels on training pairs gives the probability that the engine takes no side.
At or above the threshold chosen on dev pairs (where the cascade's labels and the full engine's
differ on under 2% of pairs) the pair is settled without the cross-encoder; the rest go to it
in one batch. The network's forward pass is two matrix products, written out here so the
service loads its weights from a plain array file rather than a pickled estimator.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from crosscheck.stance.cues import find_cues
from crosscheck.stance.relatedness import RelatednessSignals

CASCADE_FILE = "cascade.npz"
CASCADE_REPORT = "cascade.json"
_NUMBER = re.compile(r"\d[\d,.]*")

Features = npt.NDArray[np.float32]


def _numbers(text: str) -> set[str]:
    return {n.rstrip(".,").replace(",", "") for n in _NUMBER.findall(text)}


def cue_features(claim: str, evidence: str) -> list[float]:
    """Word cues of both texts that a side often turns on."""
    claim_cues, evidence_cues = find_cues(claim), find_cues(evidence)
    claim_numbers, evidence_numbers = _numbers(claim), _numbers(evidence)
    return [
        float(claim_cues.negative),
        float(evidence_cues.negative),
        float(claim_cues.negative != evidence_cues.negative),
        float(bool(evidence_cues.denials)),
        float(bool(evidence_cues.hedges)),
        float(bool(evidence_cues.strong_hedges)),
        float(bool(claim_numbers)),
        float(bool(evidence_numbers)),
        float(bool(claim_numbers & evidence_numbers)),
        float(bool(claim_numbers) and bool(evidence_numbers) and claim_numbers != evidence_numbers),
    ]


def pair_features(
    claim_vector: npt.NDArray[np.float32],
    evidence_vector: npt.NDArray[np.float32],
    signals: RelatednessSignals,
    claim: str,
    evidence: str,
) -> Features:
    """One row: the vectors' product and distance, the relatedness signals, the cues."""
    scalars = [
        float(claim_vector @ evidence_vector),
        *signals.vector(),
        *cue_features(claim, evidence),
    ]
    return np.concatenate(
        [
            claim_vector * evidence_vector,
            np.abs(claim_vector - evidence_vector),
            np.asarray(scalars, dtype=np.float32),
        ]
    ).astype(np.float32)


@dataclass(frozen=True)
class Cascade:
    """P(the full engine takes no side) from pair features; settles at ``threshold`` or above."""

    mean: Features
    scale: Features
    hidden_weights: Features
    hidden_bias: Features
    output_weights: Features
    output_bias: float
    threshold: float

    def unsided_probability(self, features: Features) -> npt.NDArray[np.float64]:
        """One probability per row of ``features``."""
        rows = (np.atleast_2d(features) - self.mean) / self.scale
        hidden = np.maximum(rows @ self.hidden_weights + self.hidden_bias, 0.0)
        logits = hidden @ self.output_weights + self.output_bias
        probability: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))
        return probability.reshape(-1)

    def save(self, directory: Path, report: dict[str, object]) -> None:
        np.savez(
            directory / CASCADE_FILE,
            mean=self.mean,
            scale=self.scale,
            hidden_weights=self.hidden_weights,
            hidden_bias=self.hidden_bias,
            output_weights=self.output_weights,
            output_bias=np.asarray([self.output_bias], dtype=np.float32),
            threshold=np.asarray([self.threshold], dtype=np.float64),
        )
        (directory / CASCADE_REPORT).write_text(json.dumps(report, indent=2))

    @classmethod
    def load(cls, directory: Path) -> Cascade | None:
        """The fitted cascade in ``directory``, or none (every pair goes to the full judge)."""
        path = directory / CASCADE_FILE
        if not path.is_file():
            return None
        with np.load(path) as arrays:
            return cls(
                mean=arrays["mean"].astype(np.float32),
                scale=arrays["scale"].astype(np.float32),
                hidden_weights=arrays["hidden_weights"].astype(np.float32),
                hidden_bias=arrays["hidden_bias"].astype(np.float32),
                output_weights=arrays["output_weights"].astype(np.float32),
                output_bias=float(arrays["output_bias"][0]),
                threshold=float(arrays["threshold"][0]),
            )
