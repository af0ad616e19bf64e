"""An open-mode server (no keys yet) answers only to loopback host names and refuses writes and
WebSockets from other web sites: a page in the user's browser cannot use it (CORS-simple POSTs,
DNS rebinding, cross-site WebSockets). Once a key exists, keys decide."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
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

LOOPBACK = "http://127.0.0.1:8000"
TEXT = {"content-type": "text/plain"}


@pytest.fixture
def client(tmp_path: Path, encoder: SentenceTransformerEncoder) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'open.db'}"
    upgrade(url)
    settings = Settings(
        database_url=url,
        index_dir=tmp_path / "index",
        stance_graph=False,
        api_key_cache_seconds=0,
        open_mode_hosts=["localhost", "127.0.0.1", "::1"],  # the default, explicitly
    )
    with TestClient(
        create_app(Runtime(settings, encoder=encoder)), base_url=LOOPBACK
    ) as test_client:
        wait_until_ready(test_client)
        yield test_client


def _upload(client: TestClient, text: str = "The Eastvale dam burst.", **headers: str) -> int:
    response = client.post(
        "/v1/documents/upload",
        params={"publisher": "Aster Gazette"},
        content=text.encode(),
        headers={**TEXT, **headers},
    )
    return response.status_code


def test_only_loopback_host_names_are_answered(client: TestClient) -> None:
    assert client.get("/v1/sources").status_code == 200
    assert client.get("/v1/sources", headers={"host": "localhost:8000"}).status_code == 200
    assert client.get("/v1/sources", headers={"host": "[::1]:8000"}).status_code == 200
    rebound = client.get("/v1/sources", headers={"host": "attacker.example:8000"})
    assert rebound.status_code == 403
    assert rebound.json()["error"]["code"] == "host_not_allowed"


def test_writes_from_another_site_are_refused_and_store_nothing(client: TestClient) -> None:
    assert _upload(client, origin="https://attacker.example") == 403
    assert _upload(client, origin="null") == 403
    assert _upload(client, **{"sec-fetch-site": "cross-site"}) == 403
    assert client.get("/v1/documents").json()["total"] == 0
    assert _upload(client, origin=LOOPBACK) == 201  # the page itself, same origin
    assert _upload(client, "A bridge closed.") == 201  # curl and scripts send no Origin
    # Reading stays possible from anywhere on this machine (browsers keep the answer anyway).
    assert client.get("/v1/sources", headers={"origin": "https://x.example"}).status_code == 200


def test_a_websocket_from_another_site_is_refused(client: TestClient) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        client.websocket_connect(
            "/graphql",
            subprotocols=["graphql-transport-ws"],
            headers={"origin": "https://attacker.example", "host": "127.0.0.1:8000"},
        ) as ws,
    ):
        ws.send_json({"type": "connection_init"})
        ws.receive_json()
    assert closed.value.code == 4403


def test_once_a_key_exists_keys_decide(client: TestClient) -> None:
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.session_factory() as session:
        key = key_service.create(
            session=session, key_in=ApiKeyCreate(name="w", scope=Scope.WRITE)
        ).key
    elsewhere = {"host": "api.example", "origin": "https://tool.example", "x-api-key": key}
    assert client.get("/v1/sources", headers=elsewhere).status_code == 200
    assert _upload(client, **elsewhere) == 201
