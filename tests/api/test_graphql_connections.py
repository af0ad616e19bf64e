"""Relay connections: edges, cursors, page info and the page-size cap, through the real app."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from crosscheck.pagination import encode_cursor
from tests.api.test_graphql import error_codes, gql, ok
from tests.factories import assert_error, post_claim

CLAIMS = """
query($first: Int, $after: String, $last: Int, $before: String, $q: String) {
  claims(first: $first, after: $after, last: $last, before: $before, q: $q) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id text } }
  }
}
"""


def claims(client: TestClient, **arguments: Any) -> dict[str, Any]:
    page: dict[str, Any] = ok(client, CLAIMS, **arguments)["claims"]
    return page


def ids(page: dict[str, Any]) -> list[int]:
    return [edge["node"]["id"] for edge in page["edges"]]


@pytest.fixture
def seven(client: TestClient) -> list[int]:
    return [post_claim(client, f"Statement {i} about the harbour.")["id"] for i in range(7)]


def test_forward_pages_walk_every_claim_once_with_page_info(
    client: TestClient, seven: list[int]
) -> None:
    first = claims(client, first=3)
    assert ids(first) == seven[:3] and first["totalCount"] == 7
    assert [e["cursor"] for e in first["edges"]] == [encode_cursor(i) for i in seven[:3]]
    assert first["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": encode_cursor(seven[0]),
        "endCursor": encode_cursor(seven[2]),
    }
    second = claims(client, first=3, after=first["pageInfo"]["endCursor"])
    assert ids(second) == seven[3:6]
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert second["pageInfo"]["hasNextPage"] is True
    last = claims(client, first=3, after=second["pageInfo"]["endCursor"])
    assert ids(last) == seven[6:]
    assert last["pageInfo"]["hasNextPage"] is False and last["pageInfo"]["hasPreviousPage"]
    beyond = claims(client, first=3, after=last["pageInfo"]["endCursor"])
    assert beyond["edges"] == [] and beyond["pageInfo"]["startCursor"] is None
    assert beyond["totalCount"] == 7


def test_backward_pages_with_last_and_before(client: TestClient, seven: list[int]) -> None:
    tail = claims(client, last=2)
    assert ids(tail) == seven[5:]
    assert tail["pageInfo"]["hasPreviousPage"] is True and tail["pageInfo"]["hasNextPage"] is False
    earlier = claims(client, last=4, before=tail["pageInfo"]["startCursor"])
    assert ids(earlier) == seven[1:5]
    assert earlier["pageInfo"]["hasPreviousPage"] is True
    assert earlier["pageInfo"]["hasNextPage"] is True
    head = claims(client, last=4, before=earlier["pageInfo"]["startCursor"])
    assert ids(head) == seven[:1] and head["pageInfo"]["hasPreviousPage"] is False
    between = claims(
        client, first=10, after=encode_cursor(seven[1]), before=encode_cursor(seven[4])
    )
    assert ids(between) == seven[2:4]
    assert between["pageInfo"]["hasNextPage"] is False


def test_filters_count_and_page_together(client: TestClient, seven: list[int]) -> None:
    post_claim(client, "Something else entirely.")
    page = claims(client, first=2, q="harbour")
    assert page["totalCount"] == 7 and ids(page) == seven[:2]
    rest = claims(client, first=10, after=page["pageInfo"]["endCursor"], q="harbour")
    assert ids(rest) == seven[2:]


def test_rest_and_graphql_cursors_are_the_same(client: TestClient, seven: list[int]) -> None:
    rest = client.get("/v1/claims", params={"limit": 2}).json()
    graph = claims(client, first=2)
    assert rest["next_cursor"] == graph["pageInfo"]["endCursor"]
    assert ids(claims(client, first=2, after=rest["next_cursor"])) == seven[2:4]


def test_page_size_is_capped_with_a_code(client: TestClient) -> None:
    cap = client.app.state.runtime.settings.max_page_size  # type: ignore[attr-defined]
    for argument in ("first", "last"):
        body = gql(client, CLAIMS, **{argument: cap + 1})
        assert error_codes(body) == ["PAGE_SIZE_EXCEEDED"]
        assert body["errors"][0]["extensions"]["field"] == argument
        assert str(cap) in body["errors"][0]["message"]
    assert error_codes(gql(client, CLAIMS, first=0)) == ["INVALID_INPUT"]
    both = gql(client, CLAIMS, first=1, last=1)
    assert error_codes(both) == ["INVALID_INPUT"]
    assert error_codes(gql(client, CLAIMS, before="nonsense")) == ["INVALID_INPUT"]
    assert_error(
        client.get("/v1/claims", params={"limit": cap + 1}), 422, "page_size_exceeded", "limit"
    )


def test_sources_and_a_sources_claims_are_connections(client: TestClient) -> None:
    mine = [
        post_claim(client, f"Port closed on day {i}.", source="Port Authority")["id"]
        for i in range(3)
    ]
    post_claim(client, "Port open.", source="Harbour Union")
    data = ok(
        client,
        """
        {
          sources(first: 1, q: "port") {
            totalCount
            edges { node {
              name
              claims(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } }
            } }
          }
        }
        """,
    )["sources"]
    assert data["totalCount"] == 1
    source = data["edges"][0]["node"]
    assert source["name"] == "Port Authority"
    assert source["claims"]["totalCount"] == 3
    assert [e["node"]["id"] for e in source["claims"]["edges"]] == mine[:2]
    assert source["claims"]["pageInfo"]["hasNextPage"] is True
