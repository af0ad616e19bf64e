"""Choosing the encoder: PyTorch, ONNX Runtime, or each where it is faster (by batch size)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from embeddings.encoders.base import Encoder, Vectors
from embeddings.encoders.onnx import OnnxEncoder
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder

log = logging.getLogger(__name__)

EncoderBackend = Literal["auto", "torch", "onnx"]


class SizeRoutedEncoder:
    """ONNX Runtime for calls of up to ``onnx_max_batch`` texts, PyTorch for larger ones.

    Both compute the same vectors (the export is checked against PyTorch); which one runs is a
    matter of speed only. PyTorch loads on the first large call, so a server that only answers
    queries never pays for it.
    """

    def __init__(
        self, onnx: Encoder, load_torch: Callable[[], Encoder], *, onnx_max_batch: int
    ) -> None:
        self._onnx = onnx
        self._load_torch = load_torch
        self._torch: Encoder | None = None
        self._torch_lock = threading.Lock()
        self.onnx_max_batch = onnx_max_batch

    @property
    def model_name(self) -> str:
        return self._onnx.model_name

    @property
    def dimension(self) -> int:
        return self._onnx.dimension

    def encode(self, texts: Sequence[str]) -> Vectors:
        if len(texts) <= self.onnx_max_batch:
            return self._onnx.encode(texts)
        return self._torch_encoder().encode(texts)

    def _torch_encoder(self) -> Encoder:
        with self._torch_lock:
            if self._torch is None:
                self._torch = self._load_torch()
            return self._torch


def load_encoder(
    *,
    backend: EncoderBackend,
    model: str,
    onnx_dir: Path,
    batch_size: int = 64,
    onnx_max_batch: int = 512,
) -> Encoder:
    """The encoder for ``backend``; ONNX exports are made once and cached in ``onnx_dir``."""

    def load_torch() -> Encoder:
        return SentenceTransformerEncoder(model, batch_size=batch_size)

    if backend == "torch":
        return load_torch()
    onnx = OnnxEncoder(model, cache_dir=onnx_dir, batch_size=batch_size)
    if backend == "onnx":
        return onnx
    return SizeRoutedEncoder(onnx, load_torch, onnx_max_batch=onnx_max_batch)
