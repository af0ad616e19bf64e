"""The ONNX Runtime encoder computes PyTorch's vectors; its export cache is checked before use."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import numpy as np
import pytest

from crosscheck.settings import DEFAULT_STANCE_MODEL
from crosscheck.stance.classifier import OnnxStanceClassifier, StanceClassifier
from crosscheck.stance.quantization import QuantizationCheck, int8_allowed
from embeddings.encoders import onnx_export
from embeddings.encoders.factory import SizeRoutedEncoder
from embeddings.encoders.onnx import OnnxEncoder
from embeddings.encoders.onnx_export import (
    METADATA_FILE,
    ONNX_FILE,
    OnnxExportError,
    ensure_export,
    ensure_int8,
    source_digest,
)
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder

SENTENCES = [
    "North Korean soldiers are in Russia.",
    "Russia's foreign ministry called the reports of troops propaganda.",
    "ok",
    "About 500 litres of solvent leaked into the river near Riverton on Tuesday, officials said, "
    "far less than the 20,000 litres first reported by residents and local newspapers.",
    "Tap water in Riverton is safe to drink again.",
    "Die Regierung bestreitet die Berichte.",
    "  spaces   around   ",
] * 6  # more rows than one ONNX batch, in mixed lengths


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("onnx") / "encoder"


@pytest.fixture(scope="module")
def onnx_encoder(onnx_cache: Path) -> OnnxEncoder:
    return OnnxEncoder(cache_dir=onnx_cache, batch_size=16)


def _row_cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1)


def test_onnx_vectors_match_pytorch(
    onnx_encoder: OnnxEncoder, encoder: SentenceTransformerEncoder
) -> None:
    expected = encoder.encode(SENTENCES)
    actual = onnx_encoder.encode(SENTENCES)
    assert actual.shape == expected.shape == (len(SENTENCES), 384)
    assert actual.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(actual, axis=1), 1.0, atol=1e-5)
    assert _row_cosines(actual, expected).min() >= 0.9999
    # One at a time (the query path) gives the same vectors as in a batch.
    single = np.vstack([onnx_encoder.encode([text]) for text in SENTENCES[:7]])
    assert _row_cosines(single, expected[:7]).min() >= 0.9999
    assert onnx_encoder.encode([]).shape == (0, 384)
    assert onnx_encoder.model_name == encoder.model_name == "all-MiniLM-L6-v2"


def test_export_metadata_describes_the_export(onnx_encoder: OnnxEncoder, onnx_cache: Path) -> None:
    metadata = onnx_export.OnnxMetadata.model_validate_json(
        (onnx_cache / METADATA_FILE).read_bytes()
    )
    assert metadata.task == "sentence-embedding"
    assert metadata.model == "all-MiniLM-L6-v2"
    assert metadata.agreement >= 0.9999
    assert metadata.file_sha256 == onnx_export.file_digest(onnx_cache / ONNX_FILE)
    assert set(metadata.versions) >= {"torch", "transformers", "onnxruntime"}


def test_a_valid_cache_is_reused_without_exporting(
    onnx_encoder: OnnxEncoder, onnx_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_export(*args: object, **kwargs: object) -> float:
        raise AssertionError("a valid cache must not be exported again")

    monkeypatch.setattr(onnx_export, "_export", no_export)
    again = OnnxEncoder(cache_dir=onnx_cache)
    np.testing.assert_allclose(
        again.encode(SENTENCES[:3]), onnx_encoder.encode(SENTENCES[:3]), atol=1e-6
    )


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["corrupt-model", "other-versions"])
def test_a_damaged_or_stale_cache_is_exported_again(
    onnx_encoder: OnnxEncoder,
    onnx_cache: Path,
    encoder: SentenceTransformerEncoder,
    damage: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if damage == "corrupt-model":
        model = onnx_cache / ONNX_FILE
        data = bytearray(model.read_bytes())
        data[len(data) // 2 : len(data) // 2 + 256] = b"\x00" * 256
        model.write_bytes(bytes(data))
        reason = "does not match its checksum"
    else:
        meta = onnx_cache / METADATA_FILE
        metadata = onnx_export.OnnxMetadata.model_validate_json(meta.read_bytes())
        metadata.versions["onnxruntime"] = "0.0.1"
        meta.write_text(metadata.model_dump_json())
        reason = "made with"
    with caplog.at_level(logging.WARNING, logger="embeddings.encoders.onnx_export"):
        rebuilt = OnnxEncoder(cache_dir=onnx_cache)
    assert any(reason in record.getMessage() for record in caplog.records)
    assert _row_cosines(rebuilt.encode(SENTENCES), encoder.encode(SENTENCES)).min() >= 0.9999


@pytest.mark.slow
def test_an_export_that_disagrees_with_pytorch_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Demand more agreement than any export can reach: the check must refuse, not cache.
    monkeypatch.setitem(onnx_export.MIN_AGREEMENT, "sentence-embedding", 1.5)
    with pytest.raises(OnnxExportError, match="disagrees with PyTorch"):
        OnnxEncoder(cache_dir=tmp_path)
    assert not (tmp_path / METADATA_FILE).exists()
    assert not (tmp_path / ONNX_FILE).exists()


def test_size_routed_encoder_uses_onnx_for_small_and_pytorch_for_large_batches(
    onnx_encoder: OnnxEncoder, encoder: SentenceTransformerEncoder
) -> None:
    loads: list[int] = []

    def load_torch() -> SentenceTransformerEncoder:
        loads.append(1)
        return encoder

    routed = SizeRoutedEncoder(onnx_encoder, load_torch, onnx_max_batch=4)
    small = routed.encode(SENTENCES[:4])
    assert loads == [], "PyTorch loads only when a large batch needs it"
    large = routed.encode(SENTENCES)
    assert loads == [1]
    routed.encode(SENTENCES)
    assert loads == [1]
    reference = encoder.encode(SENTENCES)
    assert _row_cosines(small, reference[:4]).min() >= 0.9999
    assert _row_cosines(large, reference).min() >= 0.9999
    assert routed.dimension == 384


@pytest.mark.slow
def test_onnx_stance_classifier_matches_pytorch(tmp_path_factory: pytest.TempPathFactory) -> None:
    directory = DEFAULT_STANCE_MODEL / "classifier"
    claims = [
        "At least 3,000 North Korean soldiers are in Russia",
        "North Korean troops are in Russia",
        "The spill was contained",
        "Tap water is safe to drink",
    ] * 3
    evidences = [
        "Russia's foreign ministry dismissed the reports as propaganda.",
        "South Korea's spy agency said 1,500 special forces had been sent, with 1,500 more to come.",
        "Only about 500 litres of solvent leaked, the company said.",
        "Officials said residents should keep boiling water until further tests.",
    ] * 3
    torch_rows = StanceClassifier.load(directory).predict(claims, evidences)
    onnx = OnnxStanceClassifier(directory, cache_dir=tmp_path_factory.mktemp("stance-onnx"))
    onnx_rows = onnx.predict(claims, evidences)
    assert onnx_rows.shape == torch_rows.shape == (len(claims), 3)
    assert (onnx_rows.argmax(axis=1) == torch_rows.argmax(axis=1)).all()
    np.testing.assert_allclose(onnx_rows, torch_rows, atol=1e-4)
    single = np.vstack([onnx.predict([c], [e]) for c, e in zip(claims, evidences, strict=True)])
    np.testing.assert_allclose(single, torch_rows, atol=1e-4)


@pytest.mark.slow
def test_the_int8_judge_is_made_once_and_used_only_where_measured_faithful(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    directory = DEFAULT_STANCE_MODEL / "classifier"
    cache = tmp_path_factory.mktemp("stance-int8")
    export = ensure_export(
        model_dir=directory, cache_dir=cache, task="sequence-classification", model="judge"
    )
    int8 = ensure_int8(export)
    assert int8.stat().st_size < export.path.stat().st_size / 3  # int8 weights
    made = int8.stat().st_mtime_ns
    assert ensure_int8(export) == int8 and int8.stat().st_mtime_ns == made  # reused
    int8.write_bytes(b"damaged")
    assert ensure_int8(export).stat().st_size > 1000  # made again
    rows = OnnxStanceClassifier(directory, cache_dir=cache, int8=True).predict(
        ["North Korean troops are in Russia"], ["Russia dismissed the reports as propaganda."]
    )
    assert rows.shape == (1, 3) and abs(float(rows.sum()) - 1.0) < 1e-4

    # The service runs int8 only where quantization.json found it faithful for these files.
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    assert not int8_allowed(model_dir, directory)
    check = QuantizationCheck(
        label_agreement=0.995,
        pairs=4000,
        statement_agreement=0.996,
        article_agreement=0.99,
        classifier_sha256=source_digest(directory),
    )
    check.save(model_dir)
    assert int8_allowed(model_dir, directory)
    dataclasses.replace(check, label_agreement=0.95).save(model_dir)
    assert not int8_allowed(model_dir, directory)
    dataclasses.replace(check, classifier_sha256="another model").save(model_dir)
    assert not int8_allowed(model_dir, directory)
