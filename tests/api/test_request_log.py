"""One JSON log line per request with its request id, echoed in ``X-Request-ID``."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rich.text import Text

from api.request_log import well_formed_request_id
from crosscheck.logs import configure_logging


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def request_lines(output: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in output.splitlines()]  # every line is JSON
    return [line for line in lines if line["logger"] == "crosscheck.requests"]


def test_each_request_is_one_json_line_with_the_clients_request_id(
    client: TestClient, restore_logging: None
) -> None:
    output = io.StringIO()
    configure_logging("INFO", stream=output)  # not a terminal: JSON
    response = client.get("/v1/claims/77", headers={"X-Request-ID": "client-42.retry:1"})
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == "client-42.retry:1"
    client.get("/healthz")
    first, second = request_lines(output.getvalue())
    assert first["request_id"] == "client-42.retry:1"
    assert first["method"] == "GET" and first["path"] == "/v1/claims/77"
    assert first["route"] == "/v1/claims/{claim_id}" and first["status"] == 404
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert first["level"] == "INFO" and first["time"]
    assert second["route"] == "/healthz" and second["status"] == 200
    assert second["request_id"] and second["request_id"] != first["request_id"]


def test_a_malformed_request_id_is_replaced(client: TestClient, restore_logging: None) -> None:
    output = io.StringIO()
    configure_logging("INFO", log_format="json", stream=output)
    response = client.get("/healthz", headers={"X-Request-ID": "two words <b>"})
    returned = response.headers["X-Request-ID"]
    assert returned != "two words <b>" and well_formed_request_id(returned)
    assert [line["request_id"] for line in request_lines(output.getvalue())] == [returned]


@pytest.mark.parametrize(
    ("candidate", "accepted"),
    [
        ("3f2b9c1e-1b7e-4c1a-9d8e-2a6f5b4c3d2e", True),
        ("req_1", True),
        ("", False),
        ("-leading-dash", False),
        ("has space", False),
        ("line\nbreak", False),
        ("x" * 129, False),
    ],
)
def test_well_formed_request_ids(candidate: str, accepted: bool) -> None:
    assert well_formed_request_id(candidate) is accepted


def test_a_terminal_gets_readable_lines_unless_json_is_asked_for(
    client: TestClient, restore_logging: None
) -> None:
    terminal = Terminal()
    configure_logging("INFO", stream=terminal)
    client.get("/healthz")
    text = Text.from_ansi(terminal.getvalue()).plain  # a terminal gets colours
    assert "crosscheck.requests: GET /healthz 200" in text
    with pytest.raises(json.JSONDecodeError):
        json.loads(text.splitlines()[-1])

    forced = Terminal()
    configure_logging("INFO", log_format="json", stream=forced)
    client.get("/healthz")
    assert [line["route"] for line in request_lines(forced.getvalue())] == ["/healthz"]


def test_json_logs_follow_whatever_stderr_is_now(
    restore_logging: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure_logging("INFO", log_format="json")
    earlier, now = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", earlier)
    logging.getLogger("crosscheck.test").info("one")
    earlier.close()  # as a CLI runner closes the stream it lent
    monkeypatch.setattr(sys, "stderr", now)
    logging.getLogger("crosscheck.test").info("two")
    assert json.loads(now.getvalue())["message"] == "two"
