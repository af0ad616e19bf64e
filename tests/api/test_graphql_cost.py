"""GraphQL operations are costed before they run: the costliest are refused with
QUERY_TOO_COSTLY (nothing judged, nothing read), and cost, not operations, counts against the
rate limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from graphql import parse

from api.graphql.cost import operation_cost
from crosscheck.runtime import Runtime
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder
from tests.conftest import configured_client, judged_pairs, wait_until_ready

NESTED_EVIDENCE = (
    "{ claim(id: 1) { evidence(topK: 100) { claim { evidence(topK: 100) { claim { id } } } } } }"
)
VERIFY_ALIASES = (
    "{ "
    + " ".join(
        f'v{i}: verify(text: "North Korean soldiers are in Russia", topK: 100) {{ verdict }}'
        for i in range(30)
    )
    + " }"
)
PAGE_ALIASES = (
    "{ "
    + " ".join(
        f"s{i}: sources(first: 500) {{ edges {{ node {{ claims(first: 500) {{ edges {{ node {{ text }} }} }} }} }} }}"
        for i in range(30)
    )
    + " }"
)
README_VERIFY = (
    '{ verify(text: "North Korean soldiers are in Russia") { verdict '
    "corroborating { claim { text source { name } } reasons } "
    "contradicting { claim { text source { name } } reasons } } }"
)


@pytest.mark.parametrize("query", [NESTED_EVIDENCE, VERIFY_ALIASES, PAGE_ALIASES])
def test_the_costliest_operations_are_refused_before_anything_runs(
    demo_client: TestClient, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    runtime: Runtime = demo_client.app.state.runtime  # type: ignore[attr-defined]
    asked = judged_pairs(runtime, monkeypatch)
    response = demo_client.post("/graphql", json={"query": query})
    body = response.json()
    assert body["data"] is None, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["cost"] > error["extensions"]["maximumCost"] == 20_000
    assert asked == []


def test_everyday_operations_stay_well_under_the_maximum(demo_client: TestClient) -> None:
    answer = demo_client.post("/graphql", json={"query": README_VERIFY}).json()
    assert answer.get("errors") is None and answer["data"]["verify"]["verdict"]
    cost = operation_cost(
        parse(README_VERIFY), operation_name=None, variables=None, default_top_k=10
    )
    assert cost < 1_000


def test_page_sizes_and_candidates_come_from_variables_and_fragments() -> None:
    document = parse(
        "query Q($n: Int, $k: Int) { sources(first: $n) { edges { node { ...S } } } "
        'verify(text: "x", topK: $k) { verdict } } '
        "fragment S on Source { name claims(first: 10) { totalCount } }"
    )
    small = operation_cost(
        document, operation_name="Q", variables={"n": 2, "k": 1}, default_top_k=10
    )
    large = operation_cost(
        document, operation_name="Q", variables={"n": 200, "k": 50}, default_top_k=10
    )
    # sources: 1 + n * (edges 1 + node 1 + name 1 + claims (1 + 10 * totalCount 1));
    # verify: 100 + 10 * k + k * verdict 1.
    assert small == 1 + 2 * 14 + 100 + 10 + 1
    assert large == 1 + 200 * 14 + 100 + 500 + 50


@pytest.fixture
def limited_client(tmp_path: Path, encoder: SentenceTransformerEncoder) -> Iterator[TestClient]:
    with configured_client(tmp_path, encoder, rate_limit_read="31/minute") as client:
        wait_until_ready(client)
        yield client


@pytest.fixture
def strict_client(tmp_path: Path, encoder: SentenceTransformerEncoder) -> Iterator[TestClient]:
    with configured_client(
        tmp_path, encoder, rate_limit_read=None, graphql_max_cost=5_000
    ) as client:
        wait_until_ready(client)
        yield client


def test_cost_counts_against_the_rate_limit(
    limited_client: TestClient,
) -> None:
    big_page = "{ sources(first: 500) { edges { node { id name kind country } } } }"  # 3,001 units
    first = limited_client.post("/graphql", json={"query": big_page})
    assert first.json() == {"data": {"sources": {"edges": []}}}
    # That one operation counted as 31 calls: the read limit (31 a minute) is spent.
    limited = limited_client.post(
        "/graphql", json={"query": "{ sources(first: 1) { totalCount } }"}
    )
    assert limited.status_code == 429
    assert limited.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


def test_an_operation_over_a_configured_maximum_is_refused(strict_client: TestClient) -> None:
    response = strict_client.post(
        "/graphql",
        json={
            "query": "{ sources(first: 500) { edges { node { claims(first: 10) { totalCount } } } } }"
        },
    )
    error = response.json()["errors"][0]
    assert error["extensions"] == {
        "code": "QUERY_TOO_COSTLY",
        "cost": 1 + 500 * 13,
        "maximumCost": 5_000,
    }
