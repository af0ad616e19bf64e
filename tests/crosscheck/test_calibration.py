"""Temperature scaling and the expected calibration error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from crosscheck.stance.calibration import (
    Calibration,
    expected_calibration_error,
    fit_temperature,
    tempered,
)


def test_a_temperature_above_one_softens_and_keeps_the_order() -> None:
    sharp = np.array([[0.9, 0.08, 0.02]], dtype=np.float32)
    soft = tempered(sharp, 2.0)
    assert soft[0].argmax() == 0 and soft[0, 0] < 0.9
    assert soft.sum() == pytest.approx(1.0, abs=1e-5)
    assert np.array_equal(tempered(sharp, 1.0), sharp)


def test_an_overconfident_model_gets_a_temperature_above_one() -> None:
    rng = np.random.default_rng(0)
    # Always 95% sure, right only 60% of the time.
    probabilities = np.tile(np.array([0.95, 0.03, 0.02], dtype=np.float32), (500, 1))
    gold = [0 if rng.random() < 0.6 else 1 for _ in range(500)]
    temperature = fit_temperature(probabilities, gold)
    assert temperature > 1.5
    calibrated = tempered(probabilities, temperature)
    assert calibrated[0, 0] == pytest.approx(0.6, abs=0.05)


def test_expected_calibration_error() -> None:
    assert expected_calibration_error([0.8] * 10, [True] * 8 + [False] * 2) == pytest.approx(0.0)
    assert expected_calibration_error([0.9] * 10, [True] * 5 + [False] * 5) == pytest.approx(0.4)
    assert expected_calibration_error([], []) == 0.0


def test_calibration_round_trips_and_defaults_to_none(tmp_path: Path) -> None:
    path = tmp_path / "calibration.json"
    assert Calibration.load(path) == Calibration()
    Calibration(statement_temperature=1.7, article_temperature=0.9).save(path)
    loaded = Calibration.load(path)
    assert loaded.statement_temperature == 1.7 and loaded.article_temperature == 0.9
