"""The training mixture: caps, copies, and what stays out."""

from __future__ import annotations

from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.datasets import StancePair
from crosscheck.stance.training.mixture import Share, mixture_summary, training_mixture


def _pairs(dataset: str, label: Stance, count: int) -> list[StancePair]:
    return [
        StancePair(dataset, f"claim {i}", f"evidence {i}", label, f"t{i}", "train")
        for i in range(count)
    ]


def test_caps_copies_and_unlisted_datasets() -> None:
    pairs = [
        *_pairs("big", Stance.DISCUSSES, 100),
        *_pairs("small", Stance.CONTRADICTS, 5),
        *_pairs("small", Stance.UNRELATED, 5),
        *_pairs("unlisted", Stance.CORROBORATES, 5),
    ]
    recipe = {"big": Share(cap=10), "small": Share(copies=3)}
    chosen = training_mixture(pairs, recipe, seed=1)
    summary = mixture_summary(chosen)
    assert summary == {"big": {"discusses": 10}, "small": {"contradicts": 15}}
    assert training_mixture(pairs, recipe, seed=1) == chosen


def test_label_caps_and_label_copies() -> None:
    pairs = [*_pairs("fnc", Stance.DISCUSSES, 50), *_pairs("fnc", Stance.CONTRADICTS, 4)]
    recipe = {"fnc": Share(label_caps={Stance.DISCUSSES: 20}, label_copies={Stance.CONTRADICTS: 4})}
    summary = mixture_summary(training_mixture(pairs, recipe))
    assert summary == {"fnc": {"contradicts": 16, "discusses": 20}}
