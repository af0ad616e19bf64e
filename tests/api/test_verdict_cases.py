"""Six claims a journalist checks against the demo data, over REST and over GraphQL.

Each answer is what a journalist expects: the water utility backs the safety of the water, the
hospital backs the count of patients, the US and the NIS each contradict "only 500" once, weapon
containers are not troops, absence of evidence is not a denial, and an unsupported language is
said rather than guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_graphql import ok

Answer = dict[str, Any]

GRAPHQL = """
query Verify($text: String!, $asOf: DateTime) {
  verify(text: $text, asOf: $asOf) {
    verdict
    language
    notices { code message field }
    summary {
      corroboratingSources { name }
      contradictingSources { name }
      dividedSources { name }
    }
    corroborating { claim { text source { name } } counted reasons }
    contradicting { claim { text source { name } } counted reasons }
    related { claim { text source { name } } stance }
  }
}
"""


def _rest(client: TestClient, text: str, as_of: str | None) -> Answer:
    body: dict[str, Any] = {"text": text}
    if as_of is not None:
        body["as_of"] = as_of
    response = client.post("/v1/verify", json=body)
    assert response.status_code == 200, response.text
    answer: Answer = response.json()
    return answer


def _graphql(client: TestClient, text: str, as_of: str | None) -> Answer:
    """The GraphQL answer in the REST answer's shape, so one set of checks reads both."""
    answer = ok(client, GRAPHQL, text=text, asOf=as_of)["verify"]
    summary = answer["summary"]
    return {
        "verdict": answer["verdict"].lower(),
        "language": answer["language"],
        "notices": answer["notices"],
        "summary": {
            "corroborating_sources": summary["corroboratingSources"],
            "contradicting_sources": summary["contradictingSources"],
            "divided_sources": summary["dividedSources"],
        },
        "corroborating": answer["corroborating"],
        "contradicting": answer["contradicting"],
        "related": answer["related"],
    }


Ask = Callable[[TestClient, str, str | None], Answer]
API: list[Any] = [pytest.param(_rest, id="rest"), pytest.param(_graphql, id="graphql")]


def _names(answer: Answer, side: str) -> list[str]:
    return [source["name"] for source in answer["summary"][f"{side}_sources"]]


def _texts(answer: Answer, side: str) -> list[str]:
    return [item["claim"]["text"] for item in answer[side]]


@pytest.mark.parametrize("ask", API)
def test_the_utility_backs_safe_tap_water(demo_client: TestClient, ask: Ask) -> None:
    answer = ask(demo_client, "Tap water in Riverton is safe to drink", None)
    assert answer["verdict"] == "corroborated", answer
    assert "Riverton Municipal Water Utility" in _names(answer, "corroborating")
    assert "Riverton Municipal Water Utility" not in _names(answer, "contradicting")


@pytest.mark.xfail(
    strict=True,
    reason="the hospital corroborates and the mayor's 'nobody was harmed' contradicts, but the "
    "shipped judge also reads the containment-booms statement as contradicting (0.80)",
)
@pytest.mark.parametrize("ask", API)
def test_the_hospital_backs_the_count_of_patients(demo_client: TestClient, ask: Ask) -> None:
    answer = ask(
        demo_client, "Twelve people needed hospital treatment after the Halvorsen leak", None
    )
    assert answer["verdict"] == "corroborated", answer
    assert "St. Brigid Regional Hospital" in _names(answer, "corroborating")
    assert not any("boom" in text for text in _texts(answer, "contradicting")), answer


@pytest.mark.parametrize("ask", API)
def test_only_500_troops_is_contradicted_by_each_source_once(
    demo_client: TestClient, ask: Ask
) -> None:
    answer = ask(demo_client, "Only 500 North Korean troops are in Russia", None)
    assert answer["verdict"] == "contradicted", answer
    contradicting = Counter(_names(answer, "contradicting"))
    for source in ("US National Security Council", "South Korea National Intelligence Service"):
        assert contradicting[source] == 1, answer["summary"]
        assert source not in _names(answer, "corroborating")
    # Every statement stays listed; one per source is the one it is counted by.
    counted = Counter(
        item["claim"]["source"]["name"] for item in answer["contradicting"] if item["counted"]
    )
    assert all(n == 1 for n in counted.values()), counted


@pytest.mark.parametrize("ask", API)
def test_containers_of_weapons_are_not_troops(demo_client: TestClient, ask: Ask) -> None:
    answer = ask(demo_client, "North Korea has sent 3,000 soldiers to Russia", None)
    sided = _texts(answer, "corroborating") + _texts(answer, "contradicting")
    assert not any("containers" in text for text in sided), answer
    assert "US National Security Council" in _names(answer, "corroborating")


@pytest.mark.parametrize("ask", API)
def test_no_indication_is_not_a_denial(demo_client: TestClient, ask: Ask) -> None:
    answer = ask(demo_client, "North Korean soldiers are in Russia", "2024-10-17T00:00:00Z")
    assert not any("no indication" in text for text in _texts(answer, "contradicting")), answer
    assert any("no indication" in item["claim"]["text"] for item in answer["related"]), answer
    assert answer["verdict"] == "unverified"


@pytest.mark.parametrize("ask", API)
def test_an_unsupported_language_is_said(demo_client: TestClient, ask: Ask) -> None:
    answer = ask(demo_client, "Nordkoreanische Soldaten sind in Russland", None)
    assert answer["verdict"] == "unverified"
    assert answer["language"] == "de"
    notice = answer["notices"][0]
    assert notice["code"] == "unsupported_language" and notice["field"] == "text"
    assert "(de)" in notice["message"]
