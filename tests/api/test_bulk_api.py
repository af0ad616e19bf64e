"""POST /v1/claims/bulk and /v1/documents/bulk over real HTTP: one result per row, in order."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

import pytest
from fastapi.testclient import TestClient

from crosscheck.settings import Settings
from tests.factories import assert_error

NDJSON = {"content-type": "application/x-ndjson"}
ROWS = [
    {"text": "The ministry counted 1,200 displaced families by Tuesday.", "source": "Ministry"},
    {"text": "", "source": "Ministry"},
    {"text": "Rail traffic resumed on the northern line on Friday.", "source": "Rail Operator"},
]


def _ndjson(rows: list[object]) -> bytes:
    return b"".join(json.dumps(row).encode() + b"\n" for row in rows)


def test_ndjson_rows_each_get_a_result_in_order(client: TestClient) -> None:
    body = _ndjson(ROWS) + b"{oops\n" + json.dumps(ROWS[0]).encode()  # last line unterminated
    response = client.post("/v1/claims/bulk", content=body, headers=NDJSON)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert [r["line"] for r in answer["results"]] == [1, 2, 3, 4, 5]
    assert [r["status"] for r in answer["results"]] == [
        "created",
        "error",
        "created",
        "error",
        "exists",
    ]
    assert answer["results"][1]["error"]["field"] == "text"
    assert answer["results"][4]["id"] == answer["results"][0]["id"]
    assert answer["totals"] == {"rows": 5, "created": 2, "exists": 1, "rejected": 2}

    listed = client.get("/v1/claims").json()
    assert {c["text"] for c in listed["items"]} == {ROWS[0]["text"], ROWS[2]["text"]}
    found = client.post("/v1/verify", json={"text": "Trains are running again up north"}).json()
    assert any(
        e["claim"]["text"] == ROWS[2]["text"] for e in found["corroborating"] + found["related"]
    )


def test_streamed_chunks_split_mid_line_are_read_whole(client: TestClient) -> None:
    body = _ndjson(ROWS)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 7):
            yield body[start : start + 7]

    response = client.post("/v1/claims/bulk", content=chunks(), headers=NDJSON)
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json()["results"]] == ["created", "error", "created"]


def test_json_array_body(client: TestClient) -> None:
    response = client.post("/v1/claims/bulk", json=[ROWS[0], 7])
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["created", "error"]
    not_array = client.post("/v1/claims/bulk", json={"text": "x"})
    assert_error(not_array, 422, "invalid_input", field="body")


def test_unknown_media_type_and_oversized_bodies_store_nothing(
    settings: Settings, encoder: object
) -> None:
    from api.app import create_app
    from crosscheck.runtime import Runtime
    from tests.conftest import wait_until_ready

    small = settings.model_copy(update={"bulk_max_bytes": 1_000})
    with TestClient(create_app(Runtime(small, encoder=encoder))) as client:  # type: ignore[arg-type]
        wait_until_ready(client)
        wrong = client.post(
            "/v1/claims/bulk", content=b"text", headers={"content-type": "text/csv"}
        )
        assert_error(wrong, 415, "unsupported_media_type", field="content-type")
        big = _ndjson([ROWS[0]] * 20)
        too_big = client.post("/v1/claims/bulk", content=big, headers=NDJSON)
        assert_error(too_big, 413, "payload_too_large", field="body")
        streamed = client.post("/v1/claims/bulk", content=iter([big]), headers=NDJSON)
        assert_error(streamed, 413, "payload_too_large", field="body")
        assert client.get("/v1/claims").json()["items"] == []


def test_documents_bulk_reads_claims_from_each_article(client: TestClient) -> None:
    article = (
        "The port authority said 2,650 workers were absent from their shifts on Wednesday. "
        "The Harbour Workers Union said 4,200 of its members had joined the stoppage."
    )
    rows = [
        {"text": article, "publisher": "Coastal Herald", "title": "Strike"},
        {"text": article, "publisher": "Coastal Herald"},
        {"text": article},
    ]
    response = client.post("/v1/documents/bulk", content=_ndjson(rows), headers=NDJSON)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "exists", "error"]
    assert results[2]["error"]["field"] == "publisher"
    document = client.get(f"/v1/documents/{results[0]['id']}").json()
    sources = {a["claim"]["source"]["name"] for a in document["claims"]}
    assert {"Harbour Workers Union"} <= sources


def test_a_large_load_is_answered_as_it_is_stored_in_the_same_shape(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.routers import bulk

    monkeypatch.setattr(bulk, "STREAM_AFTER_ROWS", 100)
    rows: list[object] = [{} for _ in range(300)]
    rows[150] = {"text": "The harbour reopened on Monday.", "source": "Port Authority"}
    response = client.post("/v1/claims/bulk", content=_ndjson(rows), headers=NDJSON)
    assert response.status_code == 200
    assert "content-length" not in response.headers  # streamed, not built whole
    answer = response.json()
    assert [r["line"] for r in answer["results"]] == list(range(1, 301))
    assert answer["results"][150]["status"] == "created"
    assert answer["totals"] == {"rows": 300, "created": 1, "exists": 0, "rejected": 299}
    assert "error" not in answer


def test_a_streamed_answer_reports_a_failure_after_it_began() -> None:
    """Once the answer has begun its status is sent: a body cut at the size limit (met while
    reading a chunked body) is told in an ``error`` member after the totals."""
    import asyncio

    from api.routers import bulk
    from crosscheck.errors import PayloadTooLargeError
    from crosscheck.ingest.results import LoadTotals, RowResult, RowStatus

    first = [RowResult(line=1, status=RowStatus.CREATED, id=7)]

    async def rest() -> AsyncIterator[list[RowResult]]:
        yield [RowResult(line=2, status=RowStatus.EXISTS, id=7)]
        raise PayloadTooLargeError("bulk bodies are limited to 5000 bytes", field="body")

    async def answer() -> bytes:
        totals = LoadTotals()
        totals.count(first[0])
        return b"".join([part async for part in bulk._streamed(first, rest(), totals)])

    body = json.loads(asyncio.run(answer()))
    assert [r["line"] for r in body["results"]] == [1, 2]
    assert body["totals"] == {"rows": 2, "created": 1, "exists": 1, "rejected": 0}
    assert body["error"] == {
        "code": "payload_too_large",
        "message": "bulk bodies are limited to 5000 bytes",
        "field": "body",
    }
