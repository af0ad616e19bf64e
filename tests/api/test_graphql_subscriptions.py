"""GraphQL subscriptions over a real WebSocket (graphql-transport-ws) through the real app."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from api.app import create_app
from crosscheck.ingest.claims import ClaimBulkLoader
from crosscheck.ingest.rows import Row
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder
from tests.api.test_graphql import ok
from tests.conftest import wait_until_ready
from tests.factories import post_claim, post_source

CLAIM_ADDED = """
subscription($sources: [String!], $q: String) {
  claimAdded(sources: $sources, q: $q) { id text source { name } }
}
"""


def receive(ws: WebSocketTestSession, seconds: float = 30.0) -> dict[str, Any]:
    """The next message, or a failure after ``seconds`` (the test client itself waits forever)."""

    async def within() -> dict[str, Any]:
        with anyio.fail_after(seconds):
            message: dict[str, Any] = await ws._send_rx.receive()  # the session's own stream
        return message

    message = ws.portal.call(within)
    assert message["type"] == "websocket.send", message
    body: dict[str, Any] = json.loads(message["text"])
    return body


def runtime_of(client: TestClient) -> Runtime:
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    return runtime


def wait_for_subscribers(client: TestClient, count: int, timeout: float = 30.0) -> None:
    feed = runtime_of(client).claim_feed
    deadline = time.monotonic() + timeout
    while feed.subscriber_count != count:
        assert time.monotonic() < deadline, f"{feed.subscriber_count} subscribers, not {count}"
        time.sleep(0.01)


@contextlib.contextmanager
def subscribe(
    client: TestClient, query: str = CLAIM_ADDED, **variables: Any
) -> Iterator[WebSocketTestSession]:
    """A WebSocket with one subscription (id "1") sent; nothing says when it is registered."""
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init"})
        assert receive(ws)["type"] == "connection_ack"
        ws.send_json(
            {"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}}
        )
        yield ws


def next_claim(ws: WebSocketTestSession) -> dict[str, Any]:
    message = receive(ws)
    assert message["type"] == "next" and message["id"] == "1", message
    assert message["payload"].get("errors") is None, message
    claim: dict[str, Any] = message["payload"]["data"]["claimAdded"]
    return claim


def assert_nothing_else_sent(ws: WebSocketTestSession) -> None:
    # Messages arrive in order: a pong right after means nothing else was queued before it.
    ws.send_json({"type": "ping"})
    assert receive(ws)["type"] == "pong"


def test_claims_stored_through_rest_graphql_and_bulk_arrive_when_they_match(
    client: TestClient,
) -> None:
    post_source(client, "Port Authority", aliases=["PA"])
    with subscribe(client, sources=["PA"], q="harbour") as ws:
        wait_for_subscribers(client, 1)
        post_claim(client, "The harbour is closed.", source="Fishermen's Union")
        post_claim(client, "Ferries run on time.", source="Port Authority")
        stored = post_claim(client, "The HARBOUR reopens on Monday.", source="Port Authority")
        assert next_claim(ws) == {
            "id": stored["id"],
            "text": "The HARBOUR reopens on Monday.",
            "source": {"name": "Port Authority"},
        }
        created = ok(
            client,
            "mutation($input: ClaimInput!) { createClaim(input: $input) { claim { id } } }",
            input={"text": "Harbour dues rise in May.", "source": "Port Authority"},
        )["createClaim"]["claim"]
        assert next_claim(ws)["id"] == created["id"]
        bulk = client.post(
            "/v1/claims/bulk",
            content=(
                '{"text": "Harbour cranes were inspected.", "source": "Port Authority"}\n'
                '{"text": "Cranes were inspected.", "source": "Port Authority"}\n'
            ),
            headers={"content-type": "application/x-ndjson"},
        ).json()
        assert next_claim(ws)["id"] == bulk["results"][0]["id"]
        post_claim(client, "The HARBOUR reopens on Monday.", source="Port Authority")  # exists
        assert_nothing_else_sent(ws)
        ws.send_json({"id": "1", "type": "complete"})
        wait_for_subscribers(client, 0)


def test_claims_read_from_a_document_arrive(client: TestClient) -> None:
    with subscribe(client, q="dock workers") as ws:
        wait_for_subscribers(client, 1)
        document = client.post(
            "/v1/documents",
            json={
                "text": "The Ministry of Transport said 2,650 dock workers were on strike.",
                "publisher": "Coastal Herald",
            },
        ).json()
        claim = next_claim(ws)
        assert claim["id"] in {c["claim"]["id"] for c in document["claims"]}
        assert "dock workers" in claim["text"]


def test_an_unknown_source_is_an_error_with_a_code(client: TestClient) -> None:
    with subscribe(client, sources=["Nobody At All"]) as ws:
        message = receive(ws)
        assert message["type"] in {"error", "next"}, message
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert [e["extensions"]["code"] for e in errors] == ["SOURCE_NOT_FOUND"]
    assert runtime_of(client).claim_feed.subscriber_count == 0


@pytest.fixture
def fast_sync_client(
    database_url: str, tmp_path: Path, encoder: SentenceTransformerEncoder
) -> Iterator[TestClient]:
    settings = Settings(
        database_url=database_url, index_dir=tmp_path / "index", index_sync_seconds=0.2
    )
    with TestClient(create_app(Runtime(settings, encoder=encoder))) as test_client:
        wait_until_ready(test_client)
        yield test_client


def test_claims_another_process_wrote_arrive_through_the_index_catch_up(
    fast_sync_client: TestClient, encoder: SentenceTransformerEncoder
) -> None:
    server = runtime_of(fast_sync_client)
    with subscribe(fast_sync_client, q="convoy") as ws:
        wait_for_subscribers(fast_sync_client, 1)
        # A second runtime on the same database, as `crosscheck load` would be.
        loader_runtime = Runtime(server.settings, encoder=encoder)
        loader_runtime.start(load_judge=False)
        try:
            loader = ClaimBulkLoader(
                session_factory=loader_runtime.session_factory,
                claim_index=loader_runtime.claim_index,
            )
            totals = loader.run(
                [
                    Row(line=1, raw="", data={"text": "A convoy crossed.", "source": "Wire"}),
                    Row(line=2, raw="", data={"text": "Nothing happened.", "source": "Wire"}),
                ]
            )
        finally:
            loader_runtime.close()
        assert totals.created == 2
        claim = next_claim(ws)
        assert claim["text"] == "A convoy crossed."
        assert claim["source"] == {"name": "Wire"}
        assert_nothing_else_sent(ws)


EVIDENCE_ADDED = """
subscription($claimId: Int!) {
  evidenceAdded(claimId: $claimId) { stance similarity reasons claim { id text source { name } } }
}
"""


def test_new_evidence_for_a_watched_claim_is_judged_as_it_arrives(client: TestClient) -> None:
    watched = post_claim(
        client,
        "At least 3,000 North Korean soldiers are in eastern Russia.",
        source="US National Security Council",
    )
    with subscribe(client, EVIDENCE_ADDED, claimId=watched["id"]) as ws:
        wait_for_subscribers(client, 1)
        post_claim(
            client,
            "North Korean soldiers are training in eastern Russia.",
            source="US National Security Council",  # the watched claim's own source
        )
        post_claim(client, "The harbour reopens on Monday.", source="Port Authority")
        denial = post_claim(
            client,
            "Reports of North Korean soldiers being present in Russia are false and amount to "
            "a media propaganda campaign.",
            source="Russian Ministry of Foreign Affairs",
        )
        message = receive(ws)
        assert message["type"] == "next" and message["payload"].get("errors") is None, message
        evidence = message["payload"]["data"]["evidenceAdded"]
        assert evidence["claim"]["id"] == denial["id"]
        assert evidence["stance"] == "CONTRADICTS" and evidence["reasons"]
        assert 0 < evidence["similarity"] <= 1
        assert_nothing_else_sent(ws)


def test_watching_an_unknown_claim_is_an_error_with_a_code(client: TestClient) -> None:
    with subscribe(client, EVIDENCE_ADDED, claimId=4242) as ws:
        message = receive(ws)
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert [e["extensions"]["code"] for e in errors] == ["CLAIM_NOT_FOUND"]


@pytest.fixture
def capped_client(
    database_url: str, tmp_path: Path, encoder: SentenceTransformerEncoder
) -> Iterator[TestClient]:
    settings = Settings(
        database_url=database_url,
        index_dir=tmp_path / "index",
        stance_graph=False,
        subscriptions_per_socket=2,
        subscriptions_per_caller=3,
    )
    with TestClient(create_app(Runtime(settings, encoder=encoder))) as test_client:
        wait_until_ready(test_client)
        yield test_client


def _start(ws: WebSocketTestSession, operation_id: str) -> None:
    ws.send_json({"id": operation_id, "type": "subscribe", "payload": {"query": CLAIM_ADDED}})


def test_subscriptions_are_capped_per_socket_and_per_caller(capped_client: TestClient) -> None:
    client = capped_client
    with subscribe(client) as first_socket:
        _start(first_socket, "2")
        wait_for_subscribers(client, 2)
        _start(first_socket, "3")  # a third on this socket: refused, the others run on
        refused = receive(first_socket)
        assert refused["id"] == "3", refused
        errors = refused["payload"] if refused["type"] == "error" else refused["payload"]["errors"]
        assert [e["extensions"]["code"] for e in errors] == ["SUBSCRIPTION_LIMIT"]
        with subscribe(client) as second_socket:  # the caller's third: allowed
            wait_for_subscribers(client, 3)
            _start(second_socket, "2")  # the caller's fourth: refused
            refused = receive(second_socket)
            payload = refused["payload"]
            errors = payload if refused["type"] == "error" else payload["errors"]
            assert [e["extensions"]["code"] for e in errors] == ["SUBSCRIPTION_LIMIT"]
        wait_for_subscribers(client, 2)
        post_claim(client, "The harbour reopens on Monday.", source="Port Authority")
        delivered: list[str] = []
        while len(delivered) < 2:  # the refused one's "complete" may come first
            message = receive(first_socket)
            if message["type"] == "next":
                delivered.append(message["id"])
        assert sorted(delivered) == ["1", "2"]


def test_subscribers_watching_one_claim_share_each_judgement(client: TestClient) -> None:
    watched = post_claim(
        client,
        "At least 3,000 North Korean soldiers are in eastern Russia.",
        source="US National Security Council",
    )
    judge = runtime_of(client).judge
    asked: list[tuple[str, str]] = []
    judge_pairs = judge.judge_pairs

    def recording(pairs: Any, **options: Any) -> Any:
        asked.extend(pairs)
        return judge_pairs(pairs, **options)

    judge.judge_pairs = recording  # type: ignore[method-assign]
    try:
        with contextlib.ExitStack() as sockets:
            watchers = [
                sockets.enter_context(subscribe(client, EVIDENCE_ADDED, claimId=watched["id"]))
                for _ in range(5)
            ]
            wait_for_subscribers(client, 5)
            denial = post_claim(
                client,
                "Reports of North Korean soldiers being present in Russia are false.",
                source="Russian Ministry of Foreign Affairs",
            )
            for ws in watchers:
                evidence = receive(ws)["payload"]["data"]["evidenceAdded"]
                assert evidence["claim"]["id"] == denial["id"]
    finally:
        del judge.judge_pairs
    assert asked.count((watched["text"], denial["text"])) == 1
