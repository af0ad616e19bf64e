"""A claim's current verdict as schema.org ClaimReview JSON-LD, as fact-checking tools read it.

Google's fact-check markup requires ``claimReviewed``, ``reviewRating.alternateName`` and
``url``, and recommends ``author``, ``datePublished``, ``itemReviewed`` (a ``Claim`` with its
``author``, ``datePublished`` and ``appearance``) and a numeric rating on a stated scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from crosscheck.claims import service as claim_service
from crosscheck.claims.models import Claim
from crosscheck.database import utcnow
from crosscheck.documents import service as document_service
from crosscheck.documents.models import Document
from crosscheck.sources.models import Source, SourceKind
from crosscheck.sources.schemas import SourceRef
from crosscheck.verdicts.schemas import Verdict, VerificationRead, verification_read
from crosscheck.verdicts.verifier import Verifier

SCHEMA_ORG = "https://schema.org"
# The numeric scale: the closer to BEST_RATING, the better supported. An unverified claim gets
# no number (there is no evidence to place it on the scale), only its name.
WORST_RATING, BEST_RATING = 1, 5
RATING_VALUES = {Verdict.CONTRADICTED: 1, Verdict.CONTESTED: 3, Verdict.CORROBORATED: 5}
RATING_NAMES = {
    Verdict.CORROBORATED: "Corroborated",
    Verdict.CONTRADICTED: "Contradicted",
    Verdict.CONTESTED: "Contested",
    Verdict.UNVERIFIED: "Unverified",
}


@dataclass(frozen=True)
class Reviewer:
    """This crosscheck instance, the author of the reviews it publishes."""

    name: str
    url: str

    def page_of(self, claim_id: int) -> str:
        """Where a person reads the review: the web page, opened on the claim."""
        return f"{self.url.rstrip('/')}/app/?claim={claim_id}"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _party(source: Source) -> dict[str, Any]:
    kind = "Person" if source.kind is SourceKind.PERSON else "Organization"
    return {"@type": kind, "name": source.name}


def _appearance(document: Document) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if document.url:
        work["url"] = document.url
    if document.title:
        work["headline"] = document.title
    if document.published_at:
        work["datePublished"] = _iso(document.published_at)
    if document.publisher is not None:
        work["publisher"] = {"@type": "Organization", "name": document.publisher.name}
    return work


def _names(sources: list[SourceRef]) -> str:
    return ", ".join(source.name for source in sources)


def explanation(answer: VerificationRead) -> str:
    """The verdict in words, naming the independent origins on each side."""
    summary = answer.summary
    parts = [RATING_NAMES[answer.verdict]]
    if summary.corroborating_origins:
        parts.append(
            f"corroborated by {summary.corroborating_origins} independent origin(s): "
            f"{_names(summary.corroborating_sources)}"
        )
    if summary.contradicting_origins:
        parts.append(
            f"contradicted by {summary.contradicting_origins} independent origin(s): "
            f"{_names(summary.contradicting_sources)}"
        )
    if len(parts) == 1:
        parts.append("no statement from another source corroborates or contradicts it")
    superseded = sum(
        1 for item in answer.corroborating + answer.contradicting if item.superseded_by is not None
    )
    text = "; ".join(parts) + "."
    if superseded:
        text += f" {superseded} older statement(s) superseded by their sources do not count."
    return text


def claim_review(
    *,
    claim: Claim,
    answer: VerificationRead,
    appearances: list[Document],
    reviewer: Reviewer,
    published_at: datetime,
) -> dict[str, Any]:
    """The ClaimReview JSON-LD object for ``claim`` judged as ``answer``."""
    item: dict[str, Any] = {"@type": "Claim", "author": _party(claim.source)}
    if claim.stated_at is not None:
        item["datePublished"] = _iso(claim.stated_at)
    works = [_appearance(document) for document in appearances]
    if claim.url and all(work.get("url") != claim.url for work in works):
        works.append({"@type": "CreativeWork", "url": claim.url})
    if works:
        item["appearance"] = works
        item["firstAppearance"] = works[0]
    rating: dict[str, Any] = {
        "@type": "Rating",
        "alternateName": RATING_NAMES[answer.verdict],
        "ratingExplanation": explanation(answer),
    }
    if answer.verdict in RATING_VALUES:
        rating.update(
            ratingValue=RATING_VALUES[answer.verdict],
            bestRating=BEST_RATING,
            worstRating=WORST_RATING,
        )
    return {
        "@context": SCHEMA_ORG,
        "@type": "ClaimReview",
        "url": reviewer.page_of(claim.id),
        "claimReviewed": claim.text,
        "itemReviewed": item,
        "reviewRating": rating,
        "datePublished": _iso(published_at),
        "author": {"@type": "Organization", "name": reviewer.name, "url": reviewer.url},
    }


def review_stored_claim(
    *, session: Session, verifier: Verifier, claim_id: int, reviewer: Reviewer
) -> dict[str, Any]:
    """ClaimReview JSON-LD for a stored claim's current verdict (evidence from other sources)."""
    claim = claim_service.get(session=session, claim_id=claim_id)
    verification = verifier.verify_stored_claim(session=session, claim_id=claim_id)
    return claim_review(
        claim=claim,
        answer=verification_read(verification),
        appearances=document_service.appearing_in(session=session, claim_id=claim_id),
        reviewer=reviewer,
        published_at=utcnow(),
    )
