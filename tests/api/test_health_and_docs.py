from __future__ import annotations

import threading
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from embeddings.encoder import SentenceTransformerEncoder
from tests.factories import assert_error


def test_health_ready_and_docs(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready", "claims_indexed": 0}
    spec = client.get("/openapi.json").json()
    assert {"/v1/claims", "/v1/verify", "/v1/sources", "/v1/claims/{claim_id}/evidence"} <= set(
        spec["paths"]
    )
    assert client.get("/docs").status_code == 200
    assert "graphiql" in client.get("/graphql", headers={"accept": "text/html"}).text.lower()


def test_unknown_route_has_error_body(client: TestClient) -> None:
    assert_error(client.get("/v1/nothing-here"), 404, "not_found")
    assert_error(client.put("/v1/verify", json={}), 405, "method_not_allowed")


def test_not_ready_until_model_and_index_load(
    settings: Settings, encoder: SentenceTransformerEncoder, monkeypatch: object
) -> None:
    gate = threading.Event()
    original = Runtime.start

    def slow_start(self: Runtime, **kwargs: bool) -> None:
        gate.wait(30)
        original(self, **kwargs)

    monkeypatch.setattr(Runtime, "start", slow_start)  # type: ignore[attr-defined]
    with TestClient(create_app(settings, encoder=encoder)) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 503
        assert_error(client.post("/v1/verify", json={"text": "anything"}), 503, "not_ready")
        gate.set()
        from tests.conftest import wait_until_ready

        wait_until_ready(client)
        assert client.post("/v1/verify", json={"text": "anything"}).status_code == 200


def test_index_survives_restart(
    settings: Settings, encoder: SentenceTransformerEncoder, tmp_path: Path
) -> None:
    from tests.conftest import wait_until_ready

    with TestClient(create_app(settings, encoder=encoder)) as client:
        wait_until_ready(client)
        client.post("/v1/claims", json={"text": "Troops arrived by ship.", "source": "NSC"})
    assert (settings.index_dir / "index.meta.json").is_file()
    with TestClient(create_app(settings, encoder=encoder)) as client:
        wait_until_ready(client)
        assert client.get("/readyz").json()["claims_indexed"] == 1
