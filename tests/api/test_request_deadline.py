"""Each request's judging work runs under a time budget and stops when its client leaves: past
the budget a 504 deadline_exceeded (a GraphQL error with that code), nothing stored changes;
a client that hung up gets no more encoder or judge time spent on it."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message

from api.request_deadline import RequestDeadline
from crosscheck.deadlines import Deadline, check_deadline, deadline_scope
from crosscheck.errors import ClientGoneError, DeadlineExceededError
from crosscheck.runtime import Runtime
from crosscheck.stance.engine import StanceEngine
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder
from tests.conftest import configured_client, judged_pairs, load_demo, wait_until_ready

CLAIM = "North Korean soldiers are in Russia"
# Spent before the first check of any judging: every such request runs out.
NO_TIME = 1e-6


@pytest.fixture
def hurried_client(tmp_path: Path, encoder: SentenceTransformerEncoder) -> Iterator[TestClient]:
    with configured_client(tmp_path, encoder, request_deadline_seconds=NO_TIME) as client:
        wait_until_ready(client)
        load_demo(client.app.state.runtime)  # type: ignore[attr-defined]
        yield client


def test_judging_past_the_budget_is_a_504_and_reading_and_writing_go_on(
    hurried_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    client = hurried_client
    stored_before = client.get("/v1/claims", params={"limit": 100}).json()["items"]
    for path, body in [
        ("/v1/verify", {"text": CLAIM}),
        ("/v1/stance", {"claim": CLAIM, "evidence": "Pyongyang denied sending any troops."}),
    ]:
        response = client.post(path, json=body)
        assert response.status_code == 504, response.text
        assert response.json()["error"]["code"] == "deadline_exceeded", response.text
    evidence = client.get(f"/v1/claims/{stored_before[0]['id']}/evidence")
    assert evidence.status_code == 504, evidence.text
    with caplog.at_level(logging.INFO):
        answer = client.post(
            "/graphql", json={"query": f'{{ verify(text: "{CLAIM}") {{ verdict }} }}'}
        ).json()
    assert answer["errors"][0]["extensions"]["code"] == "DEADLINE_EXCEEDED", answer
    # A client's error is an INFO line with its code, not an ERROR with the whole query.
    graphql_lines = [r for r in caplog.records if r.name.startswith(("strawberry", "api.graphql"))]
    assert [(r.levelno, getattr(r, "code", None)) for r in graphql_lines] == [
        (logging.INFO, "DEADLINE_EXCEEDED")
    ]
    # What does not judge is not refused, and nothing stored changed.
    assert client.get("/v1/claims", params={"limit": 100}).json()["items"] == stored_before
    created = client.post("/v1/claims", json={"text": "The bridge reopened.", "source": "City"})
    assert created.status_code == 201, created.text
    bulk = client.post(
        "/v1/claims/bulk",
        content=b'{"text": "The ferry resumed.", "source": "Port"}\n',
        headers={"content-type": "application/x-ndjson"},
    )
    assert bulk.status_code == 200, bulk.text


def _call(app: ASGIApp, *, path: str, body: bytes, leave_after: float) -> list[Message]:
    """One POST through ``app`` whose client hangs up ``leave_after`` seconds after sending."""
    sent: list[Message] = []
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> Message:
        if messages:
            return messages.pop()
        await asyncio.sleep(leave_after)
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"localhost"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 5000),
        "server": ("localhost", 80),
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return sent


def test_work_in_a_worker_thread_stops_soon_after_the_client_leaves() -> None:
    outcome: dict[str, Any] = {}

    def long_work() -> None:
        started = time.monotonic()
        try:
            while time.monotonic() - started < 20:
                check_deadline()
                time.sleep(0.01)
        except ClientGoneError:
            outcome["stopped_after"] = time.monotonic() - started

    async def endpoint(request: Request) -> PlainTextResponse:
        await request.body()
        await run_in_threadpool(long_work)
        return PlainTextResponse("done")

    app = RequestDeadline(
        Starlette(routes=[Route("/work", endpoint, methods=["POST"])]),
        seconds=None,
        exempt_paths=(),
    )
    _call(app, path="/work", body=b"{}", leave_after=0.3)
    assert 0.25 < outcome["stopped_after"] < 2, outcome


def test_a_verification_whose_client_left_judges_nothing(
    demo_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime: Runtime = demo_client.app.state.runtime  # type: ignore[attr-defined]
    asked = judged_pairs(runtime, monkeypatch)
    sent = _call(
        demo_client.app, path="/v1/verify", body=b'{"text": "%s"}' % CLAIM.encode(), leave_after=0
    )
    assert sent[0]["status"] == 499, sent
    assert asked == []


def test_the_engine_stops_between_steps_and_runs_unbounded_outside_requests(
    stance_engine: StanceEngine,
) -> None:
    pairs = [(CLAIM, f"Officials said {n} soldiers crossed the border.") for n in range(40)]
    gone = Deadline(None)
    gone.abandon()
    with deadline_scope(gone), pytest.raises(ClientGoneError):
        stance_engine.judge_pairs(pairs, statements=True)
    with deadline_scope(Deadline(NO_TIME)), pytest.raises(DeadlineExceededError):
        stance_engine.judge_pairs(pairs, statements=True)
    # The background judge and the CLI have no deadline: the same pairs are judged whole.
    assert len(stance_engine.judge_pairs(pairs, statements=True)) == len(pairs)
    # A thread started outside a request carries no deadline either.
    seen: list[BaseException | None] = []

    def outside() -> None:
        try:
            check_deadline()
            seen.append(None)
        except Exception as exc:
            seen.append(exc)

    with deadline_scope(gone):
        thread = threading.Thread(target=outside)
        thread.start()
        thread.join()
    assert seen == [None]
