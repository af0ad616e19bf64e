"""A stored claim weighed as evidence in one verification."""

from __future__ import annotations

from dataclasses import dataclass

from crosscheck.claims.models import Claim
from crosscheck.stance.schemas import Stance, StanceJudgement


@dataclass(frozen=True)
class Evidence:
    """A stored claim near the verified one, how it stands towards it, and whether its source
    has since said something newer on the matter (then it no longer counts)."""

    claim: Claim
    similarity: float
    judgement: StanceJudgement
    superseded_by: Claim | None = None

    @property
    def stance(self) -> Stance:
        return self.judgement.stance

    @property
    def current(self) -> bool:
        return self.superseded_by is None
