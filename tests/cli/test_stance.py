"""`crosscheck stance-batch`, and `train-stance` and `fit-cascade` end to end on a tiny benchmark
folder (real fine-tuning, few pairs)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from crosscheck.settings import DEFAULT_STANCE_MODEL, get_settings
from crosscheck.stance.engine import StanceEngine
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder


def test_stance_batch_answers_every_line_in_order(cli_env: Path) -> None:
    data = cli_env / "pairs.jsonl"
    claim = "At least 3,000 North Korean soldiers are in Russia."
    article = (
        "Markets were calm. " * 5
        + "Russia's foreign ministry dismissed reports of North Korean soldiers in Russia as propaganda."
    )
    lines = [
        {"id": "a", "claim": claim, "evidence": article},
        {"id": 2, "claim": claim, "evidence": "The council approved a budget for road repairs."},
        {"id": "bad", "claim": "", "evidence": "x"},
        {"id": "c", "claim": claim, "evidence": article},
    ]
    data.write_text("\n".join(json.dumps(line) for line in lines) + "\nnot json\n")
    result = CliRunner().invoke(app, ["stance-batch", str(data), "--batch-size", "2"])
    assert result.exit_code == 3
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row.get("id") for row in rows] == ["a", 2, "bad", "c", None]
    assert rows[0]["label"] == rows[3]["label"] == "contradicts"
    assert rows[1]["label"] == "unrelated"
    assert "claim" in rows[2]["error"] and "JSON" in rows[4]["error"]
    assert all(0 < row["confidence"] < 1 for row in rows if "label" in row)


@pytest.mark.slow
def test_training_writes_loadable_artifacts_and_a_model_card(
    cli_env: Path,
    benchmark_dir: Path,
    tmp_path: Path,
    encoder: SentenceTransformerEncoder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    output = tmp_path / "stance"
    # The new judge is scored as the service runs it (ONNX); its export must not take the place
    # of the shipped judge's in the cache the other tests share.
    monkeypatch.setenv("CROSSCHECK_ONNX_DIR", str(tmp_path / "onnx"))
    get_settings.cache_clear()
    result = CliRunner().invoke(
        app,
        [
            "train-stance",
            "--data-dir",
            str(benchmark_dir),
            "--output",
            str(output),
            "--epochs",
            "1",
            "--max-pairs",
            "40",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["training"]["classifier_examples"] > 0 and "fnc1" in report["dev"]["datasets"]
    card = (output / "README.md").read_text()
    assert "CC BY-NC-SA 3.0" in card and "crosscheck train-stance" in card
    assert json.loads((output / "metadata.json").read_text())["dev_scores"] == report["dev"]
    # The service loads exactly the rules rules.json enables (tests/.../test_evaluate.py checks
    # which those are; few rules fire on pairs this few).
    rules = json.loads((output / "rules.json").read_text())
    assert set(rules) == set(report["dev"]["rules"])
    assert "| in service |" in card
    # The cascade is distilled last, from the engine as it serves; fitted or said not to be.
    assert "## The cascade's first judge" in card
    assert report["cascade"]["training_pairs"] > 0
    assert (output / "cascade.npz").is_file() == report["cascade"]["fitted"]
    engine = StanceEngine.from_directory(encoder, output)
    assert engine.learned
    assert engine.overrides == {name for name, rule in rules.items() if rule["enabled"]}
    judgement = engine.judge(
        claim="A dam burst in Eastvale.", evidence="The Eastvale dam burst on Monday."
    )
    assert judgement.reasons and 0 < judgement.confidence < 1


@pytest.mark.slow
def test_fit_cascade_distils_the_shipped_engine_or_says_there_is_none(
    benchmark_dir: Path, tmp_path: Path
) -> None:
    model = tmp_path / "stance"
    shutil.copytree(DEFAULT_STANCE_MODEL, model)
    (model / "cascade.npz").unlink()
    get_settings.cache_clear()
    runner = CliRunner()
    arguments = ["fit-cascade", "--data-dir", str(benchmark_dir), "--pairs", "40"]
    result = runner.invoke(app, [*arguments, "--model-dir", str(model)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["training_pairs"] > 0
    assert (model / "cascade.npz").is_file() == report["fitted"]
    empty = tmp_path / "untrained"
    empty.mkdir()
    assert runner.invoke(app, [*arguments, "--model-dir", str(empty)]).exit_code == 2
