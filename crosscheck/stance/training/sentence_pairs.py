"""Readers for the sentence-pair data: the SNLI dev split and the 22 sets in ``nli/pairs.tsv.gz``.

Both are premise / hypothesis pairs: the premise is the evidence, the hypothesis the claim.
Dev pairs are carved by topic, a topic being every pair linked through a shared sentence, across
all these sets at once, so that no sentence of a dev pair is seen in training.
"""

from __future__ import annotations

import csv
import gzip
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.datasets import StancePair, in_dev, linked_topics

NLI_LABELS = {
    "entailment": Stance.CORROBORATES,
    "contradiction": Stance.CONTRADICTS,
    "neutral": Stance.DISCUSSES,
}
# Share of the sentence-pair topics kept for dev.
SENTENCE_DEV_SHARE = 0.15


@dataclass(frozen=True)
class _Row:
    dataset: str
    premise: str
    hypothesis: str
    label: str


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _snli_rows(directory: Path) -> Iterator[_Row]:
    with (
        (directory / "s1.dev").open(encoding="utf-8") as premises,
        (directory / "s2.dev").open(encoding="utf-8") as hypotheses,
        (directory / "labels.dev").open(encoding="utf-8") as labels,
    ):
        for premise, hypothesis, label in zip(premises, hypotheses, labels, strict=True):
            yield _Row("snli", premise.strip(), hypothesis.strip(), label.strip())


def _nli_rows(path: Path) -> Iterator[_Row]:
    csv.field_size_limit(sys.maxsize)
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")
        for row in reader:
            yield _Row(row["dataset"], row["premise"], row["hypothesis"], row["label3"])


def load_sentence_pairs(data_dir: Path) -> list[StancePair]:
    """SNLI dev (``snli/``) and ``nli/pairs.tsv.gz``, whichever are present under ``data_dir``.

    Two-class rows (``not_entailment``) are left out: they do not say which of contradiction
    and neutrality holds.
    """
    rows: list[_Row] = []
    if (data_dir / "snli" / "labels.dev").is_file():
        rows.extend(_snli_rows(data_dir / "snli"))
    if (data_dir / "nli" / "pairs.tsv.gz").is_file():
        rows.extend(_nli_rows(data_dir / "nli" / "pairs.tsv.gz"))
    rows = [row for row in rows if row.label in NLI_LABELS and row.premise and row.hypothesis]
    topic_of = linked_topics(
        (f"t:{_normal(row.premise)}", f"t:{_normal(row.hypothesis)}") for row in rows
    )
    pairs = []
    for row in rows:
        topic = topic_of[f"t:{_normal(row.premise)}"]
        pairs.append(
            StancePair(
                dataset=row.dataset,
                claim=row.hypothesis,
                evidence=row.premise,
                label=NLI_LABELS[row.label],
                topic=topic,
                split="dev" if in_dev(topic, SENTENCE_DEV_SHARE) else "train",
            )
        )
    return pairs
