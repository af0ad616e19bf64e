"""Stance labels and the judgement a stance judge returns."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Protocol

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from crosscheck.fields import NotBlank
from crosscheck.languages.detection import LanguageSupport
from embeddings.encoders.base import Vectors


class Stance(enum.StrEnum):
    CORROBORATES = "corroborates"
    CONTRADICTS = "contradicts"
    DISCUSSES = "discusses"
    UNRELATED = "unrelated"


@dataclass(frozen=True)
class EvidenceSpan:
    """A stretch of the evidence, by character offsets, that the judgement rests on."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class StanceJudgement:
    """A stance with how sure the judge is (0..1), reasons a person can read, and where."""

    stance: Stance
    confidence: float
    reasons: list[str] = field(default_factory=list)
    spans: list[EvidenceSpan] = field(default_factory=list)
    # The scoped rule that overruled the judge, if one did (see stance/overrides.py), and the
    # judge's own stance then.
    rule: str | None = None
    overruled: Stance | None = None
    # What the confidence was made from: the judge's calibrated probability of this stance and
    # the probability that the evidence is about the claim at all (None for rules alone).
    judge_probability: float | None = None
    related_probability: float | None = None


class StanceJudge(Protocol):
    """Decides how each piece of evidence stands towards a claim."""

    # The languages it reads; text in others is reported, not judged.
    languages: LanguageSupport
    # Names the models and rules behind its judgements (stored judgements are kept per version).
    version: str

    def judge_many(
        self,
        claim: str,
        evidences: Sequence[str],
        *,
        statements: bool = False,
        known_vectors: Mapping[str, Vectors] | None = None,
    ) -> list[StanceJudgement]:
        """One judgement per evidence text, in order; ``statements``: each is a stored claim.

        ``known_vectors``: embeddings already at hand (the query's, stored claims' from the
        index), by text, so they are not encoded again.
        """
        ...


MAX_EVIDENCE_CHARS = 100_000


class StanceRequest(BaseModel):
    """A claim and the evidence to weigh against it (one sentence or a whole article)."""

    model_config = ConfigDict(extra="forbid")

    claim: Annotated[str, StringConstraints(min_length=1, max_length=5_000), NotBlank] = Field(
        examples=["At least 3,000 North Korean soldiers are in Russia"]
    )
    evidence: Annotated[
        str, StringConstraints(min_length=1, max_length=MAX_EVIDENCE_CHARS), NotBlank
    ] = Field(examples=["Russia's foreign ministry dismissed the reports as propaganda."])


class EvidenceSpanRead(BaseModel):
    start: int = Field(description="Offset of the first character in the evidence")
    end: int = Field(description="Offset just past the last character")
    text: str


class StanceRead(BaseModel):
    """How the evidence stands towards the claim, why, and which sentences decided it."""

    label: Stance
    confidence: float
    reasons: list[str]
    evidence_spans: list[EvidenceSpanRead]

    @classmethod
    def from_judgement(cls, judgement: StanceJudgement) -> StanceRead:
        return cls(
            label=judgement.stance,
            confidence=judgement.confidence,
            reasons=judgement.reasons,
            evidence_spans=[
                EvidenceSpanRead(start=s.start, end=s.end, text=s.text) for s in judgement.spans
            ],
        )
