"""The sentence encoder on ONNX Runtime: the same vectors as PyTorch, faster for few sentences."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from embeddings.encoders.base import PACKAGED_MODEL, Vectors, resolve_model_path
from embeddings.encoders.onnx_export import create_session, ensure_export, run_session
from embeddings.encoders.tokens import load_tokenizer, max_tokens, tokenize

log = logging.getLogger(__name__)


class OnnxEncoder:
    """A sentence-transformers model exported to ONNX (see onnx_export.py), tokenized in Rust.

    Thread-safe: ONNX Runtime sessions and tokenizers may be called from several threads.
    """

    def __init__(
        self,
        model: str = PACKAGED_MODEL,
        *,
        cache_dir: Path,
        batch_size: int = 64,
        threads: int = 0,
    ) -> None:
        started = time.perf_counter()
        model_dir = resolve_model_path(model)
        self._name = model if model != PACKAGED_MODEL else "all-MiniLM-L6-v2"
        export = ensure_export(
            model_dir=model_dir, cache_dir=cache_dir, task="sentence-embedding", model=self._name
        )
        self._session: Any = create_session(export.path, threads=threads)
        self._tokenizer: Any = load_tokenizer(model_dir, max_length=max_tokens(model_dir))
        self._batch_size = batch_size
        # One call sizes the output and warms the session before the first real query.
        self._dimension = int(self.encode(["dimension probe"]).shape[1])
        log.info(
            "loaded ONNX encoder %s (%d dims) from %s in %.2fs",
            self._name,
            self._dimension,
            export.path,
            time.perf_counter() - started,
        )

    @property
    def model_name(self) -> str:
        return self._name

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts``; rows are unit length, in input order."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # Batches of similar length waste less work on padding (as sentence-transformers does).
        order = np.argsort([-len(text) for text in texts], kind="stable")
        rows: list[Vectors] = []
        for start in range(0, len(texts), self._batch_size):
            chunk = [texts[i] for i in order[start : start + self._batch_size]]
            rows.append(run_session(self._session, tokenize(self._tokenizer, chunk)))
        vectors = np.empty((len(texts), rows[0].shape[1]), dtype=np.float32)
        vectors[order] = np.vstack(rows)
        return vectors
