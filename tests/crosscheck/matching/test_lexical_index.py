"""The lexical index lives in the claims database and moves with it: insert, bulk, delete,
rebuild; on SQLite (FTS5) and PostgreSQL (full-text search)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from crosscheck.matching import lexical
from crosscheck.matching.lexical import FTS_TABLE, rebuild_lexical_index, search_lexical
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
