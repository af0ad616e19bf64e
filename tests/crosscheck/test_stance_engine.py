"""The stance engine with the shipped model, on sentences written for these tests."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from crosscheck.stance.classifier import ARTICLE_PREFIX, INPUTS_FILE, article_prefix
from crosscheck.stance.engine import (
    DEFAULT_OVERRIDES,
    StanceEngine,
    load_enabled_rules,
    load_rule_precision,
)
from crosscheck.stance.schemas import Stance
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder

CLAIM = "At least 3,000 North Korean soldiers are in Russia."


def test_parts_that_add_up_support_the_total(stance_engine: StanceEngine) -> None:
    judgement = stance_engine.judge(
        claim=CLAIM,
        evidence=(
            "South Korea's spy agency says 1,500 North Korean special forces soldiers are in Russia, "
            "and an additional 1,500 troops have arrived there since."
        ),
    )
    assert judgement.stance is Stance.CORROBORATES, judgement


def test_a_plain_negation_contradicts(stance_engine: StanceEngine) -> None:
    judgement = stance_engine.judge(claim=CLAIM, evidence="No North Korean soldiers are in Russia.")
    assert judgement.stance is Stance.CONTRADICTS, judgement
    assert any("'no'" in reason for reason in judgement.reasons), judgement.reasons


def test_a_denial_contradicts_and_the_reason_quotes_it(stance_engine: StanceEngine) -> None:
    judgement = stance_engine.judge(
        claim="North Korean troops have been sent to Russia.",
        evidence="Moscow's foreign ministry dismissed reports of North Korean troops in Russia as propaganda.",
    )
    assert judgement.stance is Stance.CONTRADICTS, judgement
    assert any("dismissed" in r or "propaganda" in r for r in judgement.reasons), judgement.reasons


def test_numbers_that_cannot_both_be_true_contradict_and_are_named(
    stance_engine: StanceEngine,
) -> None:
    judgement = stance_engine.judge(
        claim=CLAIM, evidence="Only about 500 North Korean soldiers are in Russia, officials said."
    )
    assert judgement.stance is Stance.CONTRADICTS
    conflict = next(r for r in judgement.reasons if r.startswith("numbers conflict"))
    assert "3,000" in conflict and "500" in conflict


def test_hedged_reporting_discusses(stance_engine: StanceEngine) -> None:
    judgement = stance_engine.judge(
        claim="North Korean soldiers are fighting in Ukraine.",
        evidence="North Korean soldiers are reportedly fighting in Ukraine, according to unconfirmed claims.",
    )
    assert judgement.stance is Stance.DISCUSSES, judgement


def test_something_else_entirely_is_unrelated(stance_engine: StanceEngine) -> None:
    judgement = stance_engine.judge(
        claim=CLAIM,
        evidence="The city council approved a larger budget for road repairs next spring.",
    )
    assert judgement.stance is Stance.UNRELATED
    assert judgement.reasons and 0 < judgement.confidence < 1


def test_long_evidence_is_cut_to_the_sentences_that_bear_on_the_claim(
    stance_engine: StanceEngine,
) -> None:
    filler = " ".join(
        f"The harbour authority recorded {n} container ships in the week ending on day {n}."
        for n in range(1, 120)
    )
    key = "Russia's foreign ministry firmly denied that any North Korean soldiers are in Russia."
    article = f"{filler} {key} {filler}"
    judgement = stance_engine.judge(claim=CLAIM, evidence=article)
    assert judgement.stance is Stance.CONTRADICTS, judgement
    assert judgement.spans and len(judgement.spans) <= 3
    for span in judgement.spans:
        assert article[span.start : span.end] == span.text
    assert any(span.text == key for span in judgement.spans)
    assert any(key[:40] in reason for reason in judgement.reasons)


def test_judging_in_a_batch_matches_one_at_a_time(stance_engine: StanceEngine) -> None:
    evidences = [
        "No North Korean soldiers are in Russia.",
        "Some 3,000 North Korean troops have deployed to Russia.",
        "The city council approved a larger budget for road repairs.",
    ]
    batch = stance_engine.judge_many(CLAIM, evidences)
    single = [stance_engine.judge(claim=CLAIM, evidence=e) for e in evidences]
    assert [j.stance for j in batch] == [j.stance for j in single]


def test_rules_json_enables_only_the_rules_that_earned_their_place(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    assert load_enabled_rules(path) == DEFAULT_OVERRIDES
    path.write_text(
        json.dumps(
            {
                "number_conflict": {"fired": 9, "precision": 0.8, "net_gain": 4, "enabled": True},
                "numbers_agree": {"fired": 9, "precision": 0.1, "net_gain": -5, "enabled": False},
                "retired_rule": {"fired": 1, "precision": 1.0, "net_gain": 1, "enabled": True},
            }
        )
    )
    assert load_enabled_rules(path) == frozenset({"number_conflict"})
    assert load_rule_precision(path)["numbers_agree"] == 0.1


def test_a_negation_outside_the_asserted_clause_negates_nothing(
    stance_engine: StanceEngine,
) -> None:
    judgement = stance_engine.judge_many(
        "Tap water in Riverton is safe to drink.",
        ["Riverton's tap water meets every safety standard; no special precautions are needed."],
        statements=True,
    )[0]
    assert judgement.stance is Stance.CORROBORATES, judgement


def test_confidences_are_calibrated_probabilities_not_constants(
    stance_engine: StanceEngine,
) -> None:
    judgements = stance_engine.judge_many(
        CLAIM,
        [
            "No North Korean soldiers are in Russia.",
            "Only about 500 North Korean soldiers are in Russia, officials said.",
            "At least 3,000 North Korean soldiers are in Russia.",
        ],
        statements=True,
    )
    assert len({j.confidence for j in judgements}) == 3
    assert all(j.judge_probability is not None for j in judgements)


class RecordingClassifier:
    """Answers "discusses" and remembers what evidence text the judge was shown."""

    def __init__(self) -> None:
        self.evidences: list[str] = []

    def predict(self, claims: Sequence[str], evidences: Sequence[str]) -> npt.NDArray[np.float32]:
        self.evidences += evidences
        return np.tile(np.array([[0.1, 0.1, 0.8]], dtype=np.float32), (len(claims), 1))


def test_an_articles_sentences_reach_the_judge_marked_as_the_judge_learned_them(
    encoder: SentenceTransformerEncoder, tmp_path: Path
) -> None:
    classifier_dir = tmp_path / "classifier"
    classifier_dir.mkdir()
    assert article_prefix(classifier_dir) == ""  # a judge trained without marks gets none
    (classifier_dir / INPUTS_FILE).write_text(json.dumps({"article_prefix": ARTICLE_PREFIX}))
    recording = RecordingClassifier()
    engine = StanceEngine(
        encoder, classifier=recording, article_prefix=article_prefix(classifier_dir)
    )
    article = " ".join(
        f"North Korean soldiers were seen at training ground number {n} in Russia."
        for n in range(9)
    )
    statement = "North Korean soldiers are in Russia, the agency said."
    engine.judge_pairs([(CLAIM, article), (CLAIM, statement)])
    marked, plain = recording.evidences
    assert marked.startswith(f"{ARTICLE_PREFIX} North Korean soldiers")
    assert plain == statement
    recording.evidences.clear()
    engine.judge_pairs([(CLAIM, article)], statements=True)  # a stored statement, however long
    assert recording.evidences == [article]
