from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from api import docs
from api.app import create_app
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder
from tests.conftest import configured_client
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
    with TestClient(create_app(Runtime(settings, encoder=encoder))) as client:
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

    with TestClient(create_app(Runtime(settings, encoder=encoder))) as client:
        wait_until_ready(client)
        client.post("/v1/claims", json={"text": "Troops arrived by ship.", "source": "NSC"})
    assert (settings.index_dir / "index.meta.json").is_file()
    with TestClient(create_app(Runtime(settings, encoder=encoder))) as client:
        wait_until_ready(client)
        assert client.get("/readyz").json()["claims_indexed"] == 1


# Every REST operation's id, as generated clients name their methods: a change here is a
# change of the API's contract, made on purpose (ids are explicit `operation_id=` per route).
OPERATION_IDS = {
    ("GET", "/healthz"): "getHealth",
    ("GET", "/readyz"): "getReadiness",
    ("GET", "/metrics"): "getMetrics",
    ("POST", "/v1/sources"): "createSource",
    ("GET", "/v1/sources"): "listSources",
    ("GET", "/v1/sources/{source_id}"): "getSource",
    ("POST", "/v1/claims"): "createClaim",
    ("GET", "/v1/claims"): "listClaims",
    ("GET", "/v1/claims/{claim_id}"): "getClaim",
    ("DELETE", "/v1/claims/{claim_id}"): "deleteClaim",
    ("GET", "/v1/claims/{claim_id}/evidence"): "getClaimEvidence",
    ("GET", "/v1/claims/{claim_id}/timeline"): "getClaimTimeline",
    ("GET", "/v1/claims/{claim_id}/claimreview"): "getClaimReview",
    ("POST", "/v1/claims/bulk"): "bulkLoadClaims",
    ("POST", "/v1/search"): "searchClaims",
    ("POST", "/v1/verify"): "verifyClaim",
    ("POST", "/v1/stance"): "judgeStance",
    ("POST", "/v1/documents"): "ingestDocument",
    ("POST", "/v1/documents/upload"): "uploadDocument",
    ("GET", "/v1/documents"): "listDocuments",
    ("GET", "/v1/documents/{document_id}"): "getDocument",
    ("POST", "/v1/documents/bulk"): "bulkLoadDocuments",
}
DOC_PAGES = ["/docs", "/redoc", "/graphql"]
ASSET_TYPES = {".js": "javascript", ".css": "text/css", ".ico": "image/svg+xml"}
OUTSIDE_URL = re.compile(r"\b(?:https?|wss?)://[^\s\"'<>)]+")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""")


@pytest.fixture(scope="module")
def docs_client(
    tmp_path_factory: pytest.TempPathFactory, encoder: SentenceTransformerEncoder
) -> Iterator[TestClient]:
    """One app for the documentation checks below: they read pages and files, never data."""
    with configured_client(tmp_path_factory.mktemp("docs"), encoder) as client:
        yield client


def _page(client: TestClient, path: str) -> str:
    response = client.get(path, headers={"accept": "text/html"})
    assert response.status_code == 200, (path, response.text)
    assert response.headers["content-type"].startswith("text/html")
    return response.text


@pytest.mark.parametrize("path", DOC_PAGES)
def test_docs_pages_load_everything_from_this_server(docs_client: TestClient, path: str) -> None:
    html = _page(docs_client, path)
    outside = [url for url in OUTSIDE_URL.findall(html) if not url.startswith("http://testserver")]
    assert outside == [], f"{path} loads from elsewhere: {outside}"
    assets = re.findall(r'\b(?:src|href)="([^"]+)"', html)
    assert any(asset.endswith(".js") for asset in assets), assets
    for asset in assets:
        assert asset.startswith("/"), asset
        response = docs_client.get(asset)
        assert response.status_code == 200, asset
        kind = ASSET_TYPES[Path(asset).suffix]
        assert kind in response.headers["content-type"], (asset, response.headers["content-type"])
        if kind == "text/css":  # a stylesheet could still fetch fonts or images itself
            fetched = [url for url in CSS_URL.findall(response.text) if not url.startswith("data:")]
            assert "@import" not in response.text and fetched == [], (asset, fetched)


def test_only_the_pages_files_are_served(docs_client: TestClient) -> None:
    assert_error(docs_client.get("/docs/assets/package.json"), 404, "not_found")
    assert_error(docs_client.get("/docs/assets/..%2Fpackage-lock.json"), 404, "not_found")
    assert_error(docs_client.get("/docs/oauth2-redirect"), 404, "not_found")  # no OAuth2 here


def test_graphiql_says_when_its_files_are_missing(
    docs_client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(docs.GRAPHIQL_ASSETS, "graphiql.min.js", tmp_path / "graphiql.min.js")
    response = docs_client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 503
    assert "GraphiQL's files are not installed" in response.text
    assert "graphiql.min.js" in response.text and "make install" in response.text
    # The API itself still answers.
    answer = docs_client.post("/graphql", json={"query": "{ __typename }"})
    assert answer.json() == {"data": {"__typename": "Query"}}


def test_the_favicon_is_the_projects_svg(docs_client: TestClient) -> None:
    response = docs_client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    icon = ElementTree.fromstring(response.content)
    assert icon.tag == "{http://www.w3.org/2000/svg}svg" and icon.get("viewBox") == "0 0 32 32"
    assert len(response.content) < 2_000


def test_every_operation_has_its_pinned_readable_id(docs_client: TestClient) -> None:
    paths = docs_client.get("/openapi.json").json()["paths"]
    found = {
        (method.upper(), path): operation["operationId"]
        for path, item in paths.items()
        for method, operation in item.items()
    }
    ids = list(found.values())
    assert len(ids) == len(set(ids)), "operation ids must be unique"
    assert all(re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*", id_) for id_ in ids), ids
    assert found == OPERATION_IDS
