"""Statements about another matter: each claim paired with a statement from another topic.

The statement chosen is the most similar of a few drawn at random, so that it is not trivially
different: the neighbours a verification weighs are near in meaning too. They teach the judge
(as neutral) and the statement relatedness model (as unrelated) that a statement about
something else neither backs nor denies a claim, and measure how often a "contradicts" is
found where there is nothing to contradict.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from crosscheck.stance.preparation import EvidencePreparer
from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.datasets import StancePair

DATASET = "other_topic"
CANDIDATES = 10


def other_topic_pairs(
    pairs: Sequence[StancePair], preparer: EvidencePreparer, *, count: int, seed: int
) -> list[StancePair]:
    """Up to ``count`` pairs: a claim of ``pairs`` and the nearest of a few other-topic texts."""
    rng = random.Random(seed)
    chosen = rng.sample(list(pairs), min(count, len(pairs)))
    if len(chosen) <= CANDIDATES:
        return []
    vectors = preparer.vectors([p.claim for p in chosen] + [p.evidence for p in chosen])
    claims, evidences = vectors[: len(chosen)], vectors[len(chosen) :]
    made = []
    for position, pair in enumerate(chosen):
        drawn = [
            i for i in rng.sample(range(len(chosen)), CANDIDATES) if chosen[i].topic != pair.topic
        ]
        if not drawn:
            continue
        best = max(drawn, key=lambda i: float(evidences[i] @ claims[position]))
        made.append(
            StancePair(
                dataset=DATASET,
                claim=pair.claim,
                evidence=chosen[best].evidence,
                label=Stance.DISCUSSES,
                topic=f"{pair.topic}|{chosen[best].topic}",
                split=pair.split,
            )
        )
    return made
