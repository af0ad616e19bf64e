"""``/metrics``: scraped through the real app and read with Prometheus' own parser."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.api.test_graphql import gql, ok
from tests.factories import post_claim

Labels = dict[str, str]
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, metric: str, /, **labels: str) -> float:
    return samples.get((metric, frozenset(labels.items())), 0.0)


def grew(before: Samples, after: Samples) -> Callable[..., float]:
    def delta(metric: str, /, **labels: str) -> float:
        return value(after, metric, **labels) - value(before, metric, **labels)

    return delta


def test_requests_are_counted_and_timed_by_route_template(client: TestClient) -> None:
    before = scrape(client)
    assert client.get("/v1/claims/123").status_code == 404
    assert client.get("/v1/claims/456").status_code == 404
    post_claim(client, "The harbour is closed.")
    after = scrape(client)
    delta = grew(before, after)
    route = "/v1/claims/{claim_id}"
    assert delta("crosscheck_http_requests_total", method="GET", route=route, status="404") == 2
    assert (
        delta("crosscheck_http_requests_total", method="POST", route="/v1/claims", status="201")
        == 1
    )
    assert delta("crosscheck_http_request_duration_seconds_count", method="GET", route=route) == 2
    assert not [labels for _, labels in after if ("route", "/v1/claims/123") in labels]
    assert delta("crosscheck_encoder_seconds_count") >= 1
    assert delta("crosscheck_encoder_texts_total") >= 1
    assert delta("crosscheck_index_seconds_count", operation="add") == 1


def test_graphql_operations_by_type_name_and_outcome(client: TestClient) -> None:
    before = scrape(client)
    ok(client, "query ListSources { sources { totalCount } }")
    ok(client, "query ListSources { sources { totalCount } }")
    gql(client, "query Broken { claim(id: 999) { id } }")
    ok(client, 'mutation AddSource { createSource(input: {name: "Wire"}) { id } }')
    ok(client, "{ claims { totalCount } }")
    delta = grew(before, scrape(client))
    operations = "crosscheck_graphql_operations_total"
    assert delta(operations, type="query", name="ListSources", outcome="ok") == 2
    assert delta(operations, type="query", name="Broken", outcome="error") == 1
    assert delta(operations, type="mutation", name="AddSource", outcome="ok") == 1
    assert delta(operations, type="query", name="anonymous", outcome="ok") == 1
    seconds = "crosscheck_graphql_operation_duration_seconds_count"
    assert delta(seconds, type="query", name="ListSources") == 2
    assert (
        delta("crosscheck_http_requests_total", method="POST", route="/graphql", status="200") == 5
    )


def test_store_gauges_index_timings_and_bulk_rows(client: TestClient) -> None:
    before = scrape(client)
    assert value(before, "crosscheck_claims_stored") == 0
    assert value(before, "crosscheck_index_claims") == 0
    assert value(before, "crosscheck_subscribers") == 0
    response = client.post(
        "/v1/claims/bulk",
        content=(
            '{"text": "Ferries run late.", "source": "Port Authority"}\n'
            '{"text": "Ferries run late.", "source": "Port Authority"}\n'
            '{"text": "Cranes were inspected.", "source": "Port Authority"}\n'
            '{"text": "", "source": "Port Authority"}\n'
        ),
        headers={"content-type": "application/x-ndjson"},
    )
    assert response.json()["totals"] == {"rows": 4, "created": 2, "exists": 1, "rejected": 1}
    assert client.post("/v1/verify", json={"text": "Are ferries late?"}).status_code == 200
    after = scrape(client)
    delta = grew(before, after)
    assert value(after, "crosscheck_claims_stored") == 2
    assert value(after, "crosscheck_index_claims") == 2
    assert delta("crosscheck_load_rows_total", kind="claims", status="created") == 2
    assert delta("crosscheck_load_rows_total", kind="claims", status="exists") == 1
    assert delta("crosscheck_load_rows_total", kind="claims", status="error") == 1
    assert delta("crosscheck_load_jobs_total", kind="claims") == 1
    assert delta("crosscheck_index_seconds_count", operation="search") >= 1
