"""Stance labels and the judgement a stance judge returns."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Protocol


class Stance(enum.StrEnum):
    CORROBORATES = "corroborates"
    CONTRADICTS = "contradicts"
    DISCUSSES = "discusses"
    UNRELATED = "unrelated"


@dataclass(frozen=True)
class StanceJudgement:
    """A stance with how sure the judge is (0..1) and reasons a person can read."""

    stance: Stance
    confidence: float
    reasons: list[str] = field(default_factory=list)


class StanceJudge(Protocol):
    """Decides the stance of ``evidence`` towards ``claim``, given their embedding similarity."""

    def judge(self, *, claim: str, evidence: str, similarity: float) -> StanceJudgement: ...
