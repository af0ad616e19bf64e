"""Loading fact-checkers' ClaimReview JSON-LD on SQLite and PostgreSQL: claims, claimants, ratings."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from crosscheck.claims import service as claim_service
from crosscheck.claims.models import Claim, ClaimReview
from crosscheck.claims.schemas import ClaimCreate, ClaimRead
from crosscheck.ingest.results import RowResult, RowStatus
from crosscheck.ingest.reviews import ClaimReviewBulkLoader
from crosscheck.ingest.rows import read_claim_reviews
from crosscheck.matching.lexical import search_lexical
from crosscheck.runtime import Runtime
from crosscheck.sources.models import SourceKind
from tests.crosscheck.reviews.test_jsonld import review


def _load(runtime: Runtime, document: Any, **options: Any) -> list[RowResult]:
    loader = ClaimReviewBulkLoader(
        session_factory=runtime.session_factory, claim_index=runtime.claim_index, **options
    )
    collected: list[RowResult] = []
    rows = read_claim_reviews(json.dumps(document).encode(), html=False)
    loader.run(rows, lambda _rows, results: collected.extend(results))
    return collected


def _claims(runtime: Runtime) -> list[ClaimRead]:
    with runtime.session_factory() as session:
        return [
            ClaimRead.model_validate(claim)
            for claim in session.scalars(select(Claim).order_by(Claim.id))
        ]


def test_reviews_store_claims_claimants_and_ratings_once(runtime: Runtime) -> None:
    clean = review("The harbour at Port Aster is clean again.", "False")
    second_opinion = {
        **clean,
        "url": "https://otherdesk.example.net/harbour",
        "author": {"@type": "Organization", "name": "Coastal Checks"},
        "reviewRating": {"@type": "Rating", "alternateName": "Misleading", "ratingValue": 2},
        "datePublished": "2025-01-22T08:30:00Z",
    }
    ferries = {
        **review("Ferries to Port Aster run on the winter timetable again.", "True"),
        "url": "https://factdesk.example.org/checks/ferries",
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": "Aster Ferry Company"},
        },
    }
    broken = {**review("Half the harbour fleet was sunk."), "reviewRating": {}}
    document = {
        "@context": "https://schema.org",
        "@graph": [clean, second_opinion, ferries, broken],
    }

    results = _load(runtime, document)
    assert [(r.line, r.status) for r in results] == [
        (1, RowStatus.CREATED),
        (2, RowStatus.CREATED),
        (3, RowStatus.CREATED),
        (4, RowStatus.ERROR),
    ]
    assert results[0].id == results[1].id  # one claim, two fact-checkers
    assert results[3].error is not None and results[3].error.field == "reviewRating.alternateName"

    claims = _claims(runtime)
    assert [c.text for c in claims] == [
        "The harbour at Port Aster is clean again.",
        "Ferries to Port Aster run on the winter timetable again.",
    ]
    harbour = claims[0]
    assert harbour.source.name == "Dana Holm"
    assert (
        harbour.stated_at is not None
        and harbour.stated_at.isoformat() == "2025-01-20T00:00:00+00:00"
    )
    assert harbour.url == "https://news.example.com/holm"
    assert [(r.reviewer, r.rating, r.url) for r in harbour.reviews] == [
        ("Aster Fact Desk", "False", "https://factdesk.example.org/checks/harbour-clean"),
        ("Coastal Checks", "Misleading", "https://otherdesk.example.net/harbour"),
    ]
    assert harbour.reviews[1].reviewed_at is not None
    assert claims[1].stated_at is None and claims[1].source.name == "Aster Ferry Company"
    with runtime.session_factory() as session:
        kinds = {c.source.name: c.source.kind for c in session.scalars(select(Claim))}
    assert kinds == {"Dana Holm": SourceKind.PERSON, "Aster Ferry Company": SourceKind.ORGANIZATION}
    # The claims are indexed like any other.
    assert runtime.claim_index.count() == 2

    again = _load(runtime, document)
    assert [r.status for r in again] == [RowStatus.EXISTS] * 3 + [RowStatus.ERROR]
    assert runtime.claim_index.count() == 2
    with runtime.session_factory() as session:
        assert len(session.scalars(select(ClaimReview)).all()) == 3

    # A fact-checker revises its rating on the same page: the stored rating follows.
    revised = _load(runtime, [{**clean, "reviewRating": {"alternateName": "Mostly false"}}])
    assert [r.status for r in revised] == [RowStatus.EXISTS]
    assert [r.rating for r in _claims(runtime)[0].reviews] == ["Mostly false", "Misleading"]


def test_a_stored_claim_gains_the_review_and_loses_it_with_the_claim(runtime: Runtime) -> None:
    with runtime.session_factory() as session:
        stored = claim_service.create(
            session=session,
            claim_in=ClaimCreate(
                text="The harbour at Port Aster is clean again.", source="Dana Holm"
            ),
        )
        session.commit()
    first = _load(runtime, review("The harbour at Port Aster is  clean again."))
    assert first[0].status is RowStatus.CREATED and first[0].id == stored.claim.id
    assert [r.rating for r in _claims(runtime)[0].reviews] == ["False"]
    with runtime.session_factory() as session:
        claim = session.get(Claim, first[0].id)
        assert claim is not None
        session.delete(claim)
        session.commit()
        assert session.scalars(select(ClaimReview)).all() == []  # reviews go with their claim


def test_a_reviews_headline_becomes_its_claims_title(runtime: Runtime) -> None:
    headlined = {
        **review("Port Aster's harbour was dredged."),
        "headline": "Was the harbour dug out?",
    }
    named = {**review("The Aster lighthouse closed.", "True"), "name": "Aster lighthouse: closed"}
    too_long = {**review("The Aster ferry sank."), "headline": "x" * 501}
    results = _load(
        runtime, {"@context": "https://schema.org", "@graph": [headlined, named, too_long]}
    )
    assert [r.status for r in results] == [RowStatus.CREATED, RowStatus.CREATED, RowStatus.ERROR]
    assert results[2].error is not None and results[2].error.field == "headline"
    assert [c.title for c in _claims(runtime)] == [
        "Was the harbour dug out?",
        "Aster lighthouse: closed",
    ]


def test_a_claim_stored_untitled_takes_the_headline_of_its_review_later(runtime: Runtime) -> None:
    text = "The Aster ferry runs at night."
    with runtime.session_factory() as session:
        claim_service.create(session=session, claim_in=ClaimCreate(text=text, source="Dana Holm"))
        session.commit()
    first = {**review(text), "headline": "Nocturnal crossings?"}
    second = {**first, "url": "https://otherdesk.example.net/ferry", "headline": "Ferry claim"}
    _load(runtime, first)
    _load(runtime, second)
    # The first headline stays: a title once given is not replaced by another desk's.
    assert [c.title for c in _claims(runtime)] == ["Nocturnal crossings?"]
    with runtime.session_factory() as session:
        found = search_lexical(session=session, query="nocturnal crossings", limit=5)
    assert [claim_id for claim_id, _ in found] == [_claims(runtime)[0].id]
