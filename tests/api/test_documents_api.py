"""Articles in, attributed claims out, over REST and GraphQL."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from crosscheck.documents.schemas import MAX_DOCUMENT_CHARS
from tests.factories import assert_error

ARTICLES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"

HARBOUR = (
    "Coastal Herald\n"
    "Port strike enters second week\n"
    '"Our members walked out at 6 a.m. on Monday," said Jane Roe, spokesperson for the Harbour Workers Union. '
    '"Our members have waited six years for a raise."\n'
    "The port authority said 2,650 workers were absent from their shifts on Wednesday.\n"
    "The Daily Ledger reported, citing two officials at the Ministry of Transport, that emergency "
    "legislation had been drafted.\n"
    "The Ministry of Transport denied that any legislation had been drafted.\n"
)


def test_ingest_attributes_claims_to_who_asserted_them(client: TestClient) -> None:
    response = client.post(
        "/v1/documents",
        json={
            "text": HARBOUR,
            "publisher": "Coastal Herald",
            "title": "Port strike",
            "url": "https://example.org/a",
        },
    )
    assert response.status_code == 201, response.text
    document = response.json()
    assert response.headers["location"] == f"/v1/documents/{document['id']}"
    sources = {a["claim"]["source"]["name"] for a in document["claims"]}
    assert {"Harbour Workers Union", "Ministry of Transport"} <= sources
    assert "Coastal Herald" not in sources
    union = [
        a for a in document["claims"] if a["claim"]["source"]["name"] == "Harbour Workers Union"
    ]
    assert {a["speaker"] for a in union} == {"Jane Roe"} and len(union) == 2
    relayed = next(a for a in document["claims"] if a["relayed_by"])
    assert (
        relayed["relayed_by"] == ["Daily Ledger"]
        and relayed["claim"]["source"]["name"] == "Ministry of Transport"
    )
    denial = next(a for a in document["claims"] if a["claim"]["polarity"] == "denies")
    assert denial["claim"]["source"]["name"] == "Ministry of Transport"
    for appearance in document["claims"]:
        assert HARBOUR[appearance["start"] : appearance["end"]] == appearance["quote"]
    assert client.get(f"/v1/documents/{document['id']}").json() == document
    assert client.get("/readyz").json()["claims_indexed"] == document["claim_count"]


def test_the_same_statement_in_two_documents_is_one_claim_with_two_appearances(
    client: TestClient,
) -> None:
    first = client.post(
        "/v1/documents", json={"text": HARBOUR, "publisher": "Coastal Herald"}
    ).json()
    again = client.post("/v1/documents", json={"text": HARBOUR, "publisher": "Coastal Herald"})
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    reprint = client.post(
        "/v1/documents",
        json={"text": HARBOUR.replace("Coastal Herald", "Bay Times"), "publisher": "Bay Times"},
    )
    assert reprint.status_code == 201
    second = reprint.json()
    shared = {a["claim"]["id"] for a in first["claims"]} & {
        a["claim"]["id"] for a in second["claims"]
    }
    assert len(shared) >= 4
    listing = client.get("/v1/documents", params={"limit": 1}).json()
    assert listing["total"] == 2 and listing["next_cursor"]


def test_independent_origins_count_once_however_many_outlets_relay_them(client: TestClient) -> None:
    text = (
        "The Ministry of Transport said 2,650 dock workers were on strike at the port on Wednesday."
    )
    for outlet in ("Bay Times", "Coastal Herald", "Harbour Post"):
        assert (
            client.post("/v1/documents", json={"text": text, "publisher": outlet}).status_code
            == 201
        )
    client.post(
        "/v1/claims",
        json={
            "text": "Around 2,600 dock workers are on strike at the port.",
            "source": "Port Authority",
        },
    )
    answer = client.post(
        "/v1/verify", json={"text": "About 2,650 dock workers are striking at the port."}
    ).json()
    summary = answer["summary"]
    names = {s["name"] for s in summary["corroborating_sources"]}
    assert "Ministry of Transport" in names
    assert summary["corroborating_origins"] == len(names) <= 2
    assert summary["verdict"] == answer["verdict"]


def test_bad_documents_are_refused_and_nothing_is_stored(client: TestClient) -> None:
    assert_error(
        client.post("/v1/documents", json={"text": "  ", "publisher": "X"}),
        422,
        "validation_error",
        "text",
    )
    assert_error(
        client.post("/v1/documents", json={"text": "ok text here"}),
        422,
        "validation_error",
        "publisher",
    )
    binary = "PK\x03\x04" + "\x00\x01\x02" * 50
    assert_error(
        client.post("/v1/documents", json={"text": binary, "publisher": "X"}),
        422,
        "validation_error",
        "text",
    )
    mojibake = "Caf\ufffd owner said the \ufffd\ufffd figures were wrong."
    assert_error(
        client.post("/v1/documents", json={"text": mojibake, "publisher": "X"}), 422, field="text"
    )
    big = "word " * (MAX_DOCUMENT_CHARS // 5 + 10)
    assert_error(
        client.post("/v1/documents", json={"text": big, "publisher": "X"}), 422, field="text"
    )
    assert_error(client.get("/v1/documents/999"), 404, "document_not_found")
    assert client.get("/v1/documents").json()["total"] == 0
    assert client.get("/v1/sources").json()["total"] == 0


def test_documents_over_graphql(client: TestClient) -> None:
    mutation = """
    mutation($input: DocumentInput!) {
      ingestDocument(input: $input) {
        created
        document { id claimCount claims { totalCount edges { node { quote speaker relayedBy claim { text polarity source { name } } } } } }
      }
    }
    """
    body = client.post(
        "/graphql",
        json={
            "query": mutation,
            "variables": {"input": {"text": HARBOUR, "publisher": "Coastal Herald"}},
        },
    ).json()
    assert body.get("errors") is None, body
    payload = body["data"]["ingestDocument"]
    assert payload["created"] is True
    appearances = [edge["node"] for edge in payload["document"]["claims"]["edges"]]
    assert payload["document"]["claims"]["totalCount"] == len(appearances)
    assert any(c["claim"]["source"]["name"] == "Harbour Workers Union" for c in appearances)
    query = "query($id: Int!) { document(id: $id) { claimCount } documents { totalCount } }"
    data = client.post(
        "/graphql", json={"query": query, "variables": {"id": payload["document"]["id"]}}
    ).json()["data"]
    assert data == {
        "document": {"claimCount": payload["document"]["claimCount"]},
        "documents": {"totalCount": 1},
    }
    bad = client.post(
        "/graphql", json={"query": mutation, "variables": {"input": {"text": "", "publisher": "X"}}}
    ).json()
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_plain_text_upload_honours_the_declared_charset(client: TestClient) -> None:
    text = "The Ministry of Transport said 2,650 dock workers in Saint-Étienne were on strike on Wednesday."
    response = client.post(
        "/v1/documents/upload",
        params={"publisher": "Coastal Herald"},
        content=text.encode("latin-1"),
        headers={"content-type": "text/plain; charset=latin-1"},
    )
    assert response.status_code == 201, response.text
    assert "Saint-Étienne" in response.json()["text"]
    assert_error(
        client.post(
            "/v1/documents/upload",
            params={"publisher": "X"},
            content=b"abc def ghi jkl",
            headers={"content-type": "text/plain; charset=klingon-8"},
        ),
        415,
        "unsupported_media_type",
        "content-type",
    )
    assert_error(
        client.post(
            "/v1/documents/upload",
            params={"publisher": "X"},
            content="caf\u00e9 au lait".encode("latin-1"),
            headers={"content-type": "text/plain; charset=utf-8"},
        ),
        422,
        "invalid_input",
        "body",
    )
    assert_error(
        client.post(
            "/v1/documents/upload",
            params={"publisher": "X"},
            content=b"\x89PNG\r\n\x1a\n\x00\x00\x00",
            headers={"content-type": "image/png"},
        ),
        415,
        "unsupported_media_type",
    )
    assert_error(
        client.post(
            "/v1/documents/upload",
            params={"publisher": "X"},
            content=b"   ",
            headers={"content-type": "text/plain"},
        ),
        422,
        "invalid_input",
        "text",
    )
    assert client.get("/v1/documents").json()["total"] == 1
