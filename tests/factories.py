"""Small builders for test data sent through the real API."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def post_claim(
    client: TestClient, text: str, source: str = "Test Agency", **extra: Any
) -> dict[str, Any]:
    response = client.post("/v1/claims", json={"text": text, "source": source, **extra})
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


def post_source(client: TestClient, name: str, **extra: Any) -> dict[str, Any]:
    response = client.post("/v1/sources", json={"name": name, **extra})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def assert_error(
    response: Any, status: int, code: str | None = None, field: str | None = None
) -> None:
    """The response is the documented error body with this status, code and field."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert isinstance(error["message"], str) and error["message"]
    if code is not None:
        assert error["code"] == code
    if field is not None:
        assert error.get("field") == field
