from __future__ import annotations

from pathlib import Path

from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.corpus import load_all
from crosscheck.stance.training.datasets import load_emergent, load_fnc1, load_sick


def test_benchmark_labels_map_to_stances(benchmark_dir: Path) -> None:
    fnc = load_fnc1(benchmark_dir / "fnc1")
    assert {p.label for p in fnc} == set(Stance)
    assert {p.label for p in load_sick(benchmark_dir / "sick")} == {
        Stance.CORROBORATES,
        Stance.CONTRADICTS,
        Stance.DISCUSSES,
    }
    assert len(load_sick(benchmark_dir / "sick")) == 18  # train and trial
    assert len(load_emergent(benchmark_dir / "emergent")) == 9
    assert all(p.evidence for p in fnc)


def test_dev_pairs_share_no_headline_body_or_claim_with_training(benchmark_dir: Path) -> None:
    pairs = load_all(benchmark_dir)
    for dataset in ("fnc1", "sick", "emergent"):
        train = [p for p in pairs if p.dataset == dataset and p.split == "train"]
        dev = [p for p in pairs if p.dataset == dataset and p.split == "dev"]
        assert {p.claim for p in train}.isdisjoint({p.claim for p in dev})
        assert {p.topic for p in train}.isdisjoint({p.topic for p in dev})
        if dataset == "fnc1":
            assert {p.evidence for p in train}.isdisjoint({p.evidence for p in dev})


def test_splits_are_deterministic(benchmark_dir: Path) -> None:
    assert load_all(benchmark_dir) == load_all(benchmark_dir)
