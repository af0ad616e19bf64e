"""The sentence-pair readers: SNLI dev and nli/pairs.tsv.gz, split by linked topic."""

from __future__ import annotations

import gzip
from pathlib import Path

from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.sentence_pairs import load_sentence_pairs

SNLI = [
    ("Two dogs run on a beach .", "Dogs are running .", "entailment"),
    ("Two dogs run on a beach .", "The dogs are asleep .", "contradiction"),
    ("A man cooks pasta .", "A man is making dinner for his wife .", "neutral"),
    ("A man cooks pasta .", "A man cooks .", "-"),
]
NLI = [
    ("monli", "A man plays a guitar.", "A man plays an instrument.", "entailment"),
    ("scone", "No man plays a guitar.", "A man plays a guitar.", "contradiction"),
    ("help", "Two dogs run on a beach .", "Animals are outside .", "entailment"),
    ("rte", "It rained in Oslo.", "Oslo was dry.", "not_entailment"),
]


def _write(data_dir: Path) -> None:
    snli = data_dir / "snli"
    snli.mkdir(parents=True)
    for name, column in (("s1.dev", 0), ("s2.dev", 1), ("labels.dev", 2)):
        (snli / name).write_text("".join(f"{row[column]}\n" for row in SNLI))
    nli = data_dir / "nli"
    nli.mkdir()
    lines = ["dataset\tsplit\tlabel3\tlabel_raw\tpremise\thypothesis"]
    lines += [f"{d}\ttrain\t{label}\t{label}\t{p}\t{h}" for d, p, h, label in NLI]
    with gzip.open(nli / "pairs.tsv.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def test_pairs_are_read_with_the_premise_as_evidence(tmp_path: Path) -> None:
    _write(tmp_path)
    pairs = load_sentence_pairs(tmp_path)
    assert len(pairs) == 6  # no "-" gold label, no two-class rows
    first = pairs[0]
    assert (first.dataset, first.claim, first.evidence) == (
        "snli",
        "Dogs are running .",
        "Two dogs run on a beach .",
    )
    assert {p.label for p in pairs} == {Stance.CORROBORATES, Stance.CONTRADICTS, Stance.DISCUSSES}


def test_pairs_sharing_a_sentence_share_a_topic_and_a_split(tmp_path: Path) -> None:
    _write(tmp_path)
    pairs = load_sentence_pairs(tmp_path)
    beach = [p for p in pairs if p.evidence == "Two dogs run on a beach ."]
    assert {p.dataset for p in beach} == {"snli", "help"}
    assert len({p.topic for p in beach}) == 1 and len({p.split for p in beach}) == 1
    guitar = [p for p in pairs if "guitar" in p.evidence]
    assert len({p.topic for p in guitar}) == 1  # linked through "A man plays a guitar."
    assert {p.split for p in pairs} <= {"train", "dev"}


def test_missing_files_give_no_pairs(tmp_path: Path) -> None:
    assert load_sentence_pairs(tmp_path) == []
