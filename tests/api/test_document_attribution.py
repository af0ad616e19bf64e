"""Speakers stored as entities, with the cue and confidence of each attribution, over the API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from crosscheck.documents.service import unattributed_source_name
from crosscheck.sources.schemas import MAX_SOURCE_NAME_CHARS

LONG_SPEAKER = (
    "Coast Herald\n"
    '"The port will reopen on Monday with full staffing," said the people who have lived along '
    "the river for generations and watched the water rise every spring.\n"
    "Anna Berg, a spokeswoman for The People Who Have Lived Along The River For Generations And "
    "Who Have Watched The Water Rise Every Spring Since The Dam Was Built, said 40 ships were "
    "waiting.\n"
    '"We had 12 cranes working," Harbour Master Ola Brandt said. "Only three are left now."\n'
    "Senator Mira Castell, who chairs the transport committee, said the closure had cost 9 "
    "million crowns a day.\n"
    "Edvard Lunde of the Institute for Maritime Studies said 40 ships were waiting offshore.\n"
)


def test_a_quote_nobody_is_named_for_is_listed_unattributed_and_no_name_runs_on(
    client: TestClient,
) -> None:
    response = client.post(
        "/v1/documents", json={"text": LONG_SPEAKER, "publisher": "Coast Herald"}
    )
    assert response.status_code == 201, response.text
    document = response.json()
    (fallback,) = document["unattributed"]
    assert fallback["quote"].startswith('"The port will reopen')
    assert fallback["attributed"] is False and fallback["cue"] == "unattributed"
    assert fallback["confidence"] == 0.0 and fallback["speaker"] is None
    assert fallback["claim"]["source"]["name"] == "Coast Herald (speaker not named)"
    sources = client.get("/v1/sources", params={"limit": 100}).json()["items"]
    assert all(len(source["name"]) <= 100 for source in sources)


def test_titles_and_affiliations_move_off_the_name_into_aliases(client: TestClient) -> None:
    document = client.post(
        "/v1/documents", json={"text": LONG_SPEAKER, "publisher": "Coast Herald"}
    ).json()
    by_quote = {a["quote"][:20]: a for a in document["claims"]}
    senator = by_quote["Senator Mira Castell"]
    assert senator["claim"]["source"]["name"] == "Mira Castell"
    assert senator["speaker"] == "Mira Castell"
    assert senator["cue"] == "speech verb" and 0 < senator["confidence"] <= 1
    analyst = by_quote["Edvard Lunde of the "]
    assert analyst["claim"]["source"]["name"] == "Edvard Lunde"
    continued = by_quote['"Only three are left']
    assert continued["cue"] == "quote continues" and continued["speaker"] == "Ola Brandt"
    source_id = senator["claim"]["source"]["id"]
    source = client.get(f"/v1/sources/{source_id}").json()
    assert "Senator Mira Castell" in source["aliases"]
    # the titled name now finds the same source
    again = client.post(
        "/v1/documents",
        json={
            "text": "Senator Mira Castell said the port had lost 3 contracts in May.\n",
            "publisher": "Coast Herald",
        },
    ).json()
    assert again["claims"][0]["claim"]["source"]["id"] == source_id


def test_cues_over_graphql(client: TestClient) -> None:
    document_id = client.post(
        "/v1/documents", json={"text": LONG_SPEAKER, "publisher": "Coast Herald"}
    ).json()["id"]
    query = (
        "query($id: Int!) { document(id: $id) { unattributed { cue attributed confidence quote } "
        "claims(first: 10) { edges { node { cue confidence attributed speaker } } } } }"
    )
    answer = client.post("/graphql", json={"query": query, "variables": {"id": document_id}})
    data = answer.json()["data"]["document"]
    assert [u["cue"] for u in data["unattributed"]] == ["unattributed"]
    cues = {edge["node"]["cue"] for edge in data["claims"]["edges"]}
    assert {"speech verb", "quote continues", "unattributed"} <= cues


def test_the_fallback_source_of_a_long_publisher_name_still_fits() -> None:
    name = unattributed_source_name("Gazette " * 30)
    assert len(name) <= MAX_SOURCE_NAME_CHARS and name.endswith("Gazette (speaker not named)")
