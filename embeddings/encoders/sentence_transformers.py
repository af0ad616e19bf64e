"""The sentence encoder on PyTorch, through sentence-transformers."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from embeddings.encoders.base import PACKAGED_MODEL, Vectors, resolve_model_path

log = logging.getLogger(__name__)


class SentenceTransformerEncoder:
    """A sentence-transformers model loaded offline from a local folder, on the CPU."""

    def __init__(self, model: str = PACKAGED_MODEL, *, batch_size: int = 64) -> None:
        # Models load from disk only: never let the hub client retry over the network.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # A progress bar per model load is noise in server logs and CLI output.
        disable_progress_bar: Callable[[], None] = transformers_logging.disable_progress_bar
        disable_progress_bar()

        started = time.perf_counter()
        path = resolve_model_path(model)
        self._model: Any = SentenceTransformer(str(path), device="cpu")
        self._name = model if model != PACKAGED_MODEL else "all-MiniLM-L6-v2"
        dimension = self._model.get_embedding_dimension()
        if not isinstance(dimension, int):
            raise ValueError(f"model at {path} does not report its embedding dimension")
        self._dimension = dimension
        self._batch_size = batch_size
        # torch modules are not documented as safe for concurrent forward passes.
        self._lock = threading.Lock()
        log.info(
            "loaded encoder %s (%d dims) from %s in %.2fs",
            self._name,
            self._dimension,
            path,
            time.perf_counter() - started,
        )

    @property
    def model_name(self) -> str:
        return self._name

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts`` in batches; rows are unit length."""
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                list(texts),
                batch_size=self._batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)
