"""Times that overflow once moved to UTC and text with control or invisible characters: a 4xx
naming the field (a GraphQL error with a code), one bad bulk row rejecting only itself, and the
same rule on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

NDJSON = {"content-type": "application/x-ndjson"}
# Valid ISO 8601, but past year 9999 (or before year 1) once converted to UTC.
OVERFLOWING = ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"]
NUL = "\u0000"


def _refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field, response.text


def _graphql(client: TestClient, query: str) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("moment", OVERFLOWING)
def test_a_time_out_of_range_in_utc_is_refused_with_its_field(
    client: TestClient, moment: str
) -> None:
    _refused(client.get("/v1/claims", params={"stated_to": moment}), "stated_to")
    _refused(client.get("/v1/claims", params={"stated_from": moment}), "stated_from")
    _refused(
        client.post(
            "/v1/claims", json={"text": "A dam burst.", "source": "A", "stated_at": moment}
        ),
        "stated_at",
    )
    _refused(client.post("/v1/verify", json={"text": "A dam burst.", "as_of": moment}), "as_of")
    document = {"text": "The dam burst.", "publisher": "P", "published_at": moment}
    _refused(client.post("/v1/documents", json=document), "published_at")
    for query in (
        f'{{ verify(text: "A dam burst.", asOf: "{moment}") {{ verdict }} }}',
        f'{{ claims(statedTo: "{moment}") {{ totalCount }} }}',
    ):
        errors = _graphql(client, query)["errors"]
        assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", errors
        assert "out of range" in errors[0]["message"]
    assert client.get("/v1/claims").json()["total"] == 0


def test_one_bad_row_in_a_bulk_load_rejects_only_itself(client: TestClient) -> None:
    rows = [
        {"text": "The dam burst on Monday.", "source": "A"},
        {"text": "The dam held.", "source": "A", "stated_at": OVERFLOWING[0]},
        {"text": "Rescuers arrived.", "source": "A", "external_id": f"x{NUL}1"},
        {"text": f"The bridge{NUL} closed.", "source": f"B{NUL}"},
    ]
    body = "\n".join(json.dumps(row) for row in rows).encode()
    response = client.post("/v1/claims/bulk", content=body, headers=NDJSON)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [result["status"] for result in results] == ["created", "error", "error", "created"]
    assert [result["error"]["field"] for result in results[1:3]] == ["stated_at", "external_id"]
    stored = {
        claim["text"]: claim["source"]["name"] for claim in client.get("/v1/claims").json()["items"]
    }
    assert stored == {"The dam burst on Monday.": "A", "The bridge closed.": "B"}


def test_control_characters_are_cleaned_from_statements_and_names_and_refused_elsewhere(
    client: TestClient,
) -> None:
    created = client.post("/v1/claims", json={"text": f"The dam{NUL} burst.", "source": f"A{NUL}"})
    assert created.status_code == 201, created.text
    assert (created.json()["text"], created.json()["source"]["name"]) == ("The dam burst.", "A")
    # Nothing visible: only NULs, zero-width spaces, a byte-order mark.
    for text in (NUL * 3, "\u200b\u200b", "\ufeff \u200d"):
        _refused(client.post("/v1/claims", json={"text": text, "source": "A"}), "text")
    _refused(client.post("/v1/sources", json={"name": "\u200b"}), "name")
    _refused(client.post("/v1/sources", json={"name": "C", "country": f"x{NUL}"}), "country")
    _refused(
        client.post("/v1/claims", json={"text": "A bridge.", "source": "A", "external_id": NUL}),
        "external_id",
    )
    _refused(client.get("/v1/claims", params={"q": f"dam{NUL}"}), "q")
    _refused(client.get("/v1/sources", params={"q": f"A{NUL}"}), "q")
    _refused(client.get("/v1/sources", params={"country": f"x{NUL}"}), "country")
    errors = _graphql(client, '{ claims(q: "dam\\u0000") { totalCount } }')["errors"]
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT", errors
    verified = client.post("/v1/verify", json={"text": "The dam burst.", "sources": [f"A{NUL}"]})
    assert verified.status_code == 200, verified.text
    assert [claim["text"] for claim in client.get("/v1/claims").json()["items"]] == [
        "The dam burst."
    ]


@pytest.mark.parametrize("name", ["\u001b", "\U00053a94", "\u200b\u001b"])
def test_a_source_name_that_shows_nothing_once_cleaned_is_refused_wherever_it_enters(
    client: TestClient, name: str
) -> None:
    _refused(
        client.post("/v1/documents", json={"text": "The dam burst.", "publisher": name}),
        "publisher",
    )
    upload = client.post(
        "/v1/documents/upload",
        params={"publisher": name},
        content=b"The dam burst.",
        headers={"content-type": "text/plain"},
    )
    _refused(upload, "publisher")
    _refused(client.post("/v1/claims", json={"text": "The dam burst.", "source": name}), "source")
    _refused(client.post("/v1/sources", json={"name": "B", "aliases": [name]}), "aliases.0")
    assert client.get("/v1/documents").json()["items"] == []
    assert client.get("/v1/claims").json()["items"] == []


DEEP = "[" * 100_000 + "]" * 100_000


def test_json_nested_past_the_parser_is_a_4xx_or_a_row_error(client: TestClient) -> None:
    line = client.post("/v1/claims/bulk", content=DEEP.encode(), headers=NDJSON)
    assert line.status_code == 200, line.text
    assert line.json()["results"][0]["error"]["message"] == "not valid JSON: nested too deeply"
    array = client.post(
        "/v1/claims/bulk", content=DEEP.encode(), headers={"content-type": "application/json"}
    )
    _refused(array, "body")
    graphql = client.post(
        "/graphql",
        content=f'{{"query": "{{ __typename }}", "variables": {DEEP}}}'.encode(),
        headers={"content-type": "application/json"},
    )
    assert graphql.status_code == 400, graphql.text
    assert graphql.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize("charset", ["zlib", "base64", "rot13", "hex", "bz2", "uu"])
def test_an_upload_in_a_codec_that_is_not_a_text_encoding_is_a_415(
    client: TestClient, charset: str
) -> None:
    response = client.post(
        "/v1/documents/upload",
        params={"publisher": "P"},
        content=b"The dam burst on Monday.",
        headers={"content-type": f"text/plain; charset={charset}"},
    )
    assert response.status_code == 415, response.text
    assert response.json()["error"]["field"] == "content-type"
