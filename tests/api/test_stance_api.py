from __future__ import annotations

from fastapi.testclient import TestClient

from crosscheck.stance.schemas import MAX_EVIDENCE_CHARS
from tests.factories import assert_error

CLAIM = "At least 3,000 North Korean soldiers are in Russia."
DENIAL = (
    "Russia's foreign ministry dismissed reports of North Korean soldiers in Russia as propaganda."
)


def test_stance_over_rest(client: TestClient) -> None:
    article = "Markets were calm on Tuesday. " * 20 + DENIAL + " Trading resumed later."
    response = client.post("/v1/stance", json={"claim": CLAIM, "evidence": article})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["label"] == "contradicts"
    assert 0 < body["confidence"] < 1 and body["reasons"]
    assert any(span["text"] == DENIAL for span in body["evidence_spans"])
    for span in body["evidence_spans"]:
        assert article[span["start"] : span["end"]] == span["text"]


def test_stance_over_graphql(client: TestClient) -> None:
    query = """
    query($claim: String!, $evidence: String!) {
      stance(claim: $claim, evidence: $evidence) { label confidence reasons evidenceSpans { start end text } }
    }
    """
    body = client.post(
        "/graphql", json={"query": query, "variables": {"claim": CLAIM, "evidence": DENIAL}}
    ).json()
    assert body.get("errors") is None, body
    assert body["data"]["stance"]["label"] == "CONTRADICTS"
    assert body["data"]["stance"]["evidenceSpans"][0]["text"] == DENIAL
    empty = client.post(
        "/graphql", json={"query": query, "variables": {"claim": CLAIM, "evidence": " "}}
    ).json()
    assert empty["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "evidence"}


def test_stance_input_limits(client: TestClient) -> None:
    assert (
        client.post(
            "/v1/stance", json={"claim": CLAIM, "evidence": "x " * (MAX_EVIDENCE_CHARS // 2)}
        ).status_code
        == 200
    )
    assert_error(
        client.post(
            "/v1/stance", json={"claim": CLAIM, "evidence": "x" * (MAX_EVIDENCE_CHARS + 1)}
        ),
        422,
        "validation_error",
        "evidence",
    )
    assert_error(client.post("/v1/stance", json={"claim": "", "evidence": "y"}), 422, field="claim")
    assert_error(client.post("/v1/stance", json={"evidence": "y"}), 422, field="claim")
    assert_error(
        client.post("/v1/stance", json={"claim": "x", "evidence": ["y"]}), 422, field="evidence"
    )
