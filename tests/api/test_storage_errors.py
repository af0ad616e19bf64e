"""A full disk or an I/O error under a commit or an index save: an error response, never a 2xx;
what was acknowledged before stays, and the previously saved index still loads."""

from __future__ import annotations

import errno
import json
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from api.app import create_app
from crosscheck.indexing.service import catch_up
from crosscheck.ingest.claims import ClaimBulkLoader
from crosscheck.migrations import upgrade
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from embeddings.ann.faiss import FaissIndex
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder
from tests.conftest import wait_until_ready
from tests.factories import assert_error, post_claim


def _sqlite_error(message: str) -> OperationalError:
    return OperationalError("COMMIT", {}, sqlite3.OperationalError(message))


FAILURES = [
    pytest.param(_sqlite_error("database or disk is full"), 507, "insufficient_storage", id="full"),
    pytest.param(_sqlite_error("disk I/O error"), 503, "storage_unavailable", id="io-error"),
    pytest.param(OSError(errno.ENOSPC, "No space left"), 507, "insufficient_storage", id="enospc"),
    pytest.param(OSError(errno.EDQUOT, "Quota exceeded"), 507, "insufficient_storage", id="quota"),
    pytest.param(OSError(errno.EIO, "Input/output error"), 503, "storage_unavailable", id="eio"),
]


def _failing_commit(monkeypatch: pytest.MonkeyPatch, failure: Exception) -> None:
    def commit(self: Session) -> None:
        raise failure

    monkeypatch.setattr(Session, "commit", commit)


def _runtime(client: TestClient) -> Runtime:
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    return runtime


@pytest.mark.parametrize(("failure", "status", "code"), FAILURES)
def test_a_commit_the_storage_refuses_is_an_error_and_stores_nothing(
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    failure: Exception,
    status: int,
    code: str,
) -> None:
    kept = post_claim(client, "Officials counted 40 trucks at the border.")
    with monkeypatch.context() as patch:
        _failing_commit(patch, failure)
        assert_error(
            client.post("/v1/claims", json={"text": "A new statement.", "source": "Wire"}),
            status,
            code,
        )
        bulk = client.post(
            "/v1/claims/bulk",
            content=json.dumps({"text": "Another new statement.", "source": "Wire"}),
            headers={"content-type": "application/x-ndjson"},
        )
        assert_error(bulk, status, code)
    listed = [item["id"] for item in client.get("/v1/claims").json()["items"]]
    assert kept["id"] in listed
    # On SQLite a claim's savepoint can commit before the session does (see the README); the
    # index is told nothing of it, and comes back in step with the database at the next look.
    runtime = _runtime(client)
    with runtime.session_factory() as session:
        catch_up(claim_index=runtime.claim_index, session=session)
    assert runtime.claim_index.ids().tolist() == sorted(listed)


