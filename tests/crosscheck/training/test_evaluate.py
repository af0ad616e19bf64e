from __future__ import annotations

import pytest

from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.evaluate import fnc_score

A, D, S, U = Stance.CORROBORATES, Stance.CONTRADICTS, Stance.DISCUSSES, Stance.UNRELATED


def test_fnc_score_follows_the_official_weights() -> None:
    gold = [A, D, U, S]
    assert fnc_score(gold, gold) == 1.0
    # related-but-wrong earns 0.25 of 1.0; unrelated-for-related earns nothing.
    assert fnc_score([A], [D]) == pytest.approx(0.25)
    assert fnc_score([A], [U]) == 0.0
    assert fnc_score([U], [A]) == 0.0
    assert fnc_score([A, U], [S, U]) == pytest.approx((0.25 + 0.25) / (1.0 + 0.25))
