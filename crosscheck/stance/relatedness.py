"""Is the evidence about the same event at all? Features and a small logistic model over them."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+|\d[\d,.]*")
_NAME = re.compile(r"\b[A-Z][a-zA-Z'-]+")
_STOP = frozenset(
    (
        "a an the and or but of in on at to from by for with as is are was were be been being has "
        "have had that which who this these those it its they their he she his her we our you your "
        "said says say will would can could may might not no than then there here about after over "
        "into out up down more most some any all also just new"
    ).split()
)
FEATURES = ("max_similarity", "mean_top3_similarity", "word_overlap", "name_overlap", "log_length")


def content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP}


def names(text: str) -> set[str]:
    """Capitalised words that are not sentence-initial function words: a cheap entity proxy."""
    return {n.lower() for n in _NAME.findall(text) if n.lower() not in _STOP}


@dataclass(frozen=True)
class RelatednessSignals:
    """What ties a claim to its evidence: meaning, shared words, shared names."""

    max_similarity: float
    mean_top3_similarity: float
    word_overlap: float
    name_overlap: float
    log_length: float
    shared_names: list[str]

    def vector(self) -> list[float]:
        return [getattr(self, name) for name in FEATURES]


def relatedness_signals(
    claim: str, evidence: str, sentence_similarities: Sequence[float]
) -> RelatednessSignals:
    ordered = sorted(sentence_similarities, reverse=True) or [0.0]
    claim_words, evidence_words = content_words(claim), content_words(evidence)
    claim_names, evidence_names = names(claim), names(evidence)
    shared = sorted(claim_names & evidence_names)
    return RelatednessSignals(
        max_similarity=ordered[0],
        mean_top3_similarity=float(np.mean(ordered[:3])),
        word_overlap=len(claim_words & evidence_words) / max(1, len(claim_words)),
        name_overlap=len(shared) / max(1, len(claim_names)),
        log_length=math.log1p(len(sentence_similarities)),
        shared_names=shared,
    )


@dataclass(frozen=True)
class RelatednessModel:
    """Logistic regression over ``FEATURES``: probability that the evidence is about the claim."""

    coefficients: list[float]
    intercept: float

    def probability(self, signals: RelatednessSignals) -> float:
        score = float(np.dot(self.coefficients, signals.vector())) + self.intercept
        return 1.0 / (1.0 + math.exp(-score))

    def payload(self) -> dict[str, object]:
        return {"coefficients": self.coefficients, "intercept": self.intercept}

    @classmethod
    def from_payload(cls, payload: dict[str, object]) -> RelatednessModel:
        coefficients = payload["coefficients"]
        if not isinstance(coefficients, list):
            raise ValueError("relatedness coefficients must be a list")
        return cls(
            coefficients=[float(c) for c in coefficients],
            intercept=float(str(payload["intercept"])),
        )


# Evidence of at most this many sentences is a statement (or a short passage), read whole and
# weighed by the statement model; longer evidence is an article.
STATEMENT_SENTENCES = 5


@dataclass(frozen=True)
class Relatedness:
    """One model for claims against articles (FNC-1) and one for claims against statements."""

    article: RelatednessModel
    statement: RelatednessModel

    def probability(self, signals: RelatednessSignals, *, sentences: int) -> float:
        model = self.statement if sentences <= STATEMENT_SENTENCES else self.article
        return model.probability(signals)

    def save(self, path: Path) -> None:
        payload = {
            "features": FEATURES,
            "article": self.article.payload(),
            "statement": self.statement.payload(),
        }
        path.write_text(json.dumps(payload, indent=2))

    @classmethod
    def load(cls, path: Path) -> Relatedness:
        payload = json.loads(path.read_text())
        if tuple(payload["features"]) != FEATURES:
            raise ValueError(f"{path} was trained on other features: {payload['features']}")
        if "article" not in payload:  # one model for both kinds of evidence
            single = RelatednessModel.from_payload(payload)
            return cls(article=single, statement=single)
        return cls(
            article=RelatednessModel.from_payload(payload["article"]),
            statement=RelatednessModel.from_payload(payload["statement"]),
        )
