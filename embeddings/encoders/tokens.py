"""Fast (Rust) tokenization for the ONNX models, configured as the PyTorch models tokenize."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

DEFAULT_MAX_TOKENS = 256


def max_tokens(model_dir: Path) -> int:
    """The sentence-transformers sequence limit of ``model_dir`` (256 for all-MiniLM-L6-v2)."""
    config = model_dir / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text()).get("max_seq_length", DEFAULT_MAX_TOKENS))
    return DEFAULT_MAX_TOKENS


def load_tokenizer(model_dir: Path, *, max_length: int, only_second: bool = False) -> Any:
    """The folder's ``tokenizer.json``; truncation and padding set as the PyTorch path sets them.

    The shipped file may carry other settings (fixed padding to 128): sentence-transformers and
    the stance classifier override them per call, so the same is done here once.
    """
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(
        max_length, strategy="only_second" if only_second else "longest_first"
    )
    tokenizer.enable_padding(pad_id=0, pad_type_id=0, pad_token="[PAD]")  # to the longest row
    return tokenizer


def tokenize(
    tokenizer: Any, texts: Sequence[str], pairs: Sequence[str] | None = None
) -> dict[str, npt.NDArray[np.int64]]:
    """Model inputs for ``texts`` (or text pairs), padded to the longest row."""
    items: list[Any] = list(texts) if pairs is None else list(zip(texts, pairs, strict=True))
    encoded = tokenizer.encode_batch(items)
    return {
        "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
        "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
    }
