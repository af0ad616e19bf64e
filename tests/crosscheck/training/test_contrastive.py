"""Contrastive pairs edited from plain statements: each edit with the label it must carry."""

from __future__ import annotations

import random

import pytest

from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.contrastive import (
    EDITS,
    Casing,
    Corpus,
    base_statements,
    contrastive_pairs,
    edit_kind,
)

STATEMENT = "The council has approved 3,000 new homes in Madrid on Monday."
STATEMENTS = [
    STATEMENT,
    "Firefighters rescued 12 people from the burning hotel in Dublin on Tuesday.",
    "The health ministry reported 450 new cases of dengue fever in March.",
    "Workers at the car plant voted to end their strike after a pay deal.",
]


def _corpus() -> Corpus:
    return Corpus(names=["Maria Lind", "John Carter"], casing=Casing(STATEMENTS))


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("number", Stance.CONTRADICTS),
        ("date", Stance.CONTRADICTS),
        ("place", Stance.CONTRADICTS),
        ("negation", Stance.CONTRADICTS),
        ("denial", Stance.CONTRADICTS),
        ("hearsay", Stance.DISCUSSES),
        ("absence", Stance.DISCUSSES),
        ("attribution", Stance.CORROBORATES),
        ("negated_aside", Stance.CORROBORATES),
    ],
)
def test_each_edit_changes_the_text_and_carries_its_label(kind: str, label: Stance) -> None:
    edits = [
        edit
        for seed in range(5)
        for edit in EDITS[kind](STATEMENT, random.Random(seed), _corpus())
        if edit.kind == kind
    ]
    assert edits, kind
    for edit in edits:
        assert edit.label is label
        assert edit.claim != edit.evidence
        assert STATEMENT in (edit.claim, edit.evidence) or kind == "number"


def test_a_changed_number_differs_and_a_reformatted_one_agrees() -> None:
    edits = EDITS["number"](STATEMENT, random.Random(1), _corpus())
    by_kind = {edit.kind: edit for edit in edits}
    assert "3,000" not in by_kind["number"].claim
    assert by_kind["number_format"].label is Stance.CORROBORATES


def test_a_negation_goes_inside_the_asserted_clause() -> None:
    edit = EDITS["negation"](STATEMENT, random.Random(0), _corpus())[0]
    negated = edit.claim if edit.claim != STATEMENT else edit.evidence
    assert "not" in negated.split() or "n't" in negated


def test_pairs_keep_their_topic_and_split_and_name_their_edit() -> None:
    pairs = contrastive_pairs(
        [(text, f"topic-{i}", "dev" if i % 2 else "train") for i, text in enumerate(STATEMENTS)]
    )
    assert len(pairs) >= len(STATEMENTS)
    for pair in pairs:
        topic, kind = pair.topic.rsplit("|", 1)
        index = int(topic.split("-")[1])
        assert pair.split == ("dev" if index % 2 else "train")
        assert edit_kind(pair) == kind
    assert contrastive_pairs([(t, "x", "train") for t in STATEMENTS], seed=3) == contrastive_pairs(
        [(t, "x", "train") for t in STATEMENTS], seed=3
    )


def test_base_statements_are_plain_sentences_of_moderate_length() -> None:
    kept = base_statements([*STATEMENTS, "Why?", "Did the council approve the homes in Lisbon?"])
    assert STATEMENT in kept and "Why?" not in kept
    assert all(not text.endswith("?") for text in kept)
