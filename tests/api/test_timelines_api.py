"""Time: what was known at a moment (as_of), what each source said over time, what superseded it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import assert_error, post_claim

QUERY = "Oil has leaked into the harbour at Port Aster."


@pytest.fixture
def harbour(client: TestClient) -> dict[str, dict[str, Any]]:
    """Two sources that changed what they said, one undated, one briefing of two statements."""
    claims = {
        "authority_early": post_claim(
            client,
            "About 200 barrels of oil leaked into the harbour at Port Aster.",
            source="Port Aster Harbour Authority",
            stated_at="2025-01-10T09:00:00Z",
            url="https://example.org/harbour/2025-01-10",
        ),
        "authority_late": post_claim(
            client,
            "About 900 barrels of oil leaked into the harbour at Port Aster.",
            source="Port Aster Harbour Authority",
            stated_at="2025-01-14T09:00:00Z",
            url="https://example.org/harbour/2025-01-14",
        ),
        "council_denial": post_claim(
            client,
            "No oil has leaked into the harbour at Port Aster.",
            source="Aster Shipping Council",
            stated_at="2025-01-09T12:00:00Z",
            url="https://example.org/council/2025-01-09",
        ),
        "council_admission": post_claim(
            client,
            "Oil has leaked into the harbour at Port Aster after all, the council now accepts.",
            source="Aster Shipping Council",
            stated_at="2025-01-15T12:00:00Z",
            url="https://example.org/council/2025-01-15",
        ),
        "mayor_undated": post_claim(
            client, "Oil leaked into the harbour at Port Aster.", source="Mayor of Port Aster"
        ),
    }
    return claims


def _by_id(answer: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {
        item["claim"]["id"]: item
        for group in ("corroborating", "contradicting", "related")
        for item in answer[group]
    }


def test_newer_statement_supersedes_older_one_in_the_verdict(
    client: TestClient, harbour: dict[str, dict[str, Any]]
) -> None:
    answer = client.post("/v1/verify", json={"text": QUERY}).json()
    items = _by_id(answer)
    denial, admission = harbour["council_denial"]["id"], harbour["council_admission"]["id"]
    assert items[denial]["stance"] == "contradicts"
    assert items[denial]["superseded_by"] == admission
    assert items[admission]["superseded_by"] is None
    early, late = harbour["authority_early"]["id"], harbour["authority_late"]["id"]
    assert items[early]["superseded_by"] == late
    # The council's denial no longer counts: its current statement corroborates.
    assert answer["verdict"] == "corroborated"
    assert answer["summary"]["contradicting_origins"] == 0
    assert "Aster Shipping Council" in {
        s["name"] for s in answer["summary"]["corroborating_sources"]
    }
    # Superseded statements come after the ones that count, in their group.
    contradicting = answer["contradicting"]
    assert all(item["superseded_by"] is not None for item in contradicting)
    # The answer shows each source's statements over time.
    timelines = {t["source"]["name"]: t["statements"] for t in answer["timelines"]}
    council = timelines["Aster Shipping Council"]
    assert [s["claim"]["id"] for s in council] == [denial, admission]
    assert [(s["stance"], s["current"], s["superseded_by"]) for s in council] == [
        ("contradicts", False, admission),
        ("corroborates", True, None),
    ]
    assert [s["stated_at"] for s in council] == ["2025-01-09T12:00:00Z", "2025-01-15T12:00:00Z"]
    assert [s["claim"]["id"] for s in timelines["Mayor of Port Aster"]] == [
        harbour["mayor_undated"]["id"]
    ]


def test_as_of_keeps_to_what_was_known_then(
    client: TestClient, harbour: dict[str, dict[str, Any]]
) -> None:
    then = client.post("/v1/verify", json={"text": QUERY, "as_of": "2025-01-12T00:00:00Z"}).json()
    assert then["as_of"] == "2025-01-12T00:00:00Z"
    items = _by_id(then)
    assert set(items) == {harbour["authority_early"]["id"], harbour["council_denial"]["id"]}
    # Nothing newer was known yet, so nothing is superseded, and the denial counts.
    assert all(item["superseded_by"] is None for item in items.values())
    assert then["verdict"] == "contested"
    # A time without a zone is UTC; before anything was said, nothing is known.
    before = client.post("/v1/verify", json={"text": QUERY, "as_of": "2025-01-01T00:00"}).json()
    assert before["verdict"] == "unverified" and before["timelines"] == []
    # An undated claim counts from when it was stored.
    now = client.post("/v1/verify", json={"text": QUERY, "as_of": "2999-01-01T00:00:00Z"}).json()
    assert harbour["mayor_undated"]["id"] in _by_id(now)
    assert_error(
        client.post("/v1/verify", json={"text": QUERY, "as_of": "last week"}),
        422,
        "validation_error",
        "as_of",
    )


def test_claim_timeline_lists_the_sources_statements_oldest_first(
    client: TestClient, harbour: dict[str, dict[str, Any]]
) -> None:
    early, late = harbour["authority_early"], harbour["authority_late"]
    response = client.get(f"/v1/claims/{early['id']}/timeline")
    assert response.status_code == 200
    timeline = response.json()
    assert timeline["claim"]["id"] == early["id"]
    statements = timeline["statements"]
    assert [s["claim"]["id"] for s in statements] == [early["id"], late["id"]]
    assert statements[0] == {
        "claim": early,
        "stated_at": "2025-01-10T09:00:00Z",
        "similarity": 1.0,
        "current": False,
        "superseded_by": late["id"],
    }
    assert statements[1]["current"] is True and statements[1]["superseded_by"] is None
    assert 0.7 <= statements[1]["similarity"] < 1.0
    # Only the same source's statements: the council said much the same, but is not here.
    assert {s["claim"]["source"]["name"] for s in statements} == {"Port Aster Harbour Authority"}

    then = client.get(f"/v1/claims/{early['id']}/timeline", params={"as_of": "2025-01-12"}).json()
    assert [(s["claim"]["id"], s["current"]) for s in then["statements"]] == [(early["id"], True)]
    assert_error(
        client.get(f"/v1/claims/{late['id']}/timeline", params={"as_of": "2025-01-12"}),
        422,
        "not_yet_stated",
        "as_of",
    )
    assert_error(client.get("/v1/claims/99999/timeline"), 404, "claim_not_found")


def test_statements_of_one_occasion_and_undated_ones_supersede_nothing(
    client: TestClient,
) -> None:
    briefing = "https://example.org/briefings/2025-02-01"
    first = post_claim(
        client,
        "About 40 fishing boats were damaged in the harbour at Port Aster.",
        source="Port Aster Harbour Authority",
        stated_at="2025-02-01T10:00:00Z",
        url=briefing,
    )
    second = post_claim(
        client,
        "About 40 fishing boats were damaged in the harbour at Port Aster, most beyond repair.",
        source="Port Aster Harbour Authority",
        stated_at="2025-02-01T10:20:00Z",
        url=briefing,
    )
    undated = post_claim(
        client,
        "About 60 fishing boats were damaged in the harbour at Port Aster.",
        source="Port Aster Harbour Authority",
    )
    statements = client.get(f"/v1/claims/{first['id']}/timeline").json()["statements"]
    assert [s["claim"]["id"] for s in statements] == [first["id"], second["id"], undated["id"]]
    assert all(s["current"] and s["superseded_by"] is None for s in statements)
    assert statements[-1]["stated_at"] is None


def test_the_demo_sources_change_their_figures(demo_client: TestClient) -> None:
    """The NIS said 1,500, then 3,000; the US said "no indication", then "roughly 3,000"."""
    answer = demo_client.post(
        "/v1/verify", json={"text": "North Korean soldiers are in Russia"}
    ).json()
    timelines = {t["source"]["name"]: t["statements"] for t in answer["timelines"]}
    us = timelines["US National Security Council"]
    # "No indication so far" is absence of evidence: it discusses, it does not deny.
    assert us[0]["stated_at"].startswith("2024-10-16") and us[0]["stance"] == "discusses"
    assert us[0]["superseded_by"] is not None and not us[0]["current"]
    assert "US National Security Council" not in {
        s["name"] for s in answer["summary"]["contradicting_sources"]
    }
    nis = timelines["South Korea National Intelligence Service"]
    earliest = next(s for s in nis if s["stated_at"].startswith("2024-10-18T06:00"))
    assert "1,500" in earliest["claim"]["text"] and earliest["superseded_by"] is not None
    newest = next(s for s in nis if s["claim"]["id"] == earliest["superseded_by"])
    assert "further 1,500" in newest["claim"]["text"] and newest["current"]

    early = demo_client.post(
        "/v1/verify",
        json={"text": "North Korean soldiers are in Russia", "as_of": "2024-10-17T00:00:00Z"},
    ).json()
    # Then only the US had spoken, saying there was no indication yet: not a denial.
    assert early["verdict"] == "unverified"
    assert early["summary"]["contradicting_sources"] == []