def test_graphql_reports_a_full_disk_with_its_code_and_no_2xx(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_commit(monkeypatch, _sqlite_error("database or disk is full"))
    response = client.post(
        "/graphql",
        json={
            "query": "mutation($input: ClaimInput!) { createClaim(input: $input) { created } }",
            "variables": {"input": {"text": "A new statement.", "source": "Wire"}},
        },
    )
    assert response.status_code == 507, response.text
    errors = response.json()["errors"]
    assert [e["extensions"]["code"] for e in errors] == ["INSUFFICIENT_STORAGE"]


def test_an_index_save_that_fails_during_a_bulk_load_is_an_error(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(self: FaissIndex) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    # The loader saves the index now and then; here, after every batch.
    monkeypatch.setattr(
        ClaimBulkLoader, "_save_index_now_and_then", lambda self: self._index.save_if_dirty()
    )
    monkeypatch.setattr(FaissIndex, "save", no_space)
    response = client.post(
        "/v1/claims/bulk",
        content=json.dumps({"text": "Storms closed 12 schools.", "source": "Wire"}),
        headers={"content-type": "application/x-ndjson"},
    )
    assert_error(response, 507, "insufficient_storage")


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    url = f"sqlite:///{tmp_path / 'crosscheck.db'}"
    upgrade(url)
    return Settings(database_url=url, index_dir=tmp_path / "index")


def test_a_full_sqlite_database_answers_507_and_keeps_every_acknowledged_claim(
    sqlite_settings: Settings, encoder: SentenceTransformerEncoder
) -> None:
    with TestClient(create_app(Runtime(sqlite_settings, encoder=encoder))) as client:
        wait_until_ready(client)
        engine = _runtime(client).engine
        with engine.connect() as connection:
            pages = int(connection.exec_driver_sql("PRAGMA page_count").scalar() or 0)

        # SQLite's own limit on the file's size: past it, SQLITE_FULL as on a full disk.
        def limit(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute(f"PRAGMA max_page_count={pages + 12}")

        event.listen(engine, "connect", limit)
        engine.dispose()
        acknowledged: list[int] = []
        statuses: list[int] = []
        for i in range(200):
            text = f"Claim {i}: " + "inspectors reported damage to the bridge. " * 80
            response = client.post("/v1/claims", json={"text": text, "source": "Wire"})
            statuses.append(response.status_code)
            if response.status_code == 201:
                acknowledged.append(response.json()["id"])
            else:
                assert_error(response, 507, "insufficient_storage")
                break
        assert acknowledged and statuses[-1] == 507
        again = client.post("/v1/claims", json={"text": "Short one.", "source": "Other"})
        assert again.status_code == 507 or again.status_code == 201
        event.remove(engine, "connect", limit)
        engine.dispose()
        stored = [c["id"] for c in client.get("/v1/claims", params={"limit": 500}).json()["items"]]
        assert set(acknowledged) <= set(stored)
        assert _runtime(client).claim_index.ids().tolist() == sorted(stored)
        after = client.post("/v1/claims", json={"text": "Room again.", "source": "Wire"})
        assert after.status_code == 201


@pytest.fixture
def index_on_small_disk(
    sqlite_settings: Settings, small_filesystem: Path
) -> Iterator[tuple[Settings, Path]]:
    yield (
        sqlite_settings.model_copy(
            update={"index_dir": small_filesystem / "index", "index_save_seconds": 0.2}
        ),
        small_filesystem,
    )


def _saved_ids(settings: Settings, encoder: SentenceTransformerEncoder) -> list[int]:
    index = FaissIndex(settings.index_dir).load(
        model=encoder.model_name, dimension=encoder.dimension
    )
    return index.ids().tolist()


def _wait_for(condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)


def test_a_real_full_disk_under_the_index_keeps_the_previous_index_and_recovers(
    index_on_small_disk: tuple[Settings, Path],
    encoder: SentenceTransformerEncoder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings, mount_point = index_on_small_disk
    with TestClient(create_app(Runtime(settings, encoder=encoder))) as client:
        wait_until_ready(client)
        first = [post_claim(client, f"Officials counted {i} trucks.")["id"] for i in range(3)]
        _wait_for(lambda: (settings.index_dir / "index.meta.json").is_file())
        _wait_for(lambda: _saved_ids(settings, encoder) == first)
        # ~1.5 KB a vector: 300 more do not fit in 256 KiB beside the saved index.
        rows = "\n".join(
            json.dumps(
                {"text": f"Inspectors found {i} damaged homes in district {i}.", "source": "Wire"}
            )
            for i in range(300)
        )
        loaded = client.post(
            "/v1/claims/bulk", content=rows, headers={"content-type": "application/x-ndjson"}
        )
        assert loaded.status_code == 200, loaded.text
        _wait_for(lambda: any("index save failed" in r.getMessage() for r in caplog.records))
        assert _saved_ids(settings, encoder) == first
        assert not [p for p in settings.index_dir.iterdir() if p.name.endswith(".tmp")]
        # Room again: the next periodic save succeeds with every claim.
        subprocess.run(
            ["mount", "-o", "remount,size=8m", str(mount_point)], check=True, capture_output=True
        )
        held = _runtime(client).claim_index.ids().tolist()
        assert len(held) == 303
        _wait_for(lambda: _saved_ids(settings, encoder) == held)


@pytest.fixture
def impatient_client(tmp_path: Path, encoder: SentenceTransformerEncoder) -> Iterator[TestClient]:
    """SQLite that waits 0.3 s for another writer's lock."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'busy.db'}",
        index_dir=tmp_path / "index",
        stance_graph=False,
        sqlite_busy_timeout_seconds=0.3,
    )
    upgrade(settings.database_url)
    with TestClient(create_app(Runtime(settings, encoder=encoder))) as client:
        wait_until_ready(client)
        yield client


def test_a_write_kept_waiting_for_the_lock_is_a_503_storage_busy(
    impatient_client: TestClient, tmp_path: Path
) -> None:
    other_writer = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    other_writer.execute("BEGIN IMMEDIATE")  # holds the write lock
    try:
        refused = impatient_client.post("/v1/claims", json={"text": "A dam burst.", "source": "A"})
        assert_error(refused, 503, "storage_busy")
        assert refused.headers["retry-after"] == "5"
        mutation = (
            'mutation { createClaim(input: {text: "A dam burst.", source: "A"}) { created } }'
        )
        graphql = impatient_client.post("/graphql", json={"query": mutation})
        assert graphql.status_code == 503 and graphql.headers["retry-after"] == "5"
        assert graphql.json()["errors"][0]["extensions"]["code"] == "STORAGE_BUSY"
    finally:
        other_writer.execute("ROLLBACK")
        other_writer.close()
    assert impatient_client.get("/v1/claims").json()["total"] == 0
    assert post_claim(impatient_client, "A dam burst.", "A")["text"] == "A dam burst."


def test_a_document_is_read_before_its_write_transaction_starts(
    impatient_client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crosscheck.documents import service as document_service

    extract = document_service.read_statements
    others_wrote: list[bool] = []

    def extract_while_another_writes(text: str, publisher: str, parser: Any) -> Any:
        # Another writer must get the lock at once while the document is being read.
        other = sqlite3.connect(tmp_path / "busy.db", isolation_level=None, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            others_wrote.append(True)
        except sqlite3.OperationalError:
            others_wrote.append(False)
        finally:
            other.close()
        return extract(text, publisher, parser)

    monkeypatch.setattr(document_service, "read_statements", extract_while_another_writes)
    post_claim(impatient_client, "Dams need inspection.", "Aster Gazette")  # publisher exists
    response = impatient_client.post(
        "/v1/documents", json={"text": "The dam burst on Monday.", "publisher": "Aster Gazette"}
    )
    assert response.status_code == 201, response.text
    assert others_wrote == [True]
