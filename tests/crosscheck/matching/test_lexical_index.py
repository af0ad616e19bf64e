"""The lexical index lives in the claims database and moves with it: insert, bulk, delete,
rebuild; on SQLite (FTS5) and PostgreSQL (full-text search)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from crosscheck.database import create_db_engine
from crosscheck.matching import lexical
from crosscheck.matching.lexical import FTS_TABLE, rebuild_lexical_index, search_lexical
from crosscheck.migrations import upgrade
from crosscheck.runtime import Runtime

ROWS = [
    {
        "text": f"Inspectors counted {n * 7 + 3} flooded cellars in Marlow ward {n}.",
        "source": "Wire",
    }
    for n in range(40)
]


def _found(runtime: Runtime, query: str) -> list[int]:
    with runtime.session_factory() as session:
        return [claim_id for claim_id, _ in search_lexical(session=session, query=query, limit=50)]


def test_claims_in_and_out_through_the_api_move_the_lexical_index(client: TestClient) -> None:
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    assert _found(runtime, "flooded cellars Marlow") == []
    body = "\n".join(json.dumps(row) for row in ROWS)
    response = client.post(
        "/v1/claims/bulk", content=body, headers={"content-type": "application/x-ndjson"}
    )
    assert response.status_code == 200, response.text
    bulk_ids = [result["id"] for result in response.json()["results"]]
    single = client.post(
        "/v1/claims", json={"text": "Marlow cellars stayed dry", "source": "Mayor"}
    )
    assert single.status_code == 201
    assert set(_found(runtime, "flooded cellars Marlow")) == {*bulk_ids, single.json()["id"]}
    # The rarest word decides: the one claim with its figure comes first.
    assert _found(runtime, f"counted {5 * 7 + 3} cellars")[0] == bulk_ids[5]

    assert client.delete(f"/v1/claims/{bulk_ids[5]}").status_code == 204
    assert bulk_ids[5] not in _found(runtime, "flooded cellars Marlow")
    assert bulk_ids[5] not in _found(runtime, f"counted {5 * 7 + 3} cellars")


def test_a_rebuild_restores_an_emptied_lexical_index(client: TestClient) -> None:
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    created = client.post(
        "/v1/claims", json={"text": "Marlow ferry resumes on Monday", "source": "Port"}
    )
    claim_id = created.json()["id"]
    with runtime.session_factory() as session:
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')"))
            session.commit()
            assert _found(runtime, "Marlow ferry") == []
        rebuild_lexical_index(session)
    assert _found(runtime, "Marlow ferry") == [claim_id]


def test_words_most_claims_hold_are_left_out_of_large_queries(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    body = "\n".join(json.dumps(row) for row in ROWS)
    client.post("/v1/claims/bulk", content=body, headers={"content-type": "application/x-ndjson"})
    with runtime.session_factory() as session:
        if session.get_bind().dialect.name != "sqlite":
            pytest.skip("the vocabulary counts are SQLite's (FTS5); PostgreSQL ranks every word")
        query = ["inspectors", "counted", "flooded", "cellars", "ward", "38", "marlow"]
        # Every claim holds the words but the figure: as a store's common words, they go.
        monkeypatch.setattr(lexical, "COMMON_MIN_CLAIMS", 1)
        assert lexical._rarest(session, query)[0] == "38"
        assert len(lexical._rarest(session, query)) == lexical.MIN_TERMS
        # In a store this small no word is common enough to leave out.
        monkeypatch.setattr(lexical, "COMMON_MIN_CLAIMS", 1000)
        assert set(lexical._rarest(session, query)) == set(query)


def test_a_claims_title_is_matched_as_words_as_its_text_is(client: TestClient) -> None:
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    single = client.post(
        "/v1/claims",
        json={
            "text": "Ninety cellars flooded overnight.",
            "source": "Wire",
            "title": "Did the Marlow embankment collapse?",
        },
    )
    assert single.status_code == 201, single.text
    assert single.json()["title"] == "Did the Marlow embankment collapse?"
    row = {"text": "The river rose two metres.", "source": "Wire", "title": "Marlow embankment"}
    bulk = client.post(
        "/v1/claims/bulk", content=json.dumps(row), headers={"content-type": "application/x-ndjson"}
    )
    bulk_id = bulk.json()["results"][0]["id"]
    assert client.get(f"/v1/claims/{bulk_id}").json()["title"] == "Marlow embankment"
    # Neither text holds "embankment": only the titles do.
    assert set(_found(runtime, "embankment")) == {single.json()["id"], bulk_id}
    assert client.delete(f"/v1/claims/{bulk_id}").status_code == 204
    assert _found(runtime, "embankment") == [single.json()["id"]]


@pytest.mark.postgres
def test_postgresql_answers_a_lexical_query_from_its_index(postgres_url: str) -> None:
    upgrade(postgres_url)
    engine = create_db_engine(postgres_url)
    try:
        with Session(engine) as session:
            # The query must spell the index's expression for the planner to use it; with
            # table scans priced out, a query that does not would still show one.
            session.execute(text("SET LOCAL enable_seqscan = off"))
            query = lexical.postgresql_query(["marlow", "embankment"], 10, [])
            sql = query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
            plan = list(session.execute(text(f"EXPLAIN {sql}")).scalars())
    finally:
        engine.dispose()
    assert any(lexical.PG_INDEX in line for line in plan), plan
