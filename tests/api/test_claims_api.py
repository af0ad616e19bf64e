from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from crosscheck.claims.schemas import MAX_CLAIM_CHARS
from tests.conftest import VECTOR_BACKENDS
from tests.factories import assert_error, post_claim, post_source


@pytest.fixture(params=VECTOR_BACKENDS)
def vector_backend(request: pytest.FixtureRequest) -> str:
    """Every test here runs with the FAISS index and with pgvector."""
    return str(request.param)


TROOPS = "At least 3,000 North Korean soldiers are in eastern Russia."


def test_posting_a_claim_creates_its_source(client: TestClient) -> None:
    response = client.post(
        "/v1/claims",
        json={
            "text": TROOPS,
            "source": "US National Security Council",
            "stated_at": "2024-10-23T18:00:00Z",
            "url": "https://example.org/briefing",
            "external_id": "nsc-1",
        },
    )
    assert response.status_code == 201
    claim = response.json()
    assert response.headers["location"] == f"/v1/claims/{claim['id']}"
    assert claim["source"]["name"] == "US National Security Council"
    assert claim["stated_at"].startswith("2024-10-23T18:00:00")
    assert client.get(f"/v1/sources/{claim['source']['id']}").status_code == 200
    assert client.get(f"/v1/claims/{claim['id']}").json() == claim


def test_same_statement_from_same_source_is_stored_once(client: TestClient) -> None:
    first = client.post("/v1/claims", json={"text": TROOPS, "source": "NSC"})
    again = client.post(
        "/v1/claims",
        json={
            "text": "  at least 3,000 north korean soldiers are in  eastern Russia. ",
            "source": "nsc",
        },
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    other_source = client.post("/v1/claims", json={"text": TROOPS, "source": "Pentagon"})
    assert other_source.status_code == 201
    assert client.get("/v1/claims").json()["total"] == 2
    assert client.get("/readyz").json()["claims_indexed"] == 2


def test_claim_by_source_id_and_alias(client: TestClient) -> None:
    source = post_source(client, "South Korea National Intelligence Service", aliases=["NIS"])
    response = client.post(
        "/v1/claims", json={"text": "1,500 soldiers train in Russia.", "source_id": source["id"]}
    )
    assert response.status_code == 201
    assert response.json()["source"] == {"id": source["id"], "name": source["name"]}
    by_alias = post_claim(client, "More troops arrived in Russia recently.", source="nis")
    assert by_alias["source"]["id"] == source["id"]


def test_list_claims_filters(client: TestClient) -> None:
    post_claim(
        client, "Troops moved to Vladivostok.", source="NSC", stated_at="2024-10-23T00:00:00Z"
    )
    post_claim(
        client, "Troops wear Russian uniforms.", source="NIS", stated_at="2024-10-18T00:00:00Z"
    )
    post_claim(client, "Reports are propaganda.", source="MFA", stated_at="2024-10-25T00:00:00Z")
    assert client.get("/v1/claims", params={"sources": "NIS"}).json()["total"] == 1
    assert client.get("/v1/claims", params={"q": "TROOPS"}).json()["total"] == 2
    assert client.get("/v1/claims", params={"q": "100%"}).json()["total"] == 0
    window = client.get(
        "/v1/claims",
        params={"stated_from": "2024-10-20T00:00:00Z", "stated_to": "2024-10-24T00:00:00Z"},
    ).json()
    assert [c["text"] for c in window["items"]] == ["Troops moved to Vladivostok."]
    page = client.get("/v1/claims", params={"limit": 2}).json()
    rest = client.get("/v1/claims", params={"limit": 2, "cursor": page["next_cursor"]}).json()
    assert len(page["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert_error(
        client.get("/v1/claims", params={"sources": "Nobody"}), 404, "source_not_found", "sources"
    )
    assert_error(
        client.get(
            "/v1/claims",
            params={"stated_from": "2024-10-25T00:00:00Z", "stated_to": "2024-10-01T00:00:00Z"},
        ),
        422,
        "validation_error",
        "stated_to",
    )


def test_delete_claim_leaves_store_and_index(client: TestClient) -> None:
    keep = post_claim(client, "North Korean troops are training in Russia.", source="NSC")
    gone = post_claim(client, "Russia denies hosting North Korean troops.", source="MFA")
    assert client.delete(f"/v1/claims/{gone['id']}").status_code == 204
    assert_error(client.get(f"/v1/claims/{gone['id']}"), 404, "claim_not_found")
    assert_error(client.delete(f"/v1/claims/{gone['id']}"), 404, "claim_not_found")
    assert client.get("/readyz").json()["claims_indexed"] == 1
    answer = client.post("/v1/verify", json={"text": "North Korean troops are in Russia"}).json()
    ids = [
        e["claim"]["id"]
        for group in ("corroborating", "contradicting", "related")
        for e in answer[group]
    ]
    assert ids == [keep["id"]]


def test_bad_claims_are_rejected_and_change_nothing(client: TestClient) -> None:
    post_claim(client, TROOPS, source="NSC")
    cases = [
        ({"source": "NSC"}, "text"),
        ({"text": "", "source": "NSC"}, "text"),
        ({"text": "   ", "source": "NSC"}, "text"),
        ({"text": 42, "source": "NSC"}, "text"),
        ({"text": "x" * (MAX_CLAIM_CHARS + 1), "source": "NSC"}, "text"),
        ({"text": "ok", "source": "NSC", "stated_at": "yesterday"}, "stated_at"),
        ({"text": "ok", "source": "NSC", "url": "not a url"}, "url"),
        ({"text": "ok", "source": "NSC", "colour": "red"}, "colour"),
        ({"text": "ok", "source_id": 0}, "source_id"),
    ]
    for body, field in cases:
        assert_error(client.post("/v1/claims", json=body), 422, "validation_error", field)
    assert_error(client.post("/v1/claims", json={"text": "ok"}), 422, "validation_error")
    assert_error(
        client.post("/v1/claims", json={"text": "ok", "source_id": 999}),
        404,
        "source_not_found",
        "source_id",
    )
    assert_error(
        client.post(
            "/v1/claims", content=b"{not json", headers={"content-type": "application/json"}
        ),
        422,
        "validation_error",
    )
    assert_error(
        client.post(
            "/v1/claims", content=b"x" * 4_100_000, headers={"content-type": "application/json"}
        ),
        413,
        "payload_too_large",
    )
    assert client.get("/v1/claims").json()["total"] == 1
    assert client.get("/v1/sources").json()["total"] == 1


def test_external_id_names_one_claim_per_source(client: TestClient) -> None:
    post_claim(client, "First wording.", source="NSC", external_id="brief-7")
    assert_error(
        client.post(
            "/v1/claims", json={"text": "Other wording.", "source": "NSC", "external_id": "brief-7"}
        ),
        409,
        "external_id_taken",
        "external_id",
    )


def test_ids_beyond_64_bits_are_refused_not_crashed(client: TestClient) -> None:
    huge = 2**70
    assert_error(client.get(f"/v1/claims/{huge}"), 422, "validation_error", "claim_id")
    assert_error(client.get("/v1/claims", params={"source_ids": huge}), 422, field="source_ids.0")
    assert_error(
        client.post("/v1/claims", json={"text": "ok", "source_id": huge}), 422, field="source_id"
    )
    assert_error(client.get(f"/v1/claims/{2**63 - 1}"), 404, "claim_not_found")
