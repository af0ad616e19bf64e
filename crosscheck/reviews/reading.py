"""Reading one schema.org ClaimReview node: the reviewed claim, its claimant, the rating."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import AnyHttpUrl, TypeAdapter, ValidationError

from crosscheck.claims.models import MAX_CLAIM_TITLE_CHARS
from crosscheck.errors import InvalidInputError
from crosscheck.reviews.jsonld import type_names
from crosscheck.sources.models import SourceKind

_HTTP_URL = TypeAdapter(AnyHttpUrl)
MAX_NAME_CHARS = 200
MAX_URL_CHARS = 2000


@dataclass(frozen=True)
class ImportedReview:
    """What crosscheck keeps of a ClaimReview: the claim as a statement, and the rating."""

    claim_text: str
    claimant: str
    claimant_kind: SourceKind
    stated_at: datetime | None
    claim_url: str | None
    reviewer: str
    rating: str
    url: str
    reviewed_at: datetime | None
    headline: str | None = None  # the fact-check's headline: stored as the claim's title


def _first(value: Any) -> Any:
    """Properties may hold one value or an array: the first value."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text(value: Any, field: str, *, required: bool, limit: int) -> str | None:
    value = _first(value)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError("a non-empty text is required", field=field)
    text = " ".join(value.split())
    if len(text) > limit:
        raise InvalidInputError(f"longer than {limit} characters", field=field)
    return text


def _name(node: Any, field: str, *, required: bool) -> str | None:
    """The name of an Organization or Person (or a bare name, as some publishers write it)."""
    node = _first(node)
    if isinstance(node, str):
        return _text(node, field, required=required, limit=MAX_NAME_CHARS)
    name = node.get("name") if isinstance(node, dict) else None
    return _text(name, f"{field}.name", required=required, limit=MAX_NAME_CHARS)


def _date(value: Any, field: str) -> datetime | None:
    """An ISO 8601 date or date-time; a date is midnight UTC, a time without a zone is UTC."""
    value = _first(value)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
        if moment is not None:
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    raise InvalidInputError(f"not an ISO 8601 date: {value!r}", field=field)


def _url(value: Any, field: str, *, required: bool) -> str | None:
    value = _first(value)
    if isinstance(value, dict):  # a CreativeWork: its url
        value = value.get("url")
    if value is None and not required:
        return None
    if not isinstance(value, str) or len(value) > MAX_URL_CHARS:
        raise InvalidInputError("an http(s) URL is required", field=field)
    try:
        return str(_HTTP_URL.validate_python(value.strip()))
    except ValidationError as exc:
        raise InvalidInputError(f"not an http(s) URL: {value!r}", field=field) from exc


def _appearance_url(claim: dict[str, Any]) -> str | None:
    """Where the claim was made: its first appearance, else its first listed appearance."""
    for key in ("firstAppearance", "appearance"):
        if claim.get(key) is not None:
            return _url(claim[key], f"itemReviewed.{key}", required=False)
    return None


def _kind(author: Any) -> SourceKind:
    author = _first(author)
    names = type_names(author) if isinstance(author, dict) else set()
    if "Person" in names:
        return SourceKind.PERSON
    if names & {"Organization", "GovernmentOrganization", "NewsMediaOrganization"}:
        return SourceKind.ORGANIZATION
    return SourceKind.OTHER


def read_claim_review(
    node: dict[str, Any], *, default_claimant: str | None = None, max_claim_chars: int = 5000
) -> ImportedReview:
    """The review in ``node``; ``InvalidInputError`` names the property at fault.

    Required: ``claimReviewed``, ``url``, ``author.name`` (the fact-checker),
    ``reviewRating.alternateName``, and the claimant ``itemReviewed.author.name`` (or
    ``default_claimant``). Dates are optional but must be ISO 8601 when given.
    """
    claim = _first(node.get("itemReviewed"))
    claim = claim if isinstance(claim, dict) else {}
    claimant = _name(claim.get("author"), "itemReviewed.author", required=default_claimant is None)
    rating = _first(node.get("reviewRating"))
    rating = rating if isinstance(rating, dict) else {}
    text = _text(node.get("claimReviewed"), "claimReviewed", required=True, limit=max_claim_chars)
    reviewer = _name(node.get("author"), "author", required=True)
    verdict = _text(
        rating.get("alternateName"),
        "reviewRating.alternateName",
        required=True,
        limit=MAX_NAME_CHARS,
    )
    url = _url(node.get("url"), "url", required=True)
    assert text and reviewer and verdict and url  # required above
    return ImportedReview(
        claim_text=text,
        claimant=claimant or default_claimant or "",
        claimant_kind=_kind(claim.get("author")) if claimant else SourceKind.OTHER,
        stated_at=_date(claim.get("datePublished"), "itemReviewed.datePublished"),
        claim_url=_appearance_url(claim),
        reviewer=reviewer,
        rating=verdict,
        url=url,
        reviewed_at=_date(node.get("datePublished"), "datePublished"),
        headline=_text(
            node.get("headline") or node.get("name"),
            "headline",
            required=False,
            limit=MAX_CLAIM_TITLE_CHARS,
        ),
    )
