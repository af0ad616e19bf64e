from __future__ import annotations

import json
from pathlib import Path

import pytest

from crosscheck.stance.engine import load_enabled_rules
from crosscheck.stance.schemas import Stance, StanceJudgement
from crosscheck.stance.training.datasets import StancePair
from crosscheck.stance.training.evaluate import RuleScores, fnc_score, rule_scores
from crosscheck.stance.training.model_card import write_rule_precision

A, D, S, U = Stance.CORROBORATES, Stance.CONTRADICTS, Stance.DISCUSSES, Stance.UNRELATED


def test_fnc_score_follows_the_official_weights() -> None:
    gold = [A, D, U, S]
    assert fnc_score(gold, gold) == 1.0
    # related-but-wrong earns 0.25 of 1.0; unrelated-for-related earns nothing.
    assert fnc_score([A], [D]) == pytest.approx(0.25)
    assert fnc_score([A], [U]) == 0.0
    assert fnc_score([U], [A]) == 0.0
    assert fnc_score([A, U], [S, U]) == pytest.approx((0.25 + 0.25) / (1.0 + 0.25))


def _ruled(
    dataset: str, gold: Stance, decided: Stance, model: Stance
) -> tuple[StancePair, StanceJudgement]:
    pair = StancePair(dataset=dataset, claim="c", evidence="e", label=gold, topic="t", split="dev")
    return pair, StanceJudgement(decided, 0.9, rule="number_conflict", overruled=model)


def test_rule_scores_count_what_a_rule_gains_and_loses_per_dev_set() -> None:
    x, d = Stance.CONTRADICTS, Stance.DISCUSSES
    rows = [
        _ruled("snli", gold=x, decided=x, model=d),  # gained
        _ruled("snli", gold=x, decided=x, model=d),  # gained
        _ruled("imppres", gold=d, decided=x, model=d),  # lost
        _ruled("imppres", gold=x, decided=x, model=x),  # right either way
    ]
    scores = rule_scores(rows)
    assert scores == {
        "number_conflict": RuleScores(
            fired=4, precision=0.75, net_gain=1, net_gain_by_dataset={"imppres": -1, "snli": 2}
        )
    }


def test_only_rules_that_gained_are_enabled(tmp_path: Path) -> None:
    write_rule_precision(
        tmp_path,
        {
            "number_conflict": RuleScores(fired=5, precision=0.8, net_gain=2),
            "explicit_denial": RuleScores(fired=4, precision=0.5, net_gain=0),
            "other_quantity": RuleScores(fired=6, precision=0.3, net_gain=-3),
        },
    )
    written = json.loads((tmp_path / "rules.json").read_text())
    assert {name: rule["enabled"] for name, rule in written.items()} == {
        "number_conflict": True,
        "explicit_denial": False,
        "other_quantity": False,
    }
    assert load_enabled_rules(tmp_path / "rules.json") == {"number_conflict"}
