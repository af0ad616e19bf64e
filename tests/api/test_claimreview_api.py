"""ClaimReview out: a claim's current verdict as JSON-LD that fact-checking tools accept."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from api.app import create_app
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder
from tests.api.test_graphql import ok
from tests.conftest import wait_until_ready
from tests.factories import assert_error, post_claim


def fact_check_markup_problems(review: dict[str, Any]) -> list[str]:
    """What Google's fact-check markup (ClaimReview) would flag: required properties missing,
    and recommended ones that are present but malformed."""
    problems: list[str] = []

    def text(value: Any) -> bool:
        return isinstance(value, str) and bool(value.strip())

    def absolute_url(value: Any) -> bool:
        return (
            text(value)
            and urlsplit(value).scheme in ("http", "https")
            and bool(urlsplit(value).netloc)
        )

    def iso_date(value: Any) -> bool:
        try:
            datetime.fromisoformat(value)
        except (TypeError, ValueError):
            return False
        return True

    if review.get("@context") not in ("https://schema.org", "http://schema.org"):
        problems.append("@context must be schema.org")
    if review.get("@type") != "ClaimReview":
        problems.append("@type must be ClaimReview")
    if not text(review.get("claimReviewed")):
        problems.append("claimReviewed is required")
    if not absolute_url(review.get("url")):
        problems.append("url is required (an absolute URL)")
    rating = review.get("reviewRating")
    if not isinstance(rating, dict) or not text(rating.get("alternateName")):
        problems.append("reviewRating.alternateName is required")
    elif "ratingValue" in rating:
        best, worst, value = (
            rating.get("bestRating"),
            rating.get("worstRating"),
            rating["ratingValue"],
        )
        if not (isinstance(best, int) and isinstance(worst, int) and 1 <= worst < best):
            problems.append("a numeric rating needs worstRating >= 1 and bestRating above it")
        elif not worst <= value <= best:
            problems.append("ratingValue must lie between worstRating and bestRating")
    author = review.get("author")
    if author is not None and not (
        isinstance(author, dict)
        and author.get("@type") in ("Organization", "Person")
        and text(author.get("name"))
    ):
        problems.append("author must be an Organization or Person with a name")
    if "datePublished" in review and not iso_date(review["datePublished"]):
        problems.append("datePublished must be ISO 8601")
    item = review.get("itemReviewed")
    if item is not None:
        if not isinstance(item, dict) or item.get("@type") != "Claim":
            problems.append("itemReviewed must be a Claim")
        else:
            claimant = item.get("author")
            if claimant is not None and not (
                isinstance(claimant, dict)
                and claimant.get("@type") in ("Organization", "Person")
                and text(claimant.get("name"))
            ):
                problems.append("itemReviewed.author must be an Organization or Person with a name")
            if "datePublished" in item and not iso_date(item["datePublished"]):
                problems.append("itemReviewed.datePublished must be ISO 8601")
            for work in item.get("appearance", []):
                if not (isinstance(work, dict) and work.get("@type") == "CreativeWork"):
                    problems.append("each appearance must be a CreativeWork")
                elif "url" in work and not absolute_url(work["url"]):
                    problems.append("an appearance's url must be absolute")
    return problems


def test_the_checker_catches_what_google_requires() -> None:
    assert set(fact_check_markup_problems({})) >= {
        "claimReviewed is required",
        "url is required (an absolute URL)",
        "reviewRating.alternateName is required",
    }
    bad_scale = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "x",
        "url": "https://a.example/x",
        "reviewRating": {
            "alternateName": "True",
            "ratingValue": 9,
            "bestRating": 5,
            "worstRating": 1,
        },
    }
    assert fact_check_markup_problems(bad_scale) == [
        "ratingValue must lie between worstRating and bestRating"
    ]


def _claim(client: TestClient, source: str, fragment: str) -> dict[str, Any]:
    items = client.get("/v1/claims", params={"sources": source, "q": fragment}).json()["items"]
    assert len(items) == 1, items
    claim: dict[str, Any] = items[0]
    return claim


def test_claimreview_of_a_contested_claim(demo_client: TestClient) -> None:
    claim = _claim(demo_client, "NIS", "further 1,500")
    response = demo_client.get(f"/v1/claims/{claim['id']}/claimreview")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    review = response.json()
    assert fact_check_markup_problems(review) == []
    assert review["claimReviewed"] == claim["text"]
    assert review["url"] == f"http://testserver/app/?claim={claim['id']}"
    assert review["author"] == {
        "@type": "Organization",
        "name": "crosscheck",
        "url": "http://testserver",
    }
    item = review["itemReviewed"]
    assert item["author"] == {
        "@type": "Organization",
        "name": "South Korea National Intelligence Service",
    }
    assert item["datePublished"] == "2024-10-23T06:00:00+00:00"
    assert item["appearance"] == [
        {
            "@type": "CreativeWork",
            "url": "https://example.org/nis/2024-10-23-parliamentary-briefing",
        }
    ]
    rating = review["reviewRating"]
    evidence = demo_client.get(f"/v1/claims/{claim['id']}/evidence").json()
    assert rating["alternateName"] == evidence["verdict"].capitalize() == "Contested"
    assert (rating["ratingValue"], rating["worstRating"], rating["bestRating"]) == (3, 1, 5)
    for side in ("corroborating_sources", "contradicting_sources"):
        for source in evidence["summary"][side]:
            assert source["name"] in rating["ratingExplanation"]
    assert "Russian Ministry of Foreign Affairs" in rating["ratingExplanation"]

    graphql = ok(
        demo_client, "query($id: Int!) { claim(id: $id) { claimReview } }", id=claim["id"]
    )["claim"]["claimReview"]
    assert {k: v for k, v in graphql.items() if k != "datePublished"} == {
        k: v for k, v in review.items() if k != "datePublished"
    }
    assert_error(demo_client.get("/v1/claims/99999/claimreview"), 404, "claim_not_found")


def test_claimreview_lists_the_documents_a_claim_appeared_in(client: TestClient) -> None:
    article = (
        "Port Aster's harbour authority said on Monday that about 900 barrels of oil leaked "
        "into the harbour. The authority said clean-up crews would work through the week."
    )
    response = client.post(
        "/v1/documents",
        json={
            "text": article,
            "publisher": "Aster Gazette",
            "title": "Oil leak larger than first thought",
            "url": "https://gazette.example.com/oil-leak",
            "published_at": "2025-01-14T10:00:00Z",
        },
    )
    assert response.status_code == 201, response.text
    stated = response.json()["claims"][0]["claim"]
    review = client.get(f"/v1/claims/{stated['id']}/claimreview").json()
    assert fact_check_markup_problems(review) == []
    appearance = review["itemReviewed"]["appearance"]
    assert appearance == [
        {
            "@type": "CreativeWork",
            "url": "https://gazette.example.com/oil-leak",
            "headline": "Oil leak larger than first thought",
            "datePublished": "2025-01-14T10:00:00+00:00",
            "publisher": {"@type": "Organization", "name": "Aster Gazette"},
        }
    ]
    assert review["itemReviewed"]["firstAppearance"] == appearance[0]
    # Nothing else is stored: no evidence either way, and no number on the scale.
    rating = review["reviewRating"]
    assert rating["alternateName"] == "Unverified" and "ratingValue" not in rating


def test_claimreview_links_to_the_configured_public_address(
    settings: Settings, encoder: SentenceTransformerEncoder
) -> None:
    configured = settings.model_copy(
        update={"public_url": "https://check.example.org/", "instance_name": "Aster Checks"}
    )
    with TestClient(create_app(Runtime(configured, encoder=encoder))) as client:
        wait_until_ready(client)
        claim = post_claim(client, "The harbour at Port Aster reopened to ferries.")
        review = client.get(f"/v1/claims/{claim['id']}/claimreview").json()
    assert review["url"] == f"https://check.example.org/app/?claim={claim['id']}"
    assert review["author"] == {
        "@type": "Organization",
        "name": "Aster Checks",
        "url": "https://check.example.org",
    }
