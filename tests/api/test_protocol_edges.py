"""HTTP and GraphQL protocol edges: 405 with its Allow list, HEAD on GET routes, subscriptions
sent over plain HTTP, error codes over a WebSocket, and a malformed key in connection_init."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_graphql_subscriptions import receive

WS = {"subprotocols": ["graphql-transport-ws"]}


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/v1/claims", "GET, HEAD, POST"),
        ("DELETE", "/v1/sources", "GET, HEAD, POST"),
        ("PUT", "/v1/verify", "POST"),
        ("PATCH", "/healthz", "GET, HEAD"),
    ],
)
def test_a_405_lists_the_methods_the_resource_supports(
    client: TestClient, method: str, path: str, allowed: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405, response.text
    assert response.headers["allow"] == allowed
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize("path", ["/healthz", "/v1/claims", "/v1/sources", "/openapi.json", "/"])
def test_head_answers_as_get_without_a_body(client: TestClient, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert int(head.headers["content-length"]) == len(got.content)


@pytest.mark.parametrize(
    "body",
    [
        {"query": "subscription { claimAdded { id } }"},
        {
            "query": "query Q { __typename } subscription S { claimAdded { id } }",
            "operationName": "S",
        },
    ],
)
def test_a_subscription_over_plain_http_is_refused_with_a_code(
    client: TestClient, body: dict[str, Any]
) -> None:
    response = client.post("/graphql", json=body)
    assert response.status_code == 400, response.text
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "SUBSCRIPTION_OVER_HTTP"
    assert "WebSocket" in error["message"]
    # Queries still run over HTTP, from the same document too.
    query = client.post("/graphql", json={**body, "operationName": "Q"})
    if "operationName" not in body:
        query = client.post("/graphql", json={"query": "{ __typename }"})
    assert query.json() == {"data": {"__typename": "Query"}}


def test_graphql_errors_over_a_websocket_carry_a_code(client: TestClient) -> None:
    with client.websocket_connect("/graphql", **WS) as ws:
        ws.send_json({"type": "connection_init"})
        assert receive(ws)["type"] == "connection_ack"
        invalid = "subscription { claimAdded { noSuchField } }"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": invalid}})
        message = receive(ws)
        assert message["type"] == "error", message
        assert [e["extensions"]["code"] for e in message["payload"]] == [
            "GRAPHQL_VALIDATION_FAILED"
        ]


@pytest.mark.parametrize(
    "params", [{"X-API-Key": 5}, {"Authorization": ["Bearer", "x"]}, {"X-API-Key": None}]
)
def test_a_malformed_key_in_connection_init_is_refused_not_crashed(
    client: TestClient, params: dict[str, Any]
) -> None:
    with client.websocket_connect("/graphql", **WS) as ws:
        ws.send_json({"type": "connection_init", "payload": params})
        message = ws.receive()
    if params == {"X-API-Key": None}:  # no key sent: open mode lets it in
        assert "connection_ack" in message.get("text", ""), message
    else:
        assert message == {"type": "websocket.close", "code": 4403, "reason": "Forbidden"}
    assert client.get("/healthz").status_code == 200
