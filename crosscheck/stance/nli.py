"""An optional NLI cross-encoder (sentence-transformers ``CrossEncoder``) supplied by the user."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from crosscheck.stance.classifier import CLASSIFIER_LABELS
from crosscheck.stance.schemas import Stance

_NLI_NAMES = {
    "entail": Stance.CORROBORATES,
    "contradict": Stance.CONTRADICTS,
    "neutral": Stance.DISCUSSES,
}


def stance_for_nli_label(name: str) -> Stance:
    """entailment -> corroborates, contradiction -> contradicts, neutral -> discusses."""
    for prefix, stance in _NLI_NAMES.items():
        if name.lower().startswith(prefix):
            return stance
    raise ValueError(f"NLI label {name!r} is not entailment, contradiction or neutral")


class NliClassifier:
    """Wraps a 3-way NLI cross-encoder so it answers like the trained stance classifier."""

    def __init__(self, model: Any, *, batch_size: int = 32) -> None:
        self._model = model
        id2label = model.model.config.id2label
        stances = [stance_for_nli_label(id2label[i]) for i in range(len(id2label))]
        if sorted(stances) != sorted(CLASSIFIER_LABELS):
            raise ValueError(f"NLI model labels {id2label} do not cover all three stances")
        # Column j of our output is the model's column that means CLASSIFIER_LABELS[j].
        self._columns = [stances.index(label) for label in CLASSIFIER_LABELS]
        self._batch_size = batch_size
        self._lock = threading.Lock()

    @classmethod
    def load(cls, name_or_path: str) -> NliClassifier:
        """Load by local path, or a name already in the local cache: nothing is downloaded."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import CrossEncoder

        return cls(CrossEncoder(name_or_path, device="cpu"))

    def predict(self, claims: Sequence[str], evidences: Sequence[str]) -> npt.NDArray[np.float32]:
        if not claims:
            return np.zeros((0, len(CLASSIFIER_LABELS)), dtype=np.float32)
        with self._lock:
            scores = self._model.predict(
                list(zip(claims, evidences, strict=True)),
                batch_size=self._batch_size,
                apply_softmax=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(scores, dtype=np.float32)[:, self._columns]
