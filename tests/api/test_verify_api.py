"""The scenario the service exists for: who corroborates and who contradicts, over REST."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import VECTOR_BACKENDS
from tests.factories import assert_error


@pytest.fixture(params=VECTOR_BACKENDS)
def vector_backend(request: pytest.FixtureRequest) -> str:
    """Every test here runs with the FAISS index and with pgvector."""
    return str(request.param)


QUERY = "North Korean soldiers are in Russia"


def _sources(items: list[dict[str, Any]]) -> set[str]:
    return {item["claim"]["source"]["name"] for item in items}


@pytest.mark.xfail(
    strict=True,
    reason='the shipped judge reads many statement pairs as "discusses"',
)
def test_verify_lists_corroborating_and_contradicting_sources(demo_client: TestClient) -> None:
    response = demo_client.post("/v1/verify", json={"text": QUERY})
    assert response.status_code == 200
    answer = response.json()
    assert answer["verdict"] == "contested"
    assert {
        "US National Security Council",
        "South Korea National Intelligence Service",
    } <= _sources(answer["corroborating"])
    assert "Russian Ministry of Foreign Affairs" in _sources(answer["contradicting"])
    assert "Russian Ministry of Foreign Affairs" not in _sources(answer["corroborating"])
    for item in answer["corroborating"] + answer["contradicting"] + answer["related"]:
        assert item["reasons"] and all(isinstance(r, str) and r for r in item["reasons"])
        assert 0 < item["confidence"] < 1 and -1 <= item["similarity"] <= 1
    denial = next(
        i
        for i in answer["contradicting"]
        if i["claim"]["source"]["name"] == "Russian Ministry of Foreign Affairs"
    )
    assert any("den" in r or "propaganda" in r or "false" in r for r in denial["reasons"])
    # Nothing from the unrelated river-spill scenario is judged relevant.
    assert not any(
        "Riverton" in i["claim"]["text"] or "Halvorsen" in i["claim"]["text"]
        for group in ("corroborating", "contradicting")
        for i in answer[group]
    )


def test_verify_conflicting_numbers(demo_client: TestClient) -> None:
    answer = demo_client.post(
        "/v1/verify",
        json={"text": "Only about 500 litres of solvent leaked into the Clearwater River."},
    ).json()
    reasons = [r for item in answer["contradicting"] for r in item["reasons"]]
    assert any("numbers conflict" in r and "500" in r for r in reasons), answer


def test_verify_source_filters(demo_client: TestClient) -> None:
    only_russia = demo_client.post(
        "/v1/verify", json={"text": QUERY, "sources": ["Russia's foreign ministry"]}
    ).json()
    assert only_russia["verdict"] == "contradicted"
    assert _sources(only_russia["contradicting"]) == {"Russian Ministry of Foreign Affairs"}
    assert not only_russia["corroborating"]
    without = demo_client.post(
        "/v1/verify",
        json={"text": QUERY, "exclude_sources": ["Russian Ministry of Foreign Affairs", "KCNA"]},
    ).json()
    assert without["verdict"] == "corroborated"
    assert (
        demo_client.post("/v1/verify", json={"text": QUERY, "top_k": 1})
        .json()["corroborating"]
        .__len__()
        <= 1
    )


@pytest.mark.xfail(
    strict=True,
    reason='the shipped judge reads many statement pairs as "discusses"',
)
def test_evidence_for_a_stored_claim_excludes_its_own_source(demo_client: TestClient) -> None:
    claims = demo_client.get(
        "/v1/claims", params={"sources": "Russian Ministry of Foreign Affairs"}
    ).json()
    denial = claims["items"][0]
    answer = demo_client.get(f"/v1/claims/{denial['id']}/evidence").json()
    everything = answer["corroborating"] + answer["contradicting"] + answer["related"]
    assert everything
    assert all(
        i["claim"]["source"]["name"] != "Russian Ministry of Foreign Affairs" for i in everything
    )
    assert {"US National Security Council", "South Korea National Intelligence Service"} & _sources(
        answer["contradicting"]
    )
    same = demo_client.get(
        f"/v1/claims/{denial['id']}/evidence", params={"include_same_source": True}
    ).json()
    assert all(
        i["claim"]["id"] != denial["id"]
        for g in ("corroborating", "contradicting", "related")
        for i in same[g]
    )
    assert_error(demo_client.get("/v1/claims/99999/evidence"), 404, "claim_not_found")


def test_verify_with_no_claims_is_unverified(client: TestClient) -> None:
    answer = client.post("/v1/verify", json={"text": QUERY}).json()
    assert answer["verdict"] == "unverified"
    assert answer["corroborating"] == answer["contradicting"] == answer["related"] == []
    assert answer["summary"] == {
        "corroborating_origins": 0,
        "contradicting_origins": 0,
        "corroborating_sources": [],
        "contradicting_sources": [],
        "divided_sources": [],
        "verdict": "unverified",
    }


def test_verify_rejects_bad_input(client: TestClient) -> None:
    assert_error(client.post("/v1/verify", json={}), 422, "validation_error", "text")
    assert_error(client.post("/v1/verify", json={"text": ""}), 422, "validation_error", "text")
    assert_error(
        client.post("/v1/verify", json={"text": "x" * 5001}), 422, "validation_error", "text"
    )
    assert_error(
        client.post("/v1/verify", json={"text": "ok", "top_k": 0}), 422, "validation_error", "top_k"
    )
    assert_error(
        client.post("/v1/verify", json={"text": "ok", "top_k": "many"}),
        422,
        "validation_error",
        "top_k",
    )
    assert_error(
        client.post("/v1/verify", json={"text": "ok", "sources": "NSC"}),
        422,
        "validation_error",
        "sources",
    )
    assert_error(
        client.post("/v1/verify", json={"text": "ok", "sources": ["Nobody"]}),
        404,
        "source_not_found",
        "sources",
    )
    assert_error(client.post("/v1/verify", json=["text"]), 422, "validation_error")
