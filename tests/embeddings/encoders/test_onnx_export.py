"""What an ONNX export says in the log: a first export is news (INFO), an unusable cache a
WARNING; and the stance classifier's export is named once."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from crosscheck.settings import DEFAULT_STANCE_MODEL
from crosscheck.stance.classifier import OnnxStanceClassifier
from embeddings.encoders import onnx_export
from embeddings.encoders.onnx_export import ONNX_FILE, ensure_export


@pytest.fixture
def quick_export(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Exports that write a stand-in file at once (the real export is tested in test_onnx.py)."""
    made: list[Path] = []

    def export(model_dir: Path, target: Path, *, task: str) -> float:
        target.write_bytes(b"onnx")
        made.append(target)
        return 1.0

    monkeypatch.setattr(onnx_export, "_export", export)
    return made


def _export_records(
    caplog: pytest.LogCaptureFixture, cache: Path, model_dir: Path
) -> list[logging.LogRecord]:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="embeddings.encoders.onnx_export"):
        ensure_export(model_dir=model_dir, cache_dir=cache, task="sentence-embedding", model="m")
    return [r for r in caplog.records if "export" in r.getMessage()]


def test_a_first_export_is_information_and_a_damaged_cache_a_warning(
    tmp_path: Path, quick_export: list[Path], caplog: pytest.LogCaptureFixture
) -> None:
    model_dir, cache = tmp_path / "model", tmp_path / "cache"
    model_dir.mkdir()
    (model_dir / "config.json").write_text("{}")
    first = _export_records(caplog, cache, model_dir)
    assert len(quick_export) == 1
    assert all(r.levelno == logging.INFO for r in first), [r.getMessage() for r in first]
    assert any("no ONNX export cached yet" in r.getMessage() for r in first)

    assert _export_records(caplog, cache, model_dir) == []  # cached: nothing to say
    (cache / ONNX_FILE).write_bytes(b"damaged")
    damaged = _export_records(caplog, cache, model_dir)
    assert len(quick_export) == 2
    assert any(
        r.levelno == logging.WARNING and "does not match its checksum" in r.getMessage()
        for r in damaged
    )


def test_the_stance_classifier_export_names_the_classifier_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    names: list[str] = []

    def ensure(*, model_dir: Path, cache_dir: Path, task: str, model: str) -> object:
        names.append(model)
        raise RuntimeError("named")

    monkeypatch.setattr(onnx_export, "ensure_export", ensure)
    with pytest.raises(RuntimeError, match="named"):
        OnnxStanceClassifier(DEFAULT_STANCE_MODEL / "classifier", cache_dir=tmp_path)
    assert names and "classifier classifier" not in names[0]
    assert str(DEFAULT_STANCE_MODEL / "classifier") in names[0]
