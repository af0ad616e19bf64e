"""Continuing a trained judge (`train-stance --init-from`): its evidence marks and labels kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from crosscheck.settings import DEFAULT_STANCE_MODEL
from crosscheck.stance.classifier import StanceClassifier, article_prefix
from crosscheck.stance.training.train import TrainingOptions, fine_tune_classifier

SHIPPED_JUDGE = DEFAULT_STANCE_MODEL / "classifier"
EXAMPLES = [
    ("The dam burst.", "The dam burst on Monday.", 0),
    ("The dam burst.", "The dam held.", 1),
    ("The dam burst.", "Engineers inspected the dam.", 2),
]


def _options(tmp_path: Path, init_from: Path) -> TrainingOptions:
    return TrainingOptions(
        data_dir=tmp_path,
        output_dir=tmp_path / "out",
        base_model="all-MiniLM-L6-v2",
        batch_size=3,
        init_from=init_from,
    )


@pytest.mark.slow
def test_a_continued_judge_keeps_how_its_evidence_was_shown(tmp_path: Path) -> None:
    # The shipped judge was trained without marking article sentences: so is its continuation.
    assert article_prefix(SHIPPED_JUDGE) == ""
    destination = tmp_path / "classifier"
    fine_tune_classifier(EXAMPLES, _options(tmp_path, SHIPPED_JUDGE), destination)
    assert article_prefix(destination) == ""
    assert json.loads((destination / "labels.json").read_text()) == json.loads(
        (SHIPPED_JUDGE / "labels.json").read_text()
    )
    probabilities = StanceClassifier.load(destination).predict(["The dam burst."], ["It held."])
    assert probabilities.shape == (1, 3)


def test_a_judge_with_other_labels_is_not_continued(tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(SHIPPED_JUDGE, other)
    (other / "labels.json").write_text(json.dumps(["entailment", "neutral", "contradiction"]))
    with pytest.raises(ValueError, match="judges"):
        fine_tune_classifier(EXAMPLES, _options(tmp_path, other), tmp_path / "classifier")
