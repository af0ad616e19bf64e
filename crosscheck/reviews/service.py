"""Storing fact-checkers' reviews of claims."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crosscheck.claims.models import Claim, ClaimReview


@dataclass(frozen=True)
class ReviewIn:
    claim_id: int
    reviewer: str
    rating: str
    url: str
    reviewed_at: datetime | None
    headline: str | None = None


def record(*, session: Session, reviews: Sequence[ReviewIn]) -> list[bool]:
    """Store each review once per claim and review URL; ``True`` where it was new.

    A review already stored takes the rating, reviewer and date given now: fact-checkers
    revise a rating on the page where they published it. A claim without a title takes its
    review's headline (a claim stored before its review was imported). The caller commits.
    """
    claim_ids = {review.claim_id for review in reviews}
    stored = {
        (row.claim_id, row.url): row
        for row in session.scalars(select(ClaimReview).where(ClaimReview.claim_id.in_(claim_ids)))
    }
    created: list[bool] = []
    for review in reviews:
        row = stored.get((review.claim_id, review.url))
        created.append(row is None)
        if row is None:
            row = ClaimReview(claim_id=review.claim_id, url=review.url)
            session.add(row)
            stored[(review.claim_id, review.url)] = row
        row.reviewer = review.reviewer
        row.rating = review.rating
        row.reviewed_at = review.reviewed_at
    headlines = {r.claim_id: r.headline for r in reviews if r.headline is not None}
    if headlines:
        untitled = select(Claim).where(Claim.id.in_(headlines), Claim.title.is_(None))
        for claim in session.scalars(untitled):
            claim.title = headlines[claim.id]
    session.flush()
    return created
