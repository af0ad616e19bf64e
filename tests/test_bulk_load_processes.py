"""``crosscheck load`` as a real process: killed and resumed, and beside a running server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text

from api.app import create_app
from crosscheck.claims.models import Claim
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from embeddings.ann.faiss import FaissIndex
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder
from tests.conftest import wait_until_ready

CLI = str(Path(sys.executable).with_name("crosscheck"))


def _write_claims(path: Path, count: int) -> None:
    with path.open("w") as handle:
        for i in range(count):
            row = {
                "text": f"Inspectors counted {i * 7 + 3} damaged homes in district {i} after the storm.",
                "source": f"Agency {i % 13}",
                "external_id": f"row-{i}",
            }
            handle.write(json.dumps(row) + "\n")


def _env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "CROSSCHECK_DATABASE_URL": settings.database_url,
        "CROSSCHECK_INDEX_DIR": str(settings.index_dir),
        "CROSSCHECK_LOG_LEVEL": "WARNING",
        "HF_HUB_OFFLINE": "1",
    }


def _stored_ids(url: str) -> list[int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.scalars(select(Claim.id).order_by(Claim.id)))
    finally:
        engine.dispose()


def _count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(Claim)) or 0)
    finally:
        engine.dispose()


def _saved_index_ids(settings: Settings, encoder: SentenceTransformerEncoder) -> list[int]:
    index = FaissIndex(settings.index_dir).load(
        model=encoder.model_name, dimension=encoder.dimension
    )
    return index.ids().tolist()


def test_a_load_killed_halfway_finishes_on_the_next_run_without_loss_or_duplicates(
    settings: Settings, encoder: SentenceTransformerEncoder, tmp_path: Path
) -> None:
    total = 2500
    data = tmp_path / "claims.jsonl"
    _write_claims(data, total)
    env = _env(settings)
    loading = subprocess.Popen(
        [CLI, "load", str(data), "--report", str(tmp_path / "r.jsonl")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while _count(settings.database_url) == 0 and time.monotonic() < deadline:
        assert loading.poll() is None, loading.stderr.read() if loading.stderr else ""
        time.sleep(0.05)
    loading.send_signal(signal.SIGKILL)
    loading.wait()
    partial = _count(settings.database_url)
    assert 0 < partial < total

    resumed = subprocess.run(
        [CLI, "load", str(data), "--report", str(tmp_path / "r.jsonl")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"{total - partial:,} inserted, {partial:,} already present" in resumed.stderr
    stored = _stored_ids(settings.database_url)
    assert len(stored) == total
    engine = create_engine(settings.database_url)
    with engine.connect() as connection:
        distinct = connection.scalar(text("select count(distinct external_id) from claims"))
    engine.dispose()
    assert distinct == total
    assert _saved_index_ids(settings, encoder) == stored


def test_a_server_keeps_answering_and_catches_up_while_the_cli_loads(
    settings: Settings, encoder: SentenceTransformerEncoder, tmp_path: Path
) -> None:
    data = tmp_path / "claims.jsonl"
    _write_claims(data, 1200)
    following = settings.model_copy(update={"index_sync_seconds": 0.3})
    with TestClient(create_app(Runtime(following, encoder=encoder))) as client:
        wait_until_ready(client)
        loading = subprocess.Popen(
            [CLI, "load", str(data), "--report", str(tmp_path / "r.jsonl")],
            env=_env(settings),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        answers = 0
        while loading.poll() is None:
            response = client.post("/v1/verify", json={"text": "Storm damage to homes"})
            assert response.status_code == 200, response.text
            answers += 1
            time.sleep(0.2)
        assert loading.returncode == 0 and answers > 0
        stored = _stored_ids(settings.database_url)
        deadline = time.monotonic() + 30
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        while runtime.claim_index.ids().tolist() != stored and time.monotonic() < deadline:
            time.sleep(0.1)
        assert runtime.claim_index.ids().tolist() == stored
        found = client.post("/v1/verify", json={"text": "damaged homes in district 17"}).json()
        assert found["corroborating"] or found["related"]
    assert _saved_index_ids(settings, encoder) == stored
