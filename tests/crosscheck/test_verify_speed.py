"""Making verification cheaper changes no answer: cached judgements, reused vectors, batching."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt
from fastapi.testclient import TestClient

from crosscheck.settings import DEFAULT_STANCE_MODEL
from crosscheck.stance.engine import StanceEngine
from crosscheck.stance.schemas import StanceJudgement
from embeddings.encoders.base import Vectors
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder

CLAIM = "North Korean soldiers are in Russia."
EVIDENCE = [
    "The US says at least 3,000 North Korean soldiers have been sent to eastern Russia.",
    "Russia's foreign ministry dismissed reports of North Korean troops as propaganda.",
    "About 500 litres of solvent leaked into the river near Riverton.",
    "South Korea's spy agency said 1,500 special forces were sent. Another 1,500 are expected.",
]


class CountingEncoder:
    """The real encoder, remembering which texts it was asked to encode."""

    def __init__(self, inner: SentenceTransformerEncoder) -> None:
        self.inner = inner
        self.encoded: list[str] = []

    @property
    def model_name(self) -> str:
        return self.inner.model_name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.encoded.extend(texts)
        return self.inner.encode(texts)


class CountingClassifier:
    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.pairs = 0

    def predict(self, claims: Sequence[str], evidences: Sequence[str]) -> npt.NDArray[np.float32]:
        self.pairs += len(claims)
        result: npt.NDArray[np.float32] = self.inner.predict(claims, evidences)
        return result


def _engine(encoder: Any, cache: int = 0) -> StanceEngine:
    return StanceEngine.from_directory(encoder, DEFAULT_STANCE_MODEL, judgement_cache_size=cache)


def _same(a: list[StanceJudgement], b: list[StanceJudgement]) -> None:
    assert [j.stance for j in a] == [j.stance for j in b]
    assert [j.reasons for j in a] == [j.reasons for j in b]
    np.testing.assert_allclose([j.confidence for j in a], [j.confidence for j in b], atol=0.002)


def test_a_repeated_pair_is_judged_once(encoder: SentenceTransformerEncoder) -> None:
    engine = _engine(encoder, cache=100)
    assert engine.classifier is not None
    counting = CountingClassifier(engine.classifier)
    engine.classifier = counting
    first = engine.judge_many(CLAIM, EVIDENCE, statements=True)
    pairs = counting.pairs
    assert pairs > 0
    again = engine.judge_many(CLAIM, EVIDENCE, statements=True)
    assert counting.pairs == pairs
    assert again == first
    # Another mode is another question.
    engine.judge_many(CLAIM, EVIDENCE[:1], statements=False)
    assert counting.pairs > pairs


def test_known_vectors_spare_the_encoder_and_change_no_judgement(
    encoder: SentenceTransformerEncoder,
) -> None:
    plain = _engine(encoder).judge_many(CLAIM, EVIDENCE, statements=True)
    counting = CountingEncoder(encoder)
    texts = [CLAIM, *EVIDENCE]
    known = dict(zip(texts, encoder.encode(texts), strict=True))
    reused = _engine(counting).judge_many(CLAIM, EVIDENCE, statements=True, known_vectors=known)
    _same(plain, reused)
    # Only the two-sentence statement's sentences still need encoding, and what a denial
    # denies (weighed against the claim by the scoped rules).
    assert set(counting.encoded) == {
        "South Korea's spy agency said 1,500 special forces were sent.",
        "Another 1,500 are expected.",
        "North Korean troops",
    }


def test_verify_reports_where_the_time_went(demo_client: TestClient) -> None:
    response = demo_client.post("/v1/verify", json={"text": CLAIM})
    assert response.status_code == 200
    steps = dict(
        part.strip().split(";dur=") for part in response.headers["server-timing"].split(",")
    )
    assert set(steps) == {"encode", "lexical", "search", "fetch", "judge", "timelines"}
    assert all(float(value) >= 0 for value in steps.values())


def test_concurrent_verifications_answer_as_sequential_ones(demo_client: TestClient) -> None:
    queries = [
        "North Korean soldiers are in Russia",
        "Russia denies hosting North Korean troops",
        "Only about 500 litres of solvent leaked into the river",
        "Riverton tap water is safe to drink",
    ] * 4
    sequential = [demo_client.post("/v1/verify", json={"text": q}).json() for q in queries]
    graphql = (
        "query($t: String!) { verify(text: $t) { verdict corroborating { claim { id } } "
        "contradicting { claim { id } } } }"
    )

    def both(query: str) -> tuple[Any, Any]:
        rest = demo_client.post("/v1/verify", json={"text": query})
        gql = demo_client.post("/graphql", json={"query": graphql, "variables": {"t": query}})
        assert rest.status_code == gql.status_code == 200
        return rest.json(), gql.json()

    with ThreadPoolExecutor(8) as pool:
        concurrent = list(pool.map(both, queries))
    for want, (rest, gql) in zip(sequential, concurrent, strict=True):
        assert rest == want
        assert gql.get("errors") is None
        assert gql["data"]["verify"]["verdict"].lower() == want["verdict"]
        assert [c["claim"]["id"] for c in gql["data"]["verify"]["corroborating"]] == [
            c["claim"]["id"] for c in want["corroborating"]
        ]
    runtime = demo_client.app.state.runtime  # type: ignore[attr-defined]
    assert runtime.encoder.batches > 0
