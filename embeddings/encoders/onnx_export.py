"""ONNX exports of the project's transformer models, cached with a metadata file checked before use.

A model folder (sentence embeddings, or a sequence classifier) is exported once with torch.onnx's
legacy exporter (eager attention, so ONNX Runtime's transformer optimizer can fuse it), optimized,
checked against PyTorch on sample inputs, and saved atomically beside a metadata file naming the
source model, its checksum, the library versions and the export's own checksum. A cache whose
metadata is missing, stale or does not match its file is exported again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from filelock import FileLock
from pydantic import BaseModel, ValidationError

from embeddings.artifacts import file_digest, write_atomically

log = logging.getLogger(__name__)

ONNX_FILE = "model.onnx"
METADATA_FILE = "onnx.meta.json"
FORMAT_VERSION = 1
LOCK_TIMEOUT_SECONDS = 600.0
# The files of a Hugging Face folder that decide what the exported graph computes.
SOURCE_FILES = ("config.json", "model.safetensors", "pytorch_model.bin", "tokenizer.json")

Task = Literal["sentence-embedding", "sequence-classification"]

# Varied lengths and topics: the export must agree with PyTorch on each (padding included).
SAMPLE_TEXTS = (
    "North Korean soldiers are in Russia.",
    "The ministry denied the reports, calling them propaganda.",
    "At least 3,000 troops were moved to the eastern border region on Monday, officials said.",
    "Tap water is safe to drink.",
    "Inflation slowed to 2.4 percent in March, down from 3.1 percent a month earlier, according "
    "to figures the statistics office published on Thursday after weeks of delays caused by a "
    "strike among its staff and a dispute over how rents should be counted.",
    "ok",
    "Über 500 Liter Lösungsmittel flossen in den Fluss.",
    "Roughly 40 litres of diesel leaked into the Arden River near Riverton overnight.",
)


class OnnxExportError(Exception):
    """The export could not be made, or does not compute what the PyTorch model computes."""


class OnnxMetadata(BaseModel):
    """What a cached export holds, how it was made, and how closely it matched PyTorch."""

    format_version: int = FORMAT_VERSION
    task: Task
    model: str
    source_sha256: str
    file_sha256: str
    versions: dict[str, str]
    agreement: float
    exported_at: datetime


@dataclass(frozen=True)
class OnnxExport:
    """A checked export on disk."""

    path: Path
    metadata: OnnxMetadata


def export_versions() -> dict[str, str]:
    """Versions that change what an export computes: a different one means export again."""
    import onnxruntime
    import torch
    import transformers

    return {
        "torch": torch.__version__.split("+")[0],
        "transformers": transformers.__version__,
        "onnxruntime": onnxruntime.__version__,
        "format": str(FORMAT_VERSION),
    }


def source_digest(model_dir: Path) -> str:
    """A checksum over the files of ``model_dir`` that decide its outputs."""
    digest = hashlib.sha256()
    for name in SOURCE_FILES:
        path = model_dir / name
        if path.is_file():
            digest.update(name.encode())
            digest.update(file_digest(path).encode())
    return digest.hexdigest()


def ensure_export(*, model_dir: Path, cache_dir: Path, task: Task, model: str) -> OnnxExport:
    """The cached export of ``model_dir`` in ``cache_dir``, made (and checked) if it is unusable."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(cache_dir / "export.lock", timeout=LOCK_TIMEOUT_SECONDS):
        wanted = source_digest(model_dir)
        versions = export_versions()
        problem = _cache_problem(cache_dir, task=task, source_sha256=wanted, versions=versions)
        if problem is None:
            return OnnxExport(cache_dir / ONNX_FILE, _read_metadata(cache_dir))
        if (cache_dir / METADATA_FILE).exists() or (cache_dir / ONNX_FILE).exists():
            log.warning("ONNX cache at %s unusable (%s): exporting %s", cache_dir, problem, model)
        else:  # a first run: nothing cached yet
            log.info("no ONNX export cached yet in %s: exporting %s", cache_dir, model)
        started = time.perf_counter()
        agreement = _export(model_dir, cache_dir / ONNX_FILE, task=task)
        metadata = OnnxMetadata(
            task=task,
            model=model,
            source_sha256=wanted,
            file_sha256=file_digest(cache_dir / ONNX_FILE),
            versions=versions,
            agreement=agreement,
            exported_at=datetime.now(UTC),
        )
        write_atomically(cache_dir / METADATA_FILE, metadata.model_dump_json(indent=2).encode())
        log.info(
            "exported %s to ONNX in %.1fs (agreement with PyTorch %.6f)",
            model,
            time.perf_counter() - started,
            agreement,
        )
        return OnnxExport(cache_dir / ONNX_FILE, metadata)


