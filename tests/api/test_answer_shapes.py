"""REST and GraphQL give one answer: the GraphQL types are read from the REST read models."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import assert_error

EVIDENCE_FIELDS = (
    "claim { id source { id } } stance similarity confidence reasons supersededBy current counted"
)
VERIFY = f"""
query Verify($text: String!) {{
  verify(text: $text) {{
    verdict
    summary {{ corroboratingOrigins contradictingOrigins dividedSources {{ id }} }}
    corroborating {{ {EVIDENCE_FIELDS} }}
    contradicting {{ {EVIDENCE_FIELDS} }}
    related {{ {EVIDENCE_FIELDS} }}
    timelines {{ source {{ id }} position statements {{ {EVIDENCE_FIELDS} }} }}
  }}
}}
"""
CLAIM_EVIDENCE = f"""
query Evidence($id: Int!, $topK: Int) {{
  claim(id: $id) {{ evidence(topK: $topK) {{ {EVIDENCE_FIELDS} }} }}
}}
"""
TEXT = "North Korean soldiers are in Russia"


def _rest_item(item: dict[str, Any]) -> tuple[Any, ...]:
    return (
        item["claim"]["id"],
        item["claim"]["source"]["id"],
        item["stance"],
        item["similarity"],
        item["confidence"],
        tuple(item["reasons"]),
        item["superseded_by"],
        item["current"],
        item["counted"],
    )


def _graphql_item(item: dict[str, Any]) -> tuple[Any, ...]:
    return (
        item["claim"]["id"],
        item["claim"]["source"]["id"],
        item["stance"].lower(),
        item["similarity"],
        item["confidence"],
        tuple(item["reasons"]),
        item["supersededBy"],
        item["current"],
        item["counted"],
    )


def _graphql(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    body = client.post("/graphql", json={"query": query, "variables": variables}).json()
    assert body.get("errors") is None, body
    data: dict[str, Any] = body["data"]
    return data


def test_verify_answers_the_same_over_rest_and_graphql(demo_client: TestClient) -> None:
    rest = demo_client.post("/v1/verify", json={"text": TEXT}).json()
    graphql = _graphql(demo_client, VERIFY, text=TEXT)["verify"]
    assert graphql["verdict"].lower() == rest["verdict"]
    assert graphql["summary"]["corroboratingOrigins"] == rest["summary"]["corroborating_origins"]
    assert graphql["summary"]["contradictingOrigins"] == rest["summary"]["contradicting_origins"]
    weighed = 0
    for group in ("corroborating", "contradicting", "related"):
        assert [_graphql_item(i) for i in graphql[group]] == [_rest_item(i) for i in rest[group]]
        weighed += len(rest[group])
    assert weighed, "the demo has evidence for this text"
    # Timelines: the same statements, with the same fields, in the same order.
    assert [
        (t["source"]["id"], t["position"].lower(), [_graphql_item(s) for s in t["statements"]])
        for t in graphql["timelines"]
    ] == [
        (t["source"]["id"], t["position"], [_rest_item(s) for s in t["statements"]])
        for t in rest["timelines"]
    ]
    # REST timeline statements carry the date besides the evidence fields.
    for timeline in rest["timelines"]:
        for statement in timeline["statements"]:
            assert statement["stated_at"] == statement["claim"]["stated_at"]


def test_stored_claim_evidence_is_the_same_over_rest_and_graphql(demo_client: TestClient) -> None:
    claim_id = demo_client.get("/v1/claims", params={"q": "soldiers"}).json()["items"][0]["id"]
    rest = demo_client.get(f"/v1/claims/{claim_id}/evidence", params={"top_k": 8}).json()
    graphql = _graphql(demo_client, CLAIM_EVIDENCE, id=claim_id, topK=8)["claim"]["evidence"]
    sided = [
        _rest_item(item)
        for item in sorted(
            rest["corroborating"] + rest["contradicting"] + rest["related"],
            key=lambda item: item["claim"]["id"],
        )
    ]
    assert sorted(_graphql_item(item) for item in graphql) == sorted(sided)


def test_top_k_is_checked_once_for_rest_and_graphql(demo_client: TestClient) -> None:
    claim_id = demo_client.get("/v1/claims").json()["items"][0]["id"]
    for bad in (0, 101):
        response = demo_client.get(f"/v1/claims/{claim_id}/evidence", params={"top_k": bad})
        assert_error(response, 422, "validation_error", field="top_k")
        body = demo_client.post(
            "/graphql", json={"query": CLAIM_EVIDENCE, "variables": {"id": claim_id, "topK": bad}}
        ).json()
        [error] = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["extensions"]["field"] == "top_k"
