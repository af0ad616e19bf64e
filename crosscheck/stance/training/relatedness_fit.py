"""Fitting the relatedness models: is the evidence about the claim's matter at all?

Articles learn from FNC-1 (related vs unrelated pairs). Statements learn from the sentence-pair
sets, where every pair is about one matter, against other-topic pairs (negatives.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from crosscheck.stance.preparation import EvidencePreparer, PreparedPair
from crosscheck.stance.relatedness import RelatednessModel
from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.datasets import StancePair


def _logistic(features: list[list[float]], targets: list[bool]) -> RelatednessModel:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(max_iter=1000).fit(np.array(features), np.array(targets))
    return RelatednessModel(
        coefficients=model.coef_[0].tolist(), intercept=float(model.intercept_[0])
    )


def fit_article_model(
    pairs: Sequence[StancePair], prepared: Mapping[tuple[str, str], PreparedPair]
) -> RelatednessModel:
    """Related vs unrelated over the article pairs (FNC-1 training split)."""
    rows = [(prepared[(p.claim, p.evidence)], p.label is not Stance.UNRELATED) for p in pairs]
    return _logistic([q.signals.vector() for q, _ in rows], [related for _, related in rows])


def fit_statement_model(
    related: Sequence[StancePair], other_topic: Sequence[StancePair], preparer: EvidencePreparer
) -> RelatednessModel:
    """Statement pairs about one matter (related) against other-topic pairs (unrelated)."""
    ready = preparer.prepare([(p.claim, p.evidence) for p in [*related, *other_topic]])
    targets = [True] * len(related) + [False] * len(other_topic)
    return _logistic([q.signals.vector() for q in ready], targets)
