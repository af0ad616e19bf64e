"""The learned stance classifier: a MiniLM cross-encoder fine-tuned on claim / evidence pairs."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from crosscheck.stance.schemas import Stance

# The order of the classifier's outputs.
CLASSIFIER_LABELS = (Stance.CORROBORATES, Stance.CONTRADICTS, Stance.DISCUSSES)
MAX_LENGTH = 128


class PairClassifier(Protocol):
    """Scores related (claim, evidence) pairs: one row per pair, ``CLASSIFIER_LABELS`` order."""

    def predict(
        self, claims: Sequence[str], evidences: Sequence[str]
    ) -> npt.NDArray[np.float32]: ...


class StanceClassifier:
    """Probabilities of corroborates / contradicts / discusses for related pairs."""

    def __init__(self, model: Any, tokenizer: Any, *, batch_size: int = 32) -> None:
        self._model = model
        self._tokenizer = tokenizer
        self._batch_size = batch_size
        self._lock = threading.Lock()

    @classmethod
    def load(cls, directory: Path) -> StanceClassifier:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        labels = json.loads((directory / "labels.json").read_text())
        if labels != [label.value for label in CLASSIFIER_LABELS]:
            raise ValueError(f"{directory} predicts {labels}, expected {CLASSIFIER_LABELS}")
        model = AutoModelForSequenceClassification.from_pretrained(
            str(directory), dtype=torch.float32
        )
        model.eval()
        return cls(model, AutoTokenizer.from_pretrained(str(directory)))

    def encode_pairs(self, claims: Sequence[str], evidences: Sequence[str]) -> Any:
        return self._tokenizer(
            list(claims),
            list(evidences),
            truncation="only_second",
            max_length=MAX_LENGTH,
            padding=True,
            return_tensors="pt",
        )

    def predict(self, claims: Sequence[str], evidences: Sequence[str]) -> npt.NDArray[np.float32]:
        """One row of probabilities (in ``CLASSIFIER_LABELS`` order) per pair."""
        import torch

        if not claims:
            return np.zeros((0, len(CLASSIFIER_LABELS)), dtype=np.float32)
        rows = []
        with self._lock, torch.inference_mode():
            for start in range(0, len(claims), self._batch_size):
                batch = self.encode_pairs(
                    claims[start : start + self._batch_size],
                    evidences[start : start + self._batch_size],
                )
                logits = self._model(**batch).logits
                rows.append(torch.softmax(logits, dim=-1).numpy())
        return np.vstack(rows).astype(np.float32)
