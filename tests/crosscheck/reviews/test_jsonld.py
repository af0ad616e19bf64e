"""Finding and reading ClaimReview objects as fact-checkers publish them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from crosscheck.errors import InvalidInputError
from crosscheck.reviews.jsonld import claim_reviews, claim_reviews_in_text
from crosscheck.reviews.reading import read_claim_review
from crosscheck.sources.models import SourceKind


def review(claim: str, rating: str = "False", **extra: object) -> dict[str, object]:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://factdesk.example.org/checks/harbour-clean",
        "claimReviewed": claim,
        "author": {"@type": "Organization", "name": "Aster Fact Desk"},
        "reviewRating": {"@type": "Rating", "alternateName": rating},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Dana Holm"},
            "datePublished": "2025-01-20",
            "appearance": [{"@type": "CreativeWork", "url": "https://news.example.com/holm"}],
        },
        **extra,
    }


def test_single_object_array_graph_and_nested_reviews_are_found() -> None:
    one = review("The harbour is clean again.")
    assert [f.node for f in claim_reviews(one)] == [one]
    many = claim_reviews([one, {"@type": "WebPage"}, review("Ferries run again.")])
    assert [f.node is not None for f in many] == [True, False, True]
    assert many[1].error == "item 2 is not a ClaimReview"
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "@id": "#page", "mainEntity": {"@id": "#review"}},
            {"@type": "Organization", "@id": "#desk", "name": "Aster Fact Desk"},
            {**review("The harbour is clean again."), "@id": "#review", "author": {"@id": "#desk"}},
        ],
    }
    found = claim_reviews(graph)
    assert len(found) == 1 and found[0].node is not None
    assert found[0].node["author"] == {
        "@type": "Organization",
        "@id": "#desk",
        "name": "Aster Fact Desk",
    }
    nested = {"@type": "WebPage", "mainEntity": {**review("x"), "@type": ["schema:ClaimReview"]}}
    assert claim_reviews(nested)[0].node is not None
    assert claim_reviews({"@type": "WebPage"})[0].error == "no ClaimReview in this document"


def test_reviews_in_an_html_page_and_broken_json() -> None:
    page = (
        "<html><head><script type='application/ld+json'>"
        + json.dumps({"@type": "BreadcrumbList"})
        + '</script><script type="application/ld+json; charset=utf-8">'
        + json.dumps(review("The harbour is clean again."))
        + "</script><script>var x = 1;</script></head><body>text</body></html>"
    )
    found = claim_reviews_in_text(page, html=True)
    assert [f.node["claimReviewed"] for f in found if f.node] == ["The harbour is clean again."]
    assert len(found) == 1
    nothing = claim_reviews_in_text("<html><body>no data</body></html>", html=True)
    assert nothing[0].error == "no ClaimReview in this page"
    broken = claim_reviews_in_text('{"@type": "ClaimReview",', html=False)
    assert broken[0].error is not None and "not valid JSON" in broken[0].error


def test_read_claim_review_maps_claim_claimant_and_rating() -> None:
    read = read_claim_review(review("  The harbour   is clean again. ", "Mostly false"))
    assert read.claim_text == "The harbour is clean again."
    assert (read.claimant, read.claimant_kind) == ("Dana Holm", SourceKind.PERSON)
    assert read.stated_at == datetime(2025, 1, 20, tzinfo=UTC)
    assert read.claim_url == "https://news.example.com/holm"
    assert (read.reviewer, read.rating) == ("Aster Fact Desk", "Mostly false")
    assert read.url == "https://factdesk.example.org/checks/harbour-clean"
    assert read.reviewed_at is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"claimReviewed": ""}, "claimReviewed"),
        ({"reviewRating": {"ratingValue": 1}}, "reviewRating.alternateName"),
        ({"url": "not a url"}, "url"),
        ({"url": None}, "url"),
        ({"author": {"@type": "Organization"}}, "author.name"),
        ({"itemReviewed": {"@type": "Claim"}}, "itemReviewed.author.name"),
        ({"datePublished": "yesterday"}, "datePublished"),
    ],
)
def test_read_claim_review_names_the_property_at_fault(
    change: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        read_claim_review({**review("The harbour is clean again."), **change})
    assert caught.value.field == field


def test_a_default_claimant_fills_in_for_an_unnamed_one() -> None:
    node = {**review("The harbour is clean again."), "itemReviewed": {"@type": "Claim"}}
    assert read_claim_review(node, default_claimant="Social media posts").claimant == (
        "Social media posts"
    )


def test_references_that_expand_exponentially_are_refused_quickly() -> None:
    # Each node refers 30 times to the next: 5 KB of JSON-LD that would expand to 30^6 values
    # within the depth followed.
    nodes: list[dict[str, object]] = [
        {"@id": f"n{i}", "@type": "Thing", "a": [{"@id": f"n{i + 1}"}] * 30} for i in range(8)
    ]
    bomb = review("The harbour is clean again.", about={"@id": "n0"})
    fine = review("Ferries run again.")
    text = json.dumps({"@context": "https://schema.org", "@graph": [bomb, fine, *nodes]})
    assert len(text) < 6_000
    found = claim_reviews_in_text(text, html=False)
    assert [f.node is not None for f in found] == [False, True]
    assert found[0].error is not None and "expand past" in found[0].error


def test_json_nested_past_the_parser_is_a_problem_not_a_crash() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    [found] = claim_reviews_in_text(deep, html=False)
    assert found.error == "not valid JSON: nested too deeply"
    page = f'<script type="application/ld+json">{deep}</script>'
    assert claim_reviews_in_text(page, html=True)[0].error == (
        "script 1: not valid JSON: nested too deeply"
    )
