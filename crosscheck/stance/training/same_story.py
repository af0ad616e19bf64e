"""Statements about one story that neither back nor deny each other: two sentences of one body.

Sources reporting one event mostly state different facts about it ("the water is safe to
drink"; "twelve people were treated"). Two plain assertions from the body of one training story,
near in meaning but not restatements of each other, teach the judge (as neutral) that sharing
a topic is not taking a side; dev pairs from dev stories measure how often it takes one anyway.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from crosscheck.stance.preparation import EvidencePreparer
from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.contrastive import base_statements
from crosscheck.stance.training.datasets import StancePair

DATASET = "same_story"
# Near enough to be about one matter, far enough not to restate it (cosine of the encoder).
MIN_SIMILARITY = 0.35
MAX_SIMILARITY = 0.75
CANDIDATES = 12
PER_BODY = 3


def same_story_pairs(
    pairs: Iterable[StancePair], preparer: EvidencePreparer, *, count: int, seed: int
) -> list[StancePair]:
    """Up to ``count`` neutral pairs, each two plain statements of one related story's body."""
    rng = random.Random(seed)
    bodies: dict[str, tuple[str, str]] = {}
    for pair in pairs:
        if pair.label is not Stance.UNRELATED:
            bodies.setdefault(pair.evidence, (pair.topic, pair.split))
    order = sorted(bodies)
    rng.shuffle(order)
    made: list[StancePair] = []
    for body in order:
        if len(made) >= count:
            break
        statements = base_statements(s.text for s in preparer.sentences(body))
        if len(statements) < 2:
            continue
        claim, *others = rng.sample(statements, min(len(statements), CANDIDATES))
        vectors = preparer.vectors([claim, *others])
        near = [
            other
            for other, vector in zip(others, vectors[1:], strict=True)
            if MIN_SIMILARITY <= float(vector @ vectors[0]) <= MAX_SIMILARITY
        ]
        topic, split = bodies[body]
        made.extend(
            StancePair(
                dataset=DATASET,
                claim=claim,
                evidence=evidence,
                label=Stance.DISCUSSES,
                topic=topic,
                split=split,
            )
            for evidence in rng.sample(near, min(len(near), PER_BODY))
        )
    return made[:count]
