"""An NLI cross-encoder configured by path, with a tiny model the test builds itself."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

from crosscheck.stance.classifier import CLASSIFIER_LABELS
from crosscheck.stance.engine import StanceEngine
from crosscheck.stance.nli import NliClassifier, stance_for_nli_label
from crosscheck.stance.schemas import Stance
from embeddings.encoders.base import PACKAGED_MODEL, resolve_model_path
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder

NLI_LABELS = {0: "contradiction", 1: "entailment", 2: "neutral"}


def build_tiny_nli(directory: Path, favoured: int, labels: dict[int, str] = NLI_LABELS) -> Path:
    """A 1-layer BERT whose classifier always favours label ``favoured``."""
    tokenizer = AutoTokenizer.from_pretrained(str(resolve_model_path(PACKAGED_MODEL)))
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=3,
        id2label=labels,
        label2id={name: i for i, name in labels.items()},
    )
    model = BertForSequenceClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        bias = torch.zeros(3)
        bias[favoured] = 8.0
        model.classifier.bias.copy_(bias)
    model.save_pretrained(str(directory))
    tokenizer.save_pretrained(str(directory))
    return directory


def test_nli_labels_map_to_stances() -> None:
    assert stance_for_nli_label("ENTAILMENT") is Stance.CORROBORATES
    assert stance_for_nli_label("contradiction") is Stance.CONTRADICTS
    assert stance_for_nli_label("neutral") is Stance.DISCUSSES
    with pytest.raises(ValueError):
        stance_for_nli_label("LABEL_0")


def test_columns_follow_the_models_own_label_order(tmp_path: Path) -> None:
    classifier = NliClassifier.load(str(build_tiny_nli(tmp_path / "nli", favoured=0)))
    probabilities = classifier.predict(["a claim", "another"], ["some evidence", "more"])
    assert probabilities.shape == (2, 3)
    assert all(CLASSIFIER_LABELS[row.argmax()] is Stance.CONTRADICTS for row in probabilities)


def test_models_without_nli_labels_are_refused(tmp_path: Path) -> None:
    path = build_tiny_nli(
        tmp_path / "odd", favoured=0, labels={0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}
    )
    with pytest.raises(ValueError):
        NliClassifier.load(str(path))


def test_engine_uses_the_configured_nli_model(
    tmp_path: Path, encoder: SentenceTransformerEncoder
) -> None:
    path = build_tiny_nli(tmp_path / "nli", favoured=1)
    engine = StanceEngine.from_directory(encoder, None, nli_model=str(path))
    related, unrelated = engine.judge_many(
        "North Korean soldiers are in Russia.",
        ["Thousands of North Korean troops are now in Russia.", "A bakery won a bread prize."],
    )
    assert related.stance is Stance.CORROBORATES
    assert unrelated.stance is Stance.UNRELATED
