"""API keys over real HTTP: 401 without a valid key and 403 without the scope, on every REST route
and every GraphQL operation (batched, and over a WebSocket); revocation; rate limits (429)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount, WebSocketRoute
from starlette.websockets import WebSocketDisconnect

from api.app import create_app
from crosscheck.access import service as key_service
from crosscheck.access.models import Scope
from crosscheck.access.schemas import ApiKeyCreate
from crosscheck.migrations import upgrade
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder
from tests.conftest import wait_until_ready

READ, WRITE = Scope.READ, Scope.WRITE
# What each REST route needs. A new route must be added here, or the completeness test fails.
ROUTE_SCOPES: dict[tuple[str, str], Scope] = {
    ("GET", "/v1/sources"): READ,
    ("GET", "/v1/sources/{source_id}"): READ,
    ("POST", "/v1/sources"): WRITE,
    ("GET", "/v1/claims"): READ,
    ("GET", "/v1/claims/{claim_id}"): READ,
    ("GET", "/v1/claims/{claim_id}/evidence"): READ,
    ("GET", "/v1/claims/{claim_id}/timeline"): READ,
    ("GET", "/v1/claims/{claim_id}/claimreview"): READ,
    ("POST", "/v1/claims"): WRITE,
    ("DELETE", "/v1/claims/{claim_id}"): WRITE,
    ("POST", "/v1/claims/bulk"): WRITE,
    ("POST", "/v1/search"): READ,
    ("POST", "/v1/verify"): READ,
    ("POST", "/v1/stance"): READ,
    ("GET", "/v1/documents"): READ,
    ("GET", "/v1/documents/{document_id}"): READ,
    ("POST", "/v1/documents"): WRITE,
    ("POST", "/v1/documents/upload"): WRITE,
    ("POST", "/v1/documents/bulk"): WRITE,
}
# Open by design (see api/access.py): probes, metrics, the API's description and the page.
OPEN_ROUTES = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/assets/{name}"),
    ("GET", "/redoc"),
    ("GET", "/favicon.ico"),
    ("GET", "/"),
    ("MOUNT", "/app"),
}
# Checked per operation (tests below), not per route.
GRAPHQL_ROUTES = {("GET", "/graphql"), ("POST", "/graphql"), ("WEBSOCKET", "/graphql")}

QUERY = "query Sources { sources(first: 5) { totalCount } }"
MUTATION = 'mutation Add { createSource(input: {name: "Harbour Authority"}) { id } }'


@dataclass
class KeyedApp:
    client: TestClient
    keys: dict[str, str]  # scope name (and "revoked") -> raw key
    runtime: Runtime


def _settings(folder: Path, **overrides: Any) -> Settings:
    url = f"sqlite:///{folder / 'crosscheck.db'}"
    upgrade(url)
    return Settings(database_url=url, index_dir=folder / "index", **overrides)


def _create_key(runtime: Runtime, scope: Scope, name: str = "test") -> str:
    with runtime.session_factory() as session:
        return key_service.create(session=session, key_in=ApiKeyCreate(name=name, scope=scope)).key


@pytest.fixture(scope="module")
def keyed(
    tmp_path_factory: pytest.TempPathFactory, encoder: SentenceTransformerEncoder
) -> Iterator[KeyedApp]:
    """One app for the module, with a key of each scope and a revoked one; no lookup cache and
    no rate limits, so that only the scope decides; batches of up to five operations."""
    settings = _settings(
        tmp_path_factory.mktemp("access"),
        api_key_cache_seconds=0,
        graphql_max_batch=5,
        rate_limit_read=None,
        rate_limit_write=None,
    )
    with TestClient(create_app(Runtime(settings, encoder=encoder))) as client:
        wait_until_ready(client)
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        keys = {scope.value: _create_key(runtime, scope, scope.value) for scope in Scope}
        keys["revoked"] = _create_key(runtime, Scope.ADMIN, "revoked")
        with runtime.session_factory() as session:
            revoked_id = key_service.list_keys(session=session)[-1].id
            key_service.revoke(session=session, key_id=revoked_id)
        yield KeyedApp(client=client, keys=keys, runtime=runtime)


def _app_routes(client: TestClient) -> set[tuple[str, str]]:
    """(method, path) of every route, paths as clients write them (no ``:int`` converters)."""
    found = set()
    for context in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        route = context.original_route
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", context.path)
        if isinstance(route, Mount):
            found.add(("MOUNT", path))
        elif isinstance(route, WebSocketRoute) or getattr(route, "methods", None) is None:
            found.add(("WEBSOCKET", path))
        else:
            found |= {(method, path) for method in route.methods if method != "HEAD"}
    return found


def _call(
    client: TestClient, method: str, path: str, key: str | None = None, *, bearer: bool = False
) -> Any:
    headers = {}
    if key is not None:
        headers = {"Authorization": f"Bearer {key}"} if bearer else {"X-API-Key": key}
    url = re.sub(r"\{[^}]+\}", "1", path)
    body = {"json": {}} if method in {"POST", "PUT", "PATCH"} else {}
    return client.request(method, url, headers=headers, **body)


def test_every_route_is_either_protected_open_or_graphql(keyed: KeyedApp) -> None:
    classified = set(ROUTE_SCOPES) | OPEN_ROUTES | GRAPHQL_ROUTES
    assert _app_routes(keyed.client) == classified


@pytest.mark.parametrize(("method", "path"), sorted(ROUTE_SCOPES))
def test_route_needs_a_valid_key_with_the_scope(keyed: KeyedApp, method: str, path: str) -> None:
    client = keyed.client
    for key in (None, "cc_not-a-key", keyed.keys["revoked"]):
        response = _call(client, method, path, key)
        assert response.status_code == 401, (key, response.text)
        assert response.json()["error"]["code"] == "unauthenticated"
        assert "X-API-Key" in response.headers["www-authenticate"]
    needed = ROUTE_SCOPES[(method, path)]
    for scope in Scope:
        response = _call(client, method, path, keyed.keys[scope.value])
        if scope.covers(needed):
            assert response.status_code not in {401, 403}, (scope, response.text)
        else:
            assert response.status_code == 403, (scope, response.text)
            assert response.json()["error"]["code"] == "forbidden"


def test_the_key_may_come_as_a_bearer_token(keyed: KeyedApp) -> None:
    client = keyed.client
    assert _call(client, "GET", "/v1/sources", keyed.keys["read"], bearer=True).status_code == 200
    denied = _call(client, "POST", "/v1/sources", keyed.keys["read"], bearer=True)
    assert denied.status_code == 403


@pytest.mark.parametrize("authorization", ["Basic abc", "Bearer", "Bearer   ", "token"])
def test_a_malformed_authorization_header_is_refused_beside_a_valid_key(
    keyed: KeyedApp, authorization: str
) -> None:
    response = keyed.client.get(
        "/v1/sources",
        headers={"X-API-Key": keyed.keys["admin"], "Authorization": authorization},
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert "Authorization" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/healthz",
        "/readyz",
        "/metrics",
        "/openapi.json",
        "/docs",
        "/docs/assets/swagger-ui-bundle.js",
        "/redoc",
        "/favicon.ico",
        "/",
        "/app/",
    ],
)
def test_open_routes_need_no_key(keyed: KeyedApp, path: str) -> None:
    assert keyed.client.get(path).status_code == 200


def test_openapi_describes_how_to_send_a_key(keyed: KeyedApp) -> None:
    document = keyed.client.get("/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("name") == "X-API-Key" for s in schemes.values())
    assert document["paths"]["/v1/claims"]["post"].get("security")


def _graphql(client: TestClient, body: Any, key: str | None = None) -> Any:
    headers = {"X-API-Key": key} if key else {}
    return client.post("/graphql", json=body, headers=headers)


def test_graphql_queries_need_read_and_mutations_write(keyed: KeyedApp) -> None:
    client, keys = keyed.client, keyed.keys
    anonymous = _graphql(client, {"query": QUERY})
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert anonymous.json()["data"] is None
    revoked = _graphql(client, {"query": QUERY}, keys["revoked"])
    assert revoked.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    read = _graphql(client, {"query": QUERY}, keys["read"])
    assert read.status_code == 200 and read.json().get("errors") is None

    forbidden = _graphql(client, {"query": MUTATION}, keys["read"])
    assert forbidden.status_code == 403
    assert forbidden.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # The refused mutation did not run.
    assert _graphql(client, {"query": QUERY}, keys["read"]).json()["data"]["sources"] == {
        "totalCount": 0
    }

    written = _graphql(client, {"query": MUTATION}, keys["write"])
    assert written.status_code == 200 and written.json().get("errors") is None


def test_each_operation_of_a_batch_is_checked(keyed: KeyedApp) -> None:
    batch = [{"query": QUERY}, {"query": MUTATION.replace("Harbour", "Port")}, {"query": QUERY}]
    response = _graphql(keyed.client, batch, keyed.keys["read"])
    assert response.status_code == 200
    first, second, third = response.json()
    assert first.get("errors") is None and third.get("errors") is None
    assert second["data"] is None
    assert second["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anonymous = _graphql(keyed.client, batch).json()
    assert [r["errors"][0]["extensions"]["code"] for r in anonymous] == ["UNAUTHENTICATED"] * 3


def _connect(client: TestClient, payload: dict[str, str] | None, headers: dict[str, str]) -> str:
    """What the server answers to connection_init: "ack", or the close code."""
    try:
        with client.websocket_connect(
            "/graphql", subprotocols=["graphql-transport-ws"], headers=headers
        ) as ws:
            ws.send_json({"type": "connection_init", "payload": payload or {}})
            message = ws.receive_json()
            return str(message["type"]) if message["type"] == "connection_ack" else str(message)
    except WebSocketDisconnect as closed:
        return str(closed.code)


def test_subscriptions_need_a_read_key_on_the_websocket(keyed: KeyedApp) -> None:
    client, keys = keyed.client, keyed.keys
    assert _connect(client, None, {}) == "4403"
    assert _connect(client, {"X-API-Key": keys["revoked"]}, {}) == "4403"
    assert _connect(client, {"X-API-Key": keys["read"]}, {}) == "connection_ack"
    assert _connect(client, {"Authorization": f"Bearer {keys['read']}"}, {}) == "connection_ack"
    assert _connect(client, None, {"X-API-Key": keys["read"]}) == "connection_ack"


def test_a_mutation_over_the_websocket_still_needs_write(keyed: KeyedApp) -> None:
    with keyed.client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init", "payload": {"X-API-Key": keyed.keys["read"]}})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": MUTATION}})
        message = ws.receive_json()
        assert message["type"] in {"next", "error"}, message
        payload = message["payload"]
        errors = payload if isinstance(payload, list) else payload["errors"]
        assert errors[0]["extensions"]["code"] == "FORBIDDEN"


def test_a_key_revoked_by_another_process_stops_working(keyed: KeyedApp) -> None:
    key = _create_key(keyed.runtime, Scope.READ, "short-lived")
    assert _call(keyed.client, "GET", "/v1/claims", key).status_code == 200
    with keyed.runtime.session_factory() as session:  # as `crosscheck keys revoke` would
        key_id = next(
            k.id for k in key_service.list_keys(session=session) if k.name == "short-lived"
        )
        key_service.revoke(session=session, key_id=key_id)
    assert _call(keyed.client, "GET", "/v1/claims", key).status_code == 401


def test_use_of_a_key_is_recorded(keyed: KeyedApp) -> None:
    key = _create_key(keyed.runtime, Scope.READ, "recorded")
    _call(keyed.client, "GET", "/v1/sources", key)
    with keyed.runtime.session_factory() as session:
        (row,) = [k for k in key_service.list_keys(session=session) if k.name == "recorded"]
    assert row.last_used_at is not None


def test_open_mode_ends_when_the_first_key_is_created(
    tmp_path: Path, encoder: SentenceTransformerEncoder
) -> None:
    settings = _settings(tmp_path, api_key_cache_seconds=0)
    with TestClient(create_app(Runtime(settings, encoder=encoder))) as client:
        assert client.get("/v1/sources").status_code == 200
        assert _graphql(client, {"query": MUTATION}).json().get("errors") is None
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        key = _create_key(runtime, Scope.READ)
        assert client.get("/v1/sources").status_code == 401
        assert client.get("/v1/sources", headers={"X-API-Key": key}).status_code == 200


def test_rate_limits_answer_429_with_retry_after(
    tmp_path: Path, encoder: SentenceTransformerEncoder
) -> None:
    settings = _settings(
        tmp_path, api_key_cache_seconds=0, rate_limit_read="3/minute", rate_limit_write="1/minute"
    )
    with TestClient(create_app(Runtime(settings, encoder=encoder))) as client:
        # Open mode: anonymous callers are counted by address.
        assert [client.get("/v1/sources").status_code for _ in range(4)] == [200, 200, 200, 429]
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        first, second = _create_key(runtime, Scope.WRITE), _create_key(runtime, Scope.WRITE)
        statuses = [_call(client, "GET", "/v1/sources", first).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = _call(client, "GET", "/v1/sources", first)
        assert limited.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        # Each key has its own counts, and writes their own limit.
        assert _call(client, "GET", "/v1/sources", second).status_code == 200
        created = client.post("/v1/sources", json={"name": "Port"}, headers={"X-API-Key": first})
        assert created.status_code == 201
        again = client.post("/v1/sources", json={"name": "Dock"}, headers={"X-API-Key": first})
        assert again.status_code == 429 and int(again.headers["retry-after"]) >= 1
        gql = _graphql(client, {"query": QUERY}, first)
        assert gql.status_code == 429 and int(gql.headers["retry-after"]) >= 1
        assert gql.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


def test_a_server_listening_beyond_loopback_is_never_open(
    tmp_path: Path, encoder: SentenceTransformerEncoder
) -> None:
    """Revoking the last key of a server on 0.0.0.0 must not open it to the network."""
    settings = _settings(tmp_path, api_key_cache_seconds=0, host="0.0.0.0")
    with TestClient(create_app(Runtime(settings, encoder=encoder))) as client:
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        key = _create_key(runtime, Scope.READ)
        assert client.get("/v1/sources", headers={"X-API-Key": key}).status_code == 200
        with runtime.session_factory() as session:
            key_service.revoke(session=session, key_id=key_service.list_keys(session=session)[0].id)
        assert client.get("/v1/sources").status_code == 401
        assert client.get("/v1/sources", headers={"X-API-Key": key}).status_code == 401
        assert _graphql(client, {"query": QUERY}).status_code == 401


def _receive_within(ws: Any, seconds: float) -> dict[str, Any]:
    from tests.api.test_graphql_subscriptions import receive

    return receive(ws, seconds)


def _closed_within(ws: Any, seconds: float) -> int:
    """The close code the server sends within ``seconds`` (messages before it are skipped)."""

    async def within() -> dict[str, Any]:
        with anyio.fail_after(seconds):
            while True:
                message: dict[str, Any] = await ws._send_rx.receive()
                if message["type"] == "websocket.close":
                    return message

    return int(ws.portal.call(within)["code"])


def _revoke(runtime: Runtime, name: str) -> None:
    with runtime.session_factory() as session:  # as `crosscheck keys revoke` would
        key_id = next(k.id for k in key_service.list_keys(session=session) if k.name == name)
        key_service.revoke(session=session, key_id=key_id)


SUBSCRIBE = {"query": "subscription { claimAdded { id } }"}


def test_a_socket_whose_key_is_revoked_is_refused_and_closed(keyed: KeyedApp) -> None:
    key = _create_key(keyed.runtime, Scope.ADMIN, "socket")
    with keyed.client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init", "payload": {"X-API-Key": key}})
        assert _receive_within(ws, 10)["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": SUBSCRIBE})
        _revoke(keyed.runtime, "socket")
        # The next operation is refused at once (no lookup cache in this app)...
        ws.send_json({"id": "2", "type": "subscribe", "payload": {"query": MUTATION}})
        refused = _receive_within(ws, 10)
        errors = refused["payload"] if refused["type"] == "error" else refused["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED", refused
        # ...and the socket, with its running subscription, is closed within the key cache's
        # seconds (0 here) and one re-check.
        assert _closed_within(ws, 5) == 4403


def test_a_socket_opened_in_open_mode_is_closed_when_keys_appear(
    tmp_path: Path, encoder: SentenceTransformerEncoder
) -> None:
    settings = _settings(tmp_path, api_key_cache_seconds=0)
    with TestClient(create_app(Runtime(settings, encoder=encoder))) as client:
        wait_until_ready(client)
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init"})
            assert _receive_within(ws, 10)["type"] == "connection_ack"
            ws.send_json({"id": "1", "type": "subscribe", "payload": SUBSCRIBE})
            _create_key(runtime, Scope.READ)
            ws.send_json({"id": "2", "type": "subscribe", "payload": {"query": MUTATION}})
            refused = _receive_within(ws, 10)
            payload = refused["payload"]
            errors = payload if refused["type"] == "error" else payload["errors"]
            assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED", refused
            assert _closed_within(ws, 5) == 4403
