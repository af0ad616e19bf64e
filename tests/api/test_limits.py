"""Limits on input: body size (declared and streamed), text length, page size, strict types,
and GraphQL's depth, aliases, tokens, introspection, GraphiQL, batches and masked errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from crosscheck.migrations import upgrade
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from crosscheck.sources import service as source_service
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder
from tests.conftest import wait_until_ready

MAX_BYTES = 20_000
JSON = {"content-type": "application/json"}


def _client(folder: Path, encoder: SentenceTransformerEncoder, **limits: Any) -> TestClient:
    url = f"sqlite:///{folder / 'crosscheck.db'}"
    upgrade(url)
    settings = Settings(database_url=url, index_dir=folder / "index", **limits)
    return TestClient(create_app(Runtime(settings, encoder=encoder)))


@pytest.fixture(scope="module")
def client(
    tmp_path_factory: pytest.TempPathFactory, encoder: SentenceTransformerEncoder
) -> Iterator[TestClient]:
    """Tight limits; batches of two allowed; introspection and GraphiQL left on."""
    limits = {
        "max_request_bytes": MAX_BYTES,
        "max_page_size": 20,
        "graphql_max_depth": 4,
        "graphql_max_aliases": 2,
        "graphql_max_tokens": 200,
        "graphql_max_batch": 2,
    }
    with _client(tmp_path_factory.mktemp("limits"), encoder, **limits) as test_client:
        wait_until_ready(test_client)
        yield test_client


@pytest.fixture(scope="module")
def locked_client(
    tmp_path_factory: pytest.TempPathFactory, encoder: SentenceTransformerEncoder
) -> Iterator[TestClient]:
    """As production should run: no introspection, no GraphiQL, no batches (the default)."""
    folder = tmp_path_factory.mktemp("locked")
    with _client(folder, encoder, graphql_introspection=False, graphql_ide=False) as test_client:
        wait_until_ready(test_client)
        yield test_client


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    return error


def gql(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code in (200, 400), response.text
    body: dict[str, Any] = response.json()
    return body


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]


# -- request bodies -------------------------------------------------------------------------


def test_a_body_declared_over_the_limit_is_refused_before_it_is_read(client: TestClient) -> None:
    body = b'{"text": "' + b"x" * MAX_BYTES + b'"}'
    error = error_of(client.post("/v1/verify", content=body, headers=JSON), 413)
    assert error["code"] == "payload_too_large" and error["field"] == "body"
    assert str(MAX_BYTES) in error["message"]


@pytest.mark.parametrize("path", ["/v1/verify", "/v1/sources", "/graphql"])
def test_a_chunked_body_over_the_limit_is_refused(client: TestClient, path: str) -> None:
    chunks = [b'{"text": "', *([b"y" * 4096] * 5), b'"}']  # no Content-Length: chunked
    error = error_of(client.post(path, content=iter(chunks), headers=JSON), 413)
    assert error["code"] == "payload_too_large" and error["field"] == "body"


def test_a_chunked_body_within_the_limit_is_read(client: TestClient) -> None:
    chunks = [b'{"name": "Ministry ', b'of Ports"}']
    response = client.post("/v1/sources", content=iter(chunks), headers=JSON)
    assert response.status_code == 201, response.text


def test_bulk_routes_keep_their_own_larger_limit(client: TestClient) -> None:
    rows = b"".join(
        b'{"text": "The port handled %d containers.", "source": "Port Authority"}\n' % n
        for n in range(400)
    )
    assert len(rows) > MAX_BYTES
    response = client.post(
        "/v1/claims/bulk", content=iter([rows]), headers={"content-type": "application/x-ndjson"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["totals"]["created"] == 400


# -- fields -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/sources", {"name": "n" * 201}, "name"),
        ("/v1/sources", {"name": "Ministry", "aliases": ["a" * 201]}, "aliases.0"),
        ("/v1/claims", {"text": "t" * 5001, "source": "Ministry"}, "text"),
        (
            "/v1/claims",
            {"text": "Said.", "source": "Ministry", "external_id": "e" * 201},
            "external_id",
        ),
        ("/v1/stance", {"claim": "c" * 5001, "evidence": "Some evidence."}, "claim"),
        ("/v1/verify", {"text": "v" * 5001}, "text"),
    ],
)
def test_text_over_its_length_is_refused_naming_the_field(
    client: TestClient, path: str, body: dict[str, Any], field: str
) -> None:
    error = error_of(client.post(path, json=body), 422)
    assert error["field"] == field and "at most" in error["message"]


def test_a_page_over_the_maximum_is_refused_naming_the_field(client: TestClient) -> None:
    for path in ("/v1/claims", "/v1/sources", "/v1/documents"):
        error = error_of(client.get(path, params={"limit": 21}), 422)
        assert error == {
            "code": "page_size_exceeded",
            "message": "must be between 1 and 20",
            "field": "limit",
        }
    assert client.get("/v1/claims", params={"limit": 20}).status_code == 200
    body = gql(client, "{ claims(first: 21) { totalCount } }")
    assert (
        codes(body) == ["PAGE_SIZE_EXCEEDED"]
        and body["errors"][0]["extensions"]["field"] == "first"
    )


def test_graphql_text_arguments_have_the_lengths_rest_has(client: TestClient) -> None:
    query = "query($q: String, $after: String) { sources(q: $q, after: $after) { totalCount } }"
    long_q = gql(client, query, q="q" * 201)
    assert codes(long_q) == ["BAD_USER_INPUT"] and long_q["errors"][0]["extensions"]["field"] == "q"
    long_cursor = gql(client, query, after="a" * 201)
    assert codes(long_cursor) == ["INVALID_INPUT"]
    assert long_cursor["errors"][0]["extensions"]["field"] == "after"


def test_the_page_maximum_is_in_the_openapi_document(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/v1/claims"]["get"]
    limit = next(p for p in operation["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 20


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/claims", {"text": "Said so.", "source_id": False}, "source_id"),
        ("/v1/claims", {"text": "Said so.", "source_id": True}, "source_id"),
        ("/v1/claims", {"text": "Said so.", "source_id": "1"}, "source_id"),
        ("/v1/claims", {"text": "Said so.", "source_id": 1.0}, "source_id"),
        ("/v1/claims", {"text": "Said so.", "source": "Ministry", "stated_at": 0}, "stated_at"),
        ("/v1/verify", {"text": "Ports closed.", "top_k": True}, "top_k"),
        ("/v1/verify", {"text": "Ports closed.", "as_of": 1700000000}, "as_of"),
        (
            "/v1/documents",
            {"text": "Text.", "publisher": "Wire", "published_at": False},
            "published_at",
        ),
    ],
)
def test_wrong_types_are_refused_not_coerced(
    client: TestClient, path: str, body: dict[str, Any], field: str
) -> None:
    client.post("/v1/sources", json={"name": "Ministry"})  # source 1 exists: only the type fails
    error = error_of(client.post(path, json=body), 422)
    assert error["code"] == "validation_error" and error["field"] == field


def test_times_in_the_query_string_are_not_read_as_numbers(client: TestClient) -> None:
    error = error_of(client.get("/v1/claims", params={"stated_to": "0.5"}), 422)
    assert error["field"] == "stated_to"
    fine = client.get("/v1/claims", params={"stated_to": "2024-10-20T00:00:00Z"})
    assert fine.status_code == 200, fine.text


# -- GraphQL ----------------------------------------------------------------------------------


def test_a_query_deeper_than_the_limit_is_refused(client: TestClient) -> None:
    shallow = gql(client, "{ claims { edges { node { id } } } }")
    assert "errors" not in shallow, shallow
    deep = gql(client, "{ documents { edges { node { claims { edges { node { quote } } } } } } }")
    assert codes(deep) == ["QUERY_TOO_DEEP"] and deep.get("data") is None
    assert "maximum operation depth of 4" in deep["errors"][0]["message"]


def test_too_many_aliases_are_refused(client: TestClient) -> None:
    two = gql(client, "{ a: claims { totalCount } b: claims { totalCount } }")
    assert "errors" not in two, two
    three = gql(
        client, "{ a: claims { totalCount } b: claims { totalCount } c: claims { totalCount } }"
    )
    assert codes(three) == ["TOO_MANY_ALIASES"]
    assert "3 aliases found. Allowed: 2" in three["errors"][0]["message"]


def test_too_many_tokens_are_refused_while_parsing(client: TestClient) -> None:
    body = gql(client, "{ " + " ".join(["__typename"] * 250) + " }")
    assert codes(body) == ["TOO_MANY_TOKENS"]
    assert "more than 200 tokens" in body["errors"][0]["message"]


def test_introspection_answers_unless_turned_off(
    client: TestClient, locked_client: TestClient
) -> None:
    query = "{ __schema { queryType { name } } }"
    assert gql(client, query)["data"] == {"__schema": {"queryType": {"name": "Query"}}}
    refused = gql(locked_client, query)
    assert set(codes(refused)) == {"INTROSPECTION_DISABLED"}  # one per introspection field
    assert "introspection has been disabled" in refused["errors"][0]["message"]
    assert "errors" not in gql(locked_client, "{ claims { totalCount } }")


def test_graphiql_is_served_unless_turned_off(
    client: TestClient, locked_client: TestClient
) -> None:
    page = client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    off = locked_client.get("/graphql", headers={"accept": "text/html"})
    assert off.status_code == 404
    assert codes(off.json()) == ["NOT_FOUND"]


def test_batches_are_off_by_default(locked_client: TestClient) -> None:
    response = locked_client.post("/graphql", json=[{"query": "{ __typename }"}])
    assert response.status_code == 400
    assert codes(response.json()) == ["BATCHING_DISABLED"]


def test_batches_are_bounded_when_allowed(client: TestClient) -> None:
    operation = {"query": "{ claims { totalCount } }"}
    two = client.post("/graphql", json=[operation, operation])
    assert two.status_code == 200 and len(two.json()) == 2
    three = client.post("/graphql", json=[operation] * 3)
    assert three.status_code == 400 and codes(three.json()) == ["TOO_MANY_OPERATIONS"]
    not_objects = client.post("/graphql", json=[operation, 7])
    assert not_objects.status_code == 400 and codes(not_objects.json()) == ["BAD_REQUEST"]


@pytest.mark.parametrize("body", [b'"a string"', b"7", b"null", b"{not json"])
def test_a_body_that_is_no_operation_is_a_bad_request(client: TestClient, body: bytes) -> None:
    response = client.post("/graphql", content=body, headers=JSON)
    assert response.status_code == 400 and codes(response.json()) == ["BAD_REQUEST"]


def test_an_unexpected_failure_is_masked(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**_kwargs: Any) -> None:
        raise RuntimeError("connection to db-7.internal:5432 refused; secret=hunter2")

    monkeypatch.setattr(source_service, "list_page", broken)
    response = client.post("/graphql", json={"query": "{ sources { totalCount } }"})
    assert response.status_code == 200
    body = response.json()
    assert codes(body) == ["INTERNAL_SERVER_ERROR"]
    assert body["errors"][0]["message"] == "internal error"
    for leak in ("hunter2", "db-7.internal", "Traceback", "RuntimeError"):
        assert leak not in response.text
