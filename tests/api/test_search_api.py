"""Has this been checked before? POST /v1/search and GraphQL search, on the demo scenarios."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from crosscheck.claims.models import ClaimReview
from crosscheck.runtime import Runtime
from tests.factories import assert_error

POST = (
    "Wow. US now says at least 3,000 North Korean soldiers are in eastern Russia!! "
    "https://t.co/xyz #NorthKorea #Ukraine — Jane Doe (@janedoe) October 23, 2024"
)
US_CLAIM = "North Korea has sent roughly 3,000 soldiers to Russia"


def _search(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/v1/search", json=body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _texts(answer: dict[str, Any]) -> list[str]:
    return [item["claim"]["text"] for item in answer["items"]]


def test_a_pasted_post_finds_the_claim_it_repeats(demo_client: TestClient) -> None:
    answer = _search(demo_client, text=POST, top_k=3)
    assert answer["query"]["text"] == POST  # the raw text, as sent
    assert "https" not in answer["query"]["normalized"]
    assert "North Korea" in answer["query"]["normalized"]
    assert answer["retrieval"] == "hybrid"
    assert answer["items"][0]["claim"]["text"].startswith(US_CLAIM)
    top = answer["items"][0]
    assert top["lexical_rank"] is not None and top["semantic_rank"] is not None
    assert 0.5 < top["similarity"] <= 1
    scores = [item["score"] for item in answer["items"]]
    assert scores == sorted(scores, reverse=True) and len(scores) == 3
    # Nothing from the river-spill scenario comes near the top.
    assert not any("Riverton" in text or "Halvorsen" in text for text in _texts(answer))


def test_each_signal_alone_and_fused(demo_client: TestClient) -> None:
    lexical = _search(demo_client, text="Halvorsen solvent litres", retrieval="lexical", top_k=5)
    assert lexical["items"] and all(item["semantic_rank"] is None for item in lexical["items"])
    assert all(item["similarity"] is None for item in lexical["items"])
    assert all("Halvorsen" in text or "solvent" in text for text in _texts(lexical))
    semantic = _search(demo_client, text="Is the drinking water safe?", retrieval="semantic")
    assert all(item["lexical_rank"] is None for item in semantic["items"])
    assert "water" in semantic["items"][0]["claim"]["text"].lower()
    # A word the vectors know nothing of still finds its claim lexically.
    words_only = _search(demo_client, text="zzqx Halvorsen", retrieval="lexical", top_k=10)
    assert words_only["items"]


def test_filters_as_in_the_claim_listing(demo_client: TestClient) -> None:
    source = "Russian Ministry of Foreign Affairs"
    answer = _search(demo_client, text="North Korean troops in Russia", sources=[source])
    assert answer["items"]
    assert {item["claim"]["source"]["name"] for item in answer["items"]} == {source}
    dated = _search(
        demo_client, text="North Korean troops in Russia", stated_to="2024-10-18T00:00:00Z"
    )
    assert all(item["claim"]["stated_at"] <= "2024-10-18" for item in dated["items"])
    assert_error(
        demo_client.post("/v1/search", json={"text": "x", "sources": ["Nobody Known"]}),
        404,
        field="sources",
    )


def test_a_fact_checkers_rating_comes_with_its_claim(demo_client: TestClient) -> None:
    runtime: Runtime = demo_client.app.state.runtime  # type: ignore[attr-defined]
    claim_id = _search(demo_client, text=US_CLAIM, top_k=1)["items"][0]["claim"]["id"]
    with runtime.session_factory() as session:
        session.add_all(
            [
                ClaimReview(
                    claim_id=claim_id,
                    reviewer="Check Desk",
                    rating="Mostly true",
                    url="https://checks.example/old",
                    reviewed_at=datetime(2024, 10, 24, tzinfo=UTC),
                ),
                ClaimReview(
                    claim_id=claim_id,
                    reviewer="Check Desk",
                    rating="True",
                    url="https://checks.example/new",
                    reviewed_at=datetime(2024, 11, 2, tzinfo=UTC),
                ),
            ]
        )
        session.commit()
    top = _search(demo_client, text=POST, top_k=1)["items"][0]
    assert top["claim"]["id"] == claim_id
    assert top["rating"] == "True"  # the latest review's
    assert {review["rating"] for review in top["claim"]["reviews"]} == {"True", "Mostly true"}


def test_bad_requests_name_their_field(demo_client: TestClient) -> None:
    for body, field in [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x", "top_k": 0}, "top_k"),
        ({"text": "x", "top_k": 101}, "top_k"),
        ({"text": "x", "top_k": "5"}, "top_k"),
        ({"text": "x", "retrieval": "magic"}, "retrieval"),
        ({"text": "x", "surprise": 1}, "surprise"),
        ({"text": "x" * 5001}, "text"),
    ]:
        assert_error(demo_client.post("/v1/search", json=body), 422, field=field)
    # Words that are all stop words, or no words at all: an empty answer, not an error.
    assert _search(demo_client, text="the of and", retrieval="lexical")["items"] == []
    assert _search(demo_client, text="🔥🔥 !!", retrieval="lexical")["items"] == []


def test_graphql_search_answers_as_rest(demo_client: TestClient) -> None:
    rest = _search(demo_client, text=POST, top_k=5)
    query = (
        "query($t: String!) { search(text: $t, topK: 5) { retrieval query { text normalized "
        "parts } items { score similarity lexicalRank semanticRank rating claim { id } } } }"
    )
    body = demo_client.post("/graphql", json={"query": query, "variables": {"t": POST}}).json()
    assert body.get("errors") is None, body
    found = body["data"]["search"]
    assert found["retrieval"] == "HYBRID"
    assert found["query"]["normalized"] == rest["query"]["normalized"]
    assert [
        (i["claim"]["id"], i["score"], i["similarity"], i["lexicalRank"], i["semanticRank"])
        for i in found["items"]
    ] == [
        (i["claim"]["id"], i["score"], i["similarity"], i["lexical_rank"], i["semantic_rank"])
        for i in rest["items"]
    ]
    bad = demo_client.post(
        "/graphql", json={"query": '{ search(text: "x", topK: 0) { retrieval } }'}
    ).json()
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_undated_reviews_give_the_latest_stored_rating(demo_client: TestClient) -> None:
    runtime: Runtime = demo_client.app.state.runtime  # type: ignore[attr-defined]
    claim_id = _search(demo_client, text=US_CLAIM, top_k=1)["items"][0]["claim"]["id"]
    with runtime.session_factory() as session:
        for rating, url in [
            ("Unproven", "https://checks.example/a"),
            ("True", "https://checks.example/b"),
        ]:
            session.add(
                ClaimReview(
                    claim_id=claim_id, reviewer="Desk", rating=rating, url=url, reviewed_at=None
                )
            )
            session.commit()
    assert _search(demo_client, text=US_CLAIM, top_k=1)["items"][0]["rating"] == "True"