def _read_metadata(cache_dir: Path) -> OnnxMetadata:
    return OnnxMetadata.model_validate_json((cache_dir / METADATA_FILE).read_bytes())


def _cache_problem(
    cache_dir: Path, *, task: Task, source_sha256: str, versions: dict[str, str]
) -> str | None:
    """Why the cached export cannot be used, or ``None`` when it can."""
    if not (cache_dir / METADATA_FILE).is_file():
        return "no metadata"
    try:
        metadata = _read_metadata(cache_dir)
    except (ValidationError, ValueError) as exc:
        return f"unreadable metadata: {type(exc).__name__}"
    if metadata.format_version != FORMAT_VERSION or metadata.task != task:
        return f"made as {metadata.task} format {metadata.format_version}"
    if metadata.source_sha256 != source_sha256:
        return "made from another model"
    if metadata.versions != versions:
        return f"made with {metadata.versions}, running {versions}"
    path = cache_dir / ONNX_FILE
    if not path.is_file():
        return "no model file"
    if file_digest(path) != metadata.file_sha256:
        return "model file does not match its checksum"
    return None


# Sentence-transformers MiniLM models mean-pool the last hidden state over real tokens, then
# normalise; doing both inside the graph leaves one output to read.
def _embedding_module(model: Any) -> Any:
    import torch

    class SentenceEmbedding(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    return SentenceEmbedding()


def _classifier_module(model: Any) -> Any:
    import torch

    class PairProbabilities(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            logits = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).logits
            return torch.softmax(logits, dim=-1)

    return PairProbabilities()


def _load_torch_model(model_dir: Path, task: Task) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel, AutoModelForSequenceClassification

    loader: Any = AutoModel if task == "sentence-embedding" else AutoModelForSequenceClassification
    # Eager attention exports as plain MatMul/Softmax, the pattern ORT's optimizer fuses.
    model = loader.from_pretrained(str(model_dir), attn_implementation="eager", dtype=torch.float32)
    model.eval()
    wrap = _embedding_module if task == "sentence-embedding" else _classifier_module
    return wrap(model)


def _sample_batch(model_dir: Path, task: Task) -> dict[str, npt.NDArray[np.int64]]:
    from embeddings.encoders.tokens import load_tokenizer, max_tokens, tokenize

    if task == "sentence-embedding":
        return tokenize(load_tokenizer(model_dir, max_length=max_tokens(model_dir)), SAMPLE_TEXTS)
    tokenizer = load_tokenizer(model_dir, max_length=PAIR_MAX_TOKENS, only_second=True)
    claims = SAMPLE_TEXTS[:4] * 2
    evidence = SAMPLE_TEXTS[4:] + SAMPLE_TEXTS[:4]
    return tokenize(tokenizer, claims, evidence)


def _export(model_dir: Path, target: Path, *, task: Task) -> float:
    """Export, optimize and check; returns the agreement with PyTorch (see ``_agreement``)."""
    with warnings.catch_warnings(), _quiet("onnx_model", "fusion_base", "onnxruntime"):
        # The tracer's warnings are about shapes baked into the graph; the agreement check
        # below, over a padded batch of varied lengths, is what decides.
        warnings.simplefilter("ignore")
        return _export_checked(model_dir, target, task=task)


@contextlib.contextmanager
def _quiet(*names: str) -> Iterator[None]:
    """ORT's optimizer logs every step at INFO: keep it out of server logs during an export."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _export_checked(model_dir: Path, target: Path, *, task: Task) -> float:
    import torch
    from onnxruntime.transformers.optimizer import optimize_model

    module = _load_torch_model(model_dir, task)
    config = module.model.config
    batch = _sample_batch(model_dir, task)
    inputs = tuple(torch.from_numpy(batch[name]) for name in INPUT_NAMES)
    output = "embedding" if task == "sentence-embedding" else "probabilities"
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        raw, optimized = Path(work) / "raw.onnx", Path(work) / "optimized.onnx"
        with torch.inference_mode():
            expected = module(*inputs).numpy()
            # The legacy exporter: the dynamo one's graph gets no attention fusion from ORT.
            torch.onnx.export(
                module,
                inputs,
                str(raw),
                input_names=list(INPUT_NAMES),
                output_names=[output],
                dynamic_axes={
                    **{name: {0: "batch", 1: "tokens"} for name in INPUT_NAMES},
                    output: {0: "batch"},
                },
                opset_version=17,
                dynamo=False,
            )
        graph = optimize_model(
            str(raw),
            model_type="bert",
            num_heads=int(config.num_attention_heads),
            hidden_size=int(config.hidden_size),
        )
        graph.save_model_to_file(str(optimized))
        actual = run_session(create_session(optimized), batch)
        agreement = _agreement(task, expected, actual)
        if agreement < MIN_AGREEMENT[task]:
            raise OnnxExportError(
                f"ONNX export of {model_dir} disagrees with PyTorch: "
                f"{agreement:.6f} < {MIN_AGREEMENT[task]}"
            )
        os.replace(optimized, target)
    return agreement


INT8_FILE = "model.int8.onnx"
INT8_METADATA_FILE = "int8.meta.json"


class Int8Metadata(BaseModel):
    """Which export an int8 file was quantised from, and its own checksum."""

    source_sha256: str
    file_sha256: str


def ensure_int8(export: OnnxExport) -> Path:
    """A dynamic int8 quantisation of ``export`` (weights stored as int8, activations quantised
    per call), made once beside it. Whether its answers are faithful enough is the caller's to
    measure: this only keeps the file in step with its source."""
    folder = export.path.parent
    target, metadata_path = folder / INT8_FILE, folder / INT8_METADATA_FILE
    with FileLock(folder / "export.lock", timeout=LOCK_TIMEOUT_SECONDS):
        with contextlib.suppress(OSError, ValidationError, ValueError):
            held = Int8Metadata.model_validate_json(metadata_path.read_bytes())
            if (
                held.source_sha256 == export.metadata.file_sha256
                and target.is_file()
                and file_digest(target) == held.file_sha256
            ):
                return target
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic

        started = time.perf_counter()
        with tempfile.TemporaryDirectory(dir=folder) as work, _quiet("onnxruntime"):
            made = Path(work) / INT8_FILE
            # The optimizer's fused graph leaves some tensors untyped; they are all float.
            quantize_dynamic(
                export.path,
                made,
                weight_type=QuantType.QInt8,
                extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
            )
            os.replace(made, target)
        metadata = Int8Metadata(
            source_sha256=export.metadata.file_sha256, file_sha256=file_digest(target)
        )
        write_atomically(metadata_path, metadata.model_dump_json(indent=2).encode())
        seconds = time.perf_counter() - started
        log.info("quantised %s to int8 in %.1fs", export.metadata.model, seconds)
        return target


INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
# The stance classifier reads (claim, evidence) pairs cut to 128 tokens, as it was trained.
PAIR_MAX_TOKENS = 128
# Embeddings: the lowest cosine between ONNX and PyTorch rows. Classifier: one minus the largest
# probability difference, and 0 if any pair's label differs.
MIN_AGREEMENT: dict[Task, float] = {"sentence-embedding": 0.9999, "sequence-classification": 0.9999}


def _agreement(
    task: Task, expected: npt.NDArray[np.float32], actual: npt.NDArray[np.float32]
) -> float:
    if expected.shape != actual.shape:
        return 0.0
    if task == "sentence-embedding":
        return float(np.min(np.sum(expected * actual, axis=1)))
    if not np.array_equal(expected.argmax(axis=1), actual.argmax(axis=1)):
        return 0.0
    return float(1.0 - np.max(np.abs(expected - actual)))


def create_session(path: Path, *, threads: int = 0) -> Any:
    """An ONNX Runtime CPU session; ``threads`` 0 lets ORT use one per core."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    # Spinning workers would take CPU from the request threads between model calls.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def run_session(session: Any, batch: dict[str, npt.NDArray[np.int64]]) -> npt.NDArray[np.float32]:
    """The graph's single output for a tokenized batch."""
    outputs: Sequence[Any] = session.run(None, {name: batch[name] for name in INPUT_NAMES})
    return np.asarray(outputs[0], dtype=np.float32)
