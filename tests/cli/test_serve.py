"""`crosscheck serve` (its secure default, and `--demo`) and `crosscheck graphql-schema`."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from api.graphql.schema import printed_schema
from cli.main import app
from cli.serve import check_bind
from crosscheck.access import service as key_service
from crosscheck.access.models import Scope
from crosscheck.access.schemas import ApiKeyCreate
from crosscheck.database import create_db_engine, create_session_factory
from crosscheck.migrations import upgrade
from crosscheck.settings import Settings, get_settings
from embeddings.encoders.onnx import OnnxEncoder


def test_serve_refuses_a_public_address_without_keys(cli_env: Path) -> None:
    upgrade(f"sqlite:///{cli_env / 'cli.db'}")
    refused = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"])
    assert refused.exit_code == 1
    assert "refusing to listen on 0.0.0.0" in refused.output


def test_serve_on_loopback_without_keys_says_it_is_open(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    upgrade(url)
    settings = Settings(database_url=url, index_dir=tmp_path / "index")
    with caplog.at_level(logging.WARNING, logger="crosscheck.serve"):
        check_bind(settings, "127.0.0.1")
    assert "no API keys exist" in caplog.text and "loopback" in caplog.text
    engine = create_db_engine(url)
    with create_session_factory(engine)() as session:
        key_service.create(session=session, key_in=ApiKeyCreate(name="test", scope=Scope.READ))
    engine.dispose()
    caplog.clear()
    check_bind(settings, "0.0.0.0")  # with a key, any address: no exit, no warning
    assert "no API keys exist" not in caplog.text


def test_serve_refuses_a_database_it_cannot_read_keys_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CROSSCHECK_DATABASE_URL", f"sqlite:///{tmp_path / 'unmigrated.db'}")
    get_settings.cache_clear()
    try:
        refused = CliRunner().invoke(app, ["serve"])
    finally:
        get_settings.cache_clear()
    assert refused.exit_code == 2
    assert "crosscheck db upgrade" in refused.output


def test_serve_demo_loads_the_demo_with_the_model_the_server_then_answers_with(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[object] = []
    load_onnx = OnnxEncoder.__init__

    def counted(self: OnnxEncoder, *args: Any, **kwargs: Any) -> None:
        loads.append(self)
        load_onnx(self, *args, **kwargs)

    monkeypatch.setattr(OnnxEncoder, "__init__", counted)
    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda asgi_app, **options: served.append(asgi_app))
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["serve", "--demo"])
    assert result.exit_code == 0, result.output
    assert "demo claims: 34 inserted" in result.output
    # The server's runtime starts on the demo's index with the model already loaded.
    runtime = served[0].state.runtime
    runtime.start(load_judge=False)
    try:
        assert runtime.claim_index.count() == 34
    finally:
        runtime.close()
    assert len(loads) == 1


def test_cli_writes_the_schema(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    result = CliRunner().invoke(app, ["graphql-schema", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == printed_schema()
    printed = CliRunner().invoke(app, ["graphql-schema"])
    assert printed.exit_code == 0 and printed.stdout == printed_schema()
