"""The learned stance classifier: a MiniLM cross-encoder fine-tuned on claim / evidence pairs."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from crosscheck.stance.schemas import Stance

# The order of the classifier's outputs.
CLASSIFIER_LABELS = (Stance.CORROBORATES, Stance.CONTRADICTS, Stance.DISCUSSES)
MAX_LENGTH = 128
# Written beside the weights: how the judge was shown its evidence while it learned.
INPUTS_FILE = "inputs.json"
# Marks sentences cut from an article, so one judge learns both readings: an article that
# "disagrees" with a headline rarely states its opposite, as a contradicting statement does.
ARTICLE_PREFIX = "[article]"


def article_prefix(directory: Path) -> str:
    """The text put before an article's sentences for this judge ("" for one trained without)."""
    path = directory / INPUTS_FILE
    if not path.is_file():
        return ""
    return str(json.loads(path.read_text()).get("article_prefix", ""))


def with_prefix(prefix: str, text: str) -> str:
    return f"{prefix} {text}" if prefix else text


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

        _check_labels(directory)
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


class OnnxStanceClassifier:
    """The same classifier exported to ONNX Runtime (checked against PyTorch at export)."""

    def __init__(
        self, directory: Path, *, cache_dir: Path, batch_size: int = 32, int8: bool = False
    ) -> None:
        from embeddings.encoders.onnx_export import (
            PAIR_MAX_TOKENS,
            create_session,
            ensure_export,
            ensure_int8,
        )
        from embeddings.encoders.tokens import load_tokenizer

        _check_labels(directory)
        export = ensure_export(
            model_dir=directory,
            cache_dir=cache_dir,
            task="sequence-classification",
            model=f"the stance classifier in {directory}",
        )
        self._session = create_session(ensure_int8(export) if int8 else export.path)
        self._tokenizer = load_tokenizer(directory, max_length=PAIR_MAX_TOKENS, only_second=True)
        self._batch_size = batch_size

    def predict(self, claims: Sequence[str], evidences: Sequence[str]) -> npt.NDArray[np.float32]:
        """One row of probabilities (in ``CLASSIFIER_LABELS`` order) per pair."""
        from embeddings.encoders.onnx_export import run_session
        from embeddings.encoders.tokens import tokenize

        if not claims:
            return np.zeros((0, len(CLASSIFIER_LABELS)), dtype=np.float32)
        rows = [
            run_session(
                self._session,
                tokenize(
                    self._tokenizer,
                    claims[start : start + self._batch_size],
                    evidences[start : start + self._batch_size],
                ),
            )
            for start in range(0, len(claims), self._batch_size)
        ]
        return np.vstack(rows).astype(np.float32)


class SizeRoutedClassifier:
    """ONNX Runtime for up to ``onnx_max_batch`` pairs, PyTorch (loaded on first use) beyond."""

    def __init__(
        self, onnx: PairClassifier, load_torch: Callable[[], PairClassifier], *, onnx_max_batch: int
    ) -> None:
        self._onnx = onnx
        self._load_torch = load_torch
        self._torch: PairClassifier | None = None
        self._lock = threading.Lock()
        self._onnx_max_batch = onnx_max_batch

    def predict(self, claims: Sequence[str], evidences: Sequence[str]) -> npt.NDArray[np.float32]:
        if len(claims) <= self._onnx_max_batch:
            return self._onnx.predict(claims, evidences)
        with self._lock:
            if self._torch is None:
                self._torch = self._load_torch()
        return self._torch.predict(claims, evidences)


def load_classifier(
    directory: Path, *, backend: str, onnx_dir: Path, onnx_max_batch: int, int8: bool = False
) -> PairClassifier:
    """The trained classifier on PyTorch, ONNX Runtime, or each where faster (``auto``);
    ``int8``: ONNX Runtime runs the int8 quantisation (only where it was measured faithful)."""
    if backend == "torch":
        return StanceClassifier.load(directory)
    onnx = OnnxStanceClassifier(directory, cache_dir=onnx_dir, int8=int8)
    if backend == "onnx":
        return onnx
    return SizeRoutedClassifier(
        onnx, lambda: StanceClassifier.load(directory), onnx_max_batch=onnx_max_batch
    )


def _check_labels(directory: Path) -> None:
    labels = json.loads((directory / "labels.json").read_text())
    if labels != [label.value for label in CLASSIFIER_LABELS]:
        raise ValueError(f"{directory} predicts {labels}, expected {CLASSIFIER_LABELS}")


class BatchingPairClassifier:
    """Pairs from concurrent verifications, classified in one model call (a MicroBatcher)."""

    def __init__(self, classifier: PairClassifier, *, window: float, max_items: int) -> None:
        from embeddings.encoders.batching import MicroBatcher

        self.inner = classifier
        self._batcher: MicroBatcher[tuple[str, str], npt.NDArray[np.float32]] = MicroBatcher(
            self._predict_rows, window=window, max_items=max_items, name="pair-batcher"
        )
        self._max_items = max_items

    def _predict_rows(self, pairs: list[tuple[str, str]]) -> list[npt.NDArray[np.float32]]:
        return list(self.inner.predict([c for c, _ in pairs], [e for _, e in pairs]))

    def predict(self, claims: Sequence[str], evidences: Sequence[str]) -> npt.NDArray[np.float32]:
        if not claims or len(claims) > self._max_items:
            return self.inner.predict(claims, evidences)
        rows = self._batcher.run(list(zip(claims, evidences, strict=True)))
        return np.vstack(rows).astype(np.float32, copy=False)

    def close(self) -> None:
        self._batcher.close()
