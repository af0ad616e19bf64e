"""Two real API servers on one PostgreSQL: what one stores or deletes, the other answers with.

Each server is a ``crosscheck serve`` process (uvicorn) on a free loopback port with an index
folder of its own. With FAISS, the second server hears of the change through LISTEN/NOTIFY: its
polling interval is set far beyond the deadline, so only the notification can explain catching up
in time. With pgvector, both search the same table.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from crosscheck.migrations import upgrade
from tests.conftest import TABLES

CLI = str(Path(sys.executable).with_name("crosscheck"))
# Bounds, not expectations: on an idle machine a server is ready in about 30 s and the other
# server follows in under a second; they are wide for a machine busy with other work.
READY_SECONDS = 480.0
FOLLOW_SECONDS = 30.0
# Far beyond FOLLOW_SECONDS: a FAISS server that catches up in time was told, not polling.
POLL_SECONDS = 600
QUESTION = "Were the Larkspur dam spillway gates opened on Tuesday?"

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _emptied(url: str) -> str:
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        connection.execute(text("DROP TABLE IF EXISTS claim_vectors, claim_vectors_meta"))
    engine.dispose()
    return url


class Server:
    """One ``crosscheck serve`` process; stopped (then killed if it must be) on close."""

    def __init__(self, name: str, env: dict[str, str], folder: Path) -> None:
        self.name = name
        self.port = _free_port()
        self.log = folder / f"{name}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [CLI, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=60.0)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"{self.name} exited:\n{self.output()}"
            try:
                if self.http.get("/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                pass  # not listening yet
            time.sleep(0.25)
        raise AssertionError(f"{self.name} not ready in {READY_SECONDS}s:\n{self.output()}")

    def found_ids(self, question: str) -> set[int]:
        response = self.http.post("/v1/verify", json={"text": question})
        assert response.status_code == 200, response.text
        answer = response.json()
        return {
            item["claim"]["id"]
            for group in ("corroborating", "contradicting", "related")
            for item in answer[group]
        }

    def close(self) -> None:
        self.http.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _within(seconds: float, condition: Callable[[], bool]) -> float | None:
    """Seconds until ``condition`` held, or ``None`` if it did not within ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        time.sleep(0.1)
    return None


@pytest.fixture(params=["faiss", pytest.param("pgvector", marks=pytest.mark.pgvector)])
def two_servers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    backend = str(request.param)
    fixture = "postgres_url" if backend == "faiss" else "pgvector_url"
    database_url = _emptied(request.getfixturevalue(fixture))
    common: dict[str, Any] = {
        **os.environ,
        "CROSSCHECK_DATABASE_URL": database_url,
        "CROSSCHECK_VECTOR_BACKEND": backend,
        "CROSSCHECK_INDEX_SYNC_SECONDS": str(POLL_SECONDS),
        "CROSSCHECK_LOG_LEVEL": "INFO",
        "HF_HUB_OFFLINE": "1",
    }
    with ExitStack() as stack:
        servers = []
        for name in ("first", "second"):
            env = {**common, "CROSSCHECK_INDEX_DIR": str(tmp_path / f"{name}-index")}
            server = Server(name, env, tmp_path)
            stack.callback(server.close)
            servers.append(server)
        for server in servers:
            server.wait_ready()
        yield servers[0], servers[1]


def test_claims_stored_and_deleted_through_one_server_reach_the_other(
    two_servers: tuple[Server, Server],
) -> None:
    first, second = two_servers
    assert second.found_ids(QUESTION) == set()
    ids = []
    for text_, source in [
        ("The Larkspur dam spillway gates were opened at 4 a.m. on Tuesday.", "Water Board"),
        ("The Larkspur dam spillway gates stayed shut all Tuesday morning.", "Residents Group"),
    ]:
        response = first.http.post("/v1/claims", json={"text": text_, "source": source})
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])

    took = _within(FOLLOW_SECONDS, lambda: second.found_ids(QUESTION) >= set(ids))
    assert took is not None, f"second server never answered with {ids}:\n{second.output()}"
    assert second.http.get("/readyz").json()["claims_indexed"] == 2

    assert first.http.delete(f"/v1/claims/{ids[0]}").status_code == 204
    took = _within(FOLLOW_SECONDS, lambda: ids[0] not in second.found_ids(QUESTION))
    assert took is not None, f"second server still answers with {ids[0]}:\n{second.output()}"
    assert second.found_ids(QUESTION) == {ids[1]}
    # Answers leave out a deleted claim as soon as its row is gone; the index drops its vector
    # when the follower takes the deletion in, a moment later.
    took = _within(FOLLOW_SECONDS, lambda: second.http.get("/readyz").json()["claims_indexed"] == 1)
    assert took is not None, f"second server's index still holds {ids[0]}:\n{second.output()}"
