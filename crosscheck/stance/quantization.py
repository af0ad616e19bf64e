"""Quantise only what stays faithful: the int8 judge is used where its labels were measured to
agree with the full-precision judge's on at least 99% of dev pairs.

``crosscheck quantize-stance`` measures it and writes ``quantization.json`` beside the model,
naming the classifier files it measured; the engine reads it and runs int8 only for those files.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

QUANTIZATION_FILE = "quantization.json"
MIN_LABEL_AGREEMENT = 0.99


@dataclass(frozen=True)
class QuantizationCheck:
    """How often the int8 judge's label matched full precision, on how many dev pairs."""

    label_agreement: float
    pairs: int
    statement_agreement: float
    article_agreement: float
    classifier_sha256: str

    @property
    def faithful(self) -> bool:
        return self.label_agreement >= MIN_LABEL_AGREEMENT

    def save(self, directory: Path) -> None:
        payload = {**asdict(self), "used": self.faithful, "min_agreement": MIN_LABEL_AGREEMENT}
        (directory / QUANTIZATION_FILE).write_text(json.dumps(payload, indent=2) + "\n")

    @classmethod
    def load(cls, directory: Path) -> QuantizationCheck | None:
        path = directory / QUANTIZATION_FILE
        if not path.is_file():
            return None
        payload = json.loads(path.read_text())
        return cls(
            label_agreement=float(payload["label_agreement"]),
            pairs=int(payload["pairs"]),
            statement_agreement=float(payload["statement_agreement"]),
            article_agreement=float(payload["article_agreement"]),
            classifier_sha256=str(payload["classifier_sha256"]),
        )


def label_agreement(full: npt.NDArray[np.float32], int8: npt.NDArray[np.float32]) -> float:
    """The share of rows whose most likely label is the same."""
    if not len(full):
        return 1.0
    return float(np.mean(full.argmax(axis=1) == int8.argmax(axis=1)))


def int8_allowed(model_dir: Path, classifier_dir: Path) -> bool:
    """Whether ``quantization.json`` found int8 faithful for exactly these classifier files."""
    from embeddings.encoders.onnx_export import source_digest

    check = QuantizationCheck.load(model_dir)
    return (
        check is not None
        and check.faithful
        and check.classifier_sha256 == source_digest(classifier_dir)
    )
