"""uvicorn's limits come from the settings, checked against a real `crosscheck serve`: idle
keep-alive connections are closed, WebSocket messages are bounded like request bodies, and an
unhandled error tells the client its connection is closing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from websockets.exceptions import ConnectionClosedError
from websockets.sync.client import connect

from api.app import create_app
from crosscheck.migrations import upgrade
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder
from tests.conftest import wait_until_ready

CLI = str(Path(sys.executable).with_name("crosscheck"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    folder = tmp_path_factory.mktemp("limits")
    url = f"sqlite:///{folder / 'crosscheck.db'}"
    upgrade(url)
    port = _free_port()
    env = {
        **os.environ,
        "CROSSCHECK_DATABASE_URL": url,
        "CROSSCHECK_INDEX_DIR": str(folder / "index"),
        "CROSSCHECK_STANCE_GRAPH": "false",
        "CROSSCHECK_MAX_REQUEST_BYTES": "50000",
        "CROSSCHECK_HTTP_KEEP_ALIVE_SECONDS": "1",
    }
    with (folder / "server.log").open("w") as log:
        process = subprocess.Popen(
            [CLI, "serve", "--port", str(port)], env=env, stdout=log, stderr=log
        )
    try:
        deadline = time.monotonic() + 300
        while True:
            assert process.poll() is None, (folder / "server.log").read_text()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server was not ready in time"
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_an_idle_keep_alive_connection_is_closed(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=10) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        received = connection.recv(65536)
        answered = time.monotonic()
        while chunk := connection.recv(65536):  # the rest of the answer, then the close
            received += chunk
    assert received.startswith(b"HTTP/1.1 200")
    # Closed by the server after the setting (1 s), not uvicorn's default (5 s) or our timeout.
    assert time.monotonic() - answered < 3


def test_a_websocket_message_larger_than_a_request_body_closes_the_socket(server: int) -> None:
    url = f"ws://127.0.0.1:{server}/graphql"
    with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        ws.send('{"type": "connection_init"}')
        assert "connection_ack" in str(ws.recv(timeout=10))
        ws.send('{"type": "ping", "payload": {"pad": "' + "x" * 60_000 + '"}}')
        with pytest.raises(ConnectionClosedError) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


def test_an_unhandled_error_answers_500_with_connection_close(
    tmp_path: Path, encoder: SentenceTransformerEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crosscheck.sources import service as source_service

    def broken(**_: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(source_service, "list_page", broken)
    url = f"sqlite:///{tmp_path / 'crosscheck.db'}"
    upgrade(url)
    settings = Settings(database_url=url, index_dir=tmp_path / "index", stance_graph=False)
    with TestClient(
        create_app(Runtime(settings, encoder=encoder)), raise_server_exceptions=False
    ) as client:
        wait_until_ready(client)
        response = client.get("/v1/sources")
    assert response.status_code == 500
    assert response.headers["connection"] == "close"
    assert response.json()["error"]["code"] == "internal_error"


def test_a_bulk_load_answered_as_a_stream_reads_its_whole_body(server: int) -> None:
    """Past 10,000 rows the answer streams while the body is still arriving; nothing else may
    read the body's chunks meanwhile (the load would wait for them forever)."""
    rows = 45_000

    def body() -> Iterator[bytes]:
        for _ in range(rows // 1000):
            yield b"{}\n" * 1000

    response = httpx.post(
        f"http://127.0.0.1:{server}/v1/claims/bulk",
        content=body(),
        headers={"content-type": "application/x-ndjson"},
        timeout=120,
    )
    assert response.status_code == 200, response.text[:500]
    answer = response.json()
    assert answer["totals"] == {"rows": rows, "created": 0, "exists": 0, "rejected": rows}
    assert len(answer["results"]) == rows
