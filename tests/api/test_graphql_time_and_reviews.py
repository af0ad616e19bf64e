"""Time and fact-checkers' reviews over GraphQL: the same answers as REST."""

from __future__ import annotations

from datetime import datetime

from fastapi.testclient import TestClient

from tests.api.test_graphql import error_codes, gql, ok
from tests.factories import post_claim

TIMELINE = """
query Timeline($id: Int!, $asOf: DateTime) {
  claim(id: $id) {
    timeline(asOf: $asOf) {
      claim { id }
      statements { claim { id text } statedAt similarity current supersededBy }
    }
  }
}
"""

VERIFY = """
query Verify($text: String!, $asOf: DateTime) {
  verify(text: $text, asOf: $asOf) {
    verdict
    asOf
    summary { contradictingOrigins }
    contradicting { claim { id } supersededBy current }
    timelines { source { name } statements { claim { id } stance current supersededBy } }
  }
}
"""


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_timeline_and_as_of_over_graphql(client: TestClient) -> None:
    early = post_claim(
        client,
        "No ferries will sail from Port Aster this winter.",
        source="Aster Ferry Company",
        stated_at="2025-01-05T08:00:00Z",
    )
    late = post_claim(
        client,
        "Ferries will sail from Port Aster this winter after all.",
        source="Aster Ferry Company",
        stated_at="2025-01-19T08:00:00Z",
    )
    timeline = ok(client, TIMELINE, id=early["id"])["claim"]["timeline"]
    rest = client.get(f"/v1/claims/{early['id']}/timeline").json()
    assert timeline["claim"]["id"] == early["id"]
    assert [
        (s["claim"]["id"], _moment(s["statedAt"]), s["similarity"], s["current"], s["supersededBy"])
        for s in timeline["statements"]
    ] == [
        (
            s["claim"]["id"],
            _moment(s["stated_at"]),
            s["similarity"],
            s["current"],
            s["superseded_by"],
        )
        for s in rest["statements"]
    ]
    assert [s["supersededBy"] for s in timeline["statements"]] == [late["id"], None]
    then = ok(client, TIMELINE, id=early["id"], asOf="2025-01-10T00:00:00Z")["claim"]["timeline"]
    assert [s["current"] for s in then["statements"]] == [True]
    assert error_codes(gql(client, TIMELINE, id=late["id"], asOf="2025-01-10T00:00:00Z")) == [
        "NOT_YET_STATED"
    ]

    text = "Ferries will sail from Port Aster this winter."
    now = ok(client, VERIFY, text=text)["verify"]
    assert now["asOf"] is None
    assert now["contradicting"] and all(
        e["supersededBy"] == late["id"] and not e["current"] for e in now["contradicting"]
    )
    assert now["summary"]["contradictingOrigins"] == 0
    [company] = now["timelines"]
    assert company["source"]["name"] == "Aster Ferry Company"
    assert [s["claim"]["id"] for s in company["statements"]] == [early["id"], late["id"]]
    then_answer = ok(client, VERIFY, text=text, asOf="2025-01-10T00:00:00Z")["verify"]
    assert then_answer["asOf"] == "2025-01-10T00:00:00+00:00"
    assert then_answer["verdict"] == "CONTRADICTED"
    assert [e["current"] for e in then_answer["contradicting"]] == [True]


def test_claims_show_fact_checkers_reviews(client: TestClient) -> None:
    claim = post_claim(client, "The harbour at Port Aster is clean again.", source="Dana Holm")
    data = ok(
        client,
        "query($id: Int!) { claim(id: $id) { reviews { reviewer rating url } } }",
        id=claim["id"],
    )
    assert data["claim"]["reviews"] == [] and claim["reviews"] == []
