"""What a claim subscriber asked for, resolved so that each new claim is checked in memory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from crosscheck.claims.schemas import ClaimRead


def _aware(moment: datetime | None) -> datetime | None:
    # Stored times are UTC; a bound given without a zone means UTC, as in listings.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ClaimMatcher:
    """The claim filter of a listing (sources, text, stated-at range), applied to one claim."""

    source_ids: frozenset[int] | None = None
    text: str | None = None
    stated_from: datetime | None = None
    stated_to: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", self.text.casefold() if self.text else None)
        object.__setattr__(self, "stated_from", _aware(self.stated_from))
        object.__setattr__(self, "stated_to", _aware(self.stated_to))

    def matches(self, claim: ClaimRead) -> bool:
        if self.source_ids is not None and claim.source.id not in self.source_ids:
            return False
        if self.text is not None and self.text not in claim.text.casefold():
            return False
        if self.stated_from is not None or self.stated_to is not None:
            stated = claim.stated_at
            if stated is None:
                return False
            if self.stated_from is not None and stated < self.stated_from:
                return False
            if self.stated_to is not None and stated > self.stated_to:
                return False
        return True
