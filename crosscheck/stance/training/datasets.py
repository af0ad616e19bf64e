"""Readers for the benchmark data (FNC-1, SICK, Emergent) and their dev splits.

Dev splits are carved from the training data by topic: no headline, claim or body of a dev pair
appears in training, so dev scores say how the model does on unseen stories.
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from crosscheck.stance.schemas import Stance

FNC_LABELS = {
    "agree": Stance.CORROBORATES,
    "disagree": Stance.CONTRADICTS,
    "discuss": Stance.DISCUSSES,
    "unrelated": Stance.UNRELATED,
}
SICK_LABELS = {
    "ENTAILMENT": Stance.CORROBORATES,
    "CONTRADICTION": Stance.CONTRADICTS,
    "NEUTRAL": Stance.DISCUSSES,
}
EMERGENT_LABELS = {
    "for": Stance.CORROBORATES,
    "against": Stance.CONTRADICTS,
    "observing": Stance.DISCUSSES,
}
DEV_SHARE = 0.2


@dataclass(frozen=True)
class StancePair:
    """A claim, the evidence about it, and the gold stance."""

    dataset: str
    claim: str
    evidence: str
    label: Stance
    topic: str
    split: str


def in_dev(key: str, share: float = DEV_SHARE) -> bool:
    """Whether the topic ``key`` is one of the fixed pseudo-random ``share`` kept for dev."""
    return _rank(key) < share


def _rank(key: str) -> float:
    """A fixed pseudo-random position in [0, 1) for ``key``."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _dev_topics(weights: dict[str, int], share: float = DEV_SHARE) -> set[str]:
    """Topics, taken in a fixed pseudo-random order, until they hold ``share`` of the weight."""
    chosen: set[str] = set()
    total, taken = sum(weights.values()), 0
    for topic in sorted(weights, key=_rank):
        if taken >= share * total:
            break
        chosen.add(topic)
        taken += weights[topic]
    return chosen


def linked_topics(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Connected components of a headline-body graph: each node mapped to its component's name."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for left, right in edges:
        root_left, root_right = find(left), find(right)
        if root_left != root_right:
            parent[max(root_left, root_right)] = min(root_left, root_right)
    return {node: find(node) for node in list(parent)}


def load_fnc1(directory: Path) -> list[StancePair]:
    """FNC-1 training pairs; a story (headlines and bodies linked by related pairs) is one topic."""
    with (directory / "train_bodies.csv").open(encoding="utf-8", newline="") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
    with (directory / "train_stances.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    related = [
        (f"h:{row['Headline']}", f"b:{row['Body ID']}")
        for row in rows
        if row["Stance"] != "unrelated"
    ]
    topic_of = linked_topics(related)
    related_per_topic: dict[str, int] = defaultdict(int)
    for headline, _ in related:
        related_per_topic[topic_of[headline]] += 1
    dev_topics = _dev_topics(related_per_topic)
    pairs = []
    for row in rows:
        headline_topic = topic_of.get(f"h:{row['Headline']}", f"h:{row['Headline']}")
        body_topic = topic_of.get(f"b:{row['Body ID']}", f"b:{row['Body ID']}")
        headline_dev, body_dev = headline_topic in dev_topics, body_topic in dev_topics
        if headline_dev != body_dev:
            continue  # would put a dev headline or body into training, or the reverse
        pairs.append(
            StancePair(
                dataset="fnc1",
                claim=row["Headline"],
                evidence=bodies[row["Body ID"]],
                label=FNC_LABELS[row["Stance"]],
                topic=headline_topic,
                split="dev" if headline_dev else "train",
            )
        )
    return pairs


def load_sick(directory: Path) -> list[StancePair]:
    """SICK train and trial pairs; pairs sharing a sentence share a topic."""
    rows: list[dict[str, str]] = []
    for name in ("SICK_train.txt", "SICK_trial.txt"):
        with (directory / name).open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle, delimiter="\t"))
    topic_of = linked_topics((f"s:{r['sentence_A']}", f"s:{r['sentence_B']}") for r in rows)
    # SICK judges whether A entails B; a claim is corroborated when the evidence entails it, so
    # B is the claim and A the evidence (contradiction and neutrality are symmetric).
    return [
        StancePair(
            dataset="sick",
            claim=row["sentence_B"],
            evidence=row["sentence_A"],
            label=SICK_LABELS[row["entailment_judgment"]],
            topic=topic_of[f"s:{row['sentence_A']}"],
            split="dev" if in_dev(topic_of[f"s:{row['sentence_A']}"]) else "train",
        )
        for row in rows
    ]


def load_emergent(directory: Path) -> list[StancePair]:
    """Emergent training pairs (rumour claim vs article headline); a claim is one topic."""
    pairs = []
    for path in sorted(directory.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                topic = f"c:{row['claimId']}"
                pairs.append(
                    StancePair(
                        dataset="emergent",
                        claim=row["claimHeadline"],
                        evidence=row["articleHeadline"],
                        label=EMERGENT_LABELS[row["articleHeadlineStance"]],
                        topic=topic,
                        split="dev" if in_dev(topic) else "train",
                    )
                )
    return pairs


def summary(pairs: Iterable[StancePair]) -> dict[tuple[str, str], dict[str, int]]:
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pair in pairs:
        counts[(pair.dataset, pair.split)][pair.label.value] += 1
    return {key: dict(value) for key, value in counts.items()}
