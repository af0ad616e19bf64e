"""Keyed articles mangled the ways real copy is (shuffled, long quotes, punctuation lost, one
paragraph): ingestion stores them or refuses them with a 4xx, never a 5xx."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from crosscheck.attribution.extractor import extract_statements
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from crosscheck.sources.schemas import MAX_SOURCE_NAME_CHARS
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder
from tests.conftest import wait_until_ready

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
KEYED_SETS = ("articles", "articles-heldout", "articles-dev", "articles-eval")
_SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s+")
_QUOTED = re.compile(r"([\"“])([^\"“”]{20,400})([\"”])")


def _articles() -> list[Path]:
    return sorted(p for name in KEYED_SETS for p in (FIXTURES / name).glob("*.txt"))


def _shuffled(text: str, rng: random.Random) -> str:
    sentences = _SENTENCE_END.split(text)
    rng.shuffle(sentences)
    return " ".join(sentences)


def _long_quotes(text: str, rng: random.Random) -> str:
    """Quotes run on for thousands of characters; a quote fragment stands where a name goes."""
    fragment = " ".join(text.split()[40:110]).replace('"', "").title()
    stretched = _QUOTED.sub(lambda m: m.group(1) + (m.group(2) + " ") * 12 + m.group(3), text)
    opening = f'"{fragment * 2}," said {fragment}.\n'
    return opening + stretched + f'\n"{fragment}" {fragment} told reporters.\n'


_BODY_NAME = re.compile(
    r"\b(?:[A-Z][a-z]+\s){1,3}(?:Ministry|Agency|Authority|Union|Council|Department|Association|"
    r"Institute|Bank|Company|Office|Commission|Service|Police|Court|Group)\b"
)


def _long_names(text: str, rng: random.Random) -> str:
    """Bodies whose names run on for a paragraph, wherever the text names one."""
    words = [w.strip('.,"“”') for w in text.split()[30:]]

    def run_on(match: re.Match[str]) -> str:
        start = rng.randrange(max(1, len(words) - 40))
        return match.group(0) + " Of The " + " ".join(words[start : start + 40]).title()

    return _BODY_NAME.sub(run_on, text)


def _no_punctuation(text: str, rng: random.Random) -> str:
    return re.sub(r"[.,;:\"“”‘’'!?()—-]", "", text)


def _one_paragraph(text: str, rng: random.Random) -> str:
    return " ".join(text.split())


MANGLINGS: dict[str, Callable[[str, random.Random], str]] = {
    "shuffled": _shuffled,
    "long quotes": _long_quotes,
    "long names": _long_names,
    "no punctuation": _no_punctuation,
    "one paragraph": _one_paragraph,
}


def _mangled() -> Iterator[tuple[str, str]]:
    rng = random.Random(19)
    for article in _articles():
        text = article.read_text()
        publisher = text.splitlines()[0]
        for name, mangle in MANGLINGS.items():
            yield f"{article.stem} {name}: {publisher}", mangle(text, rng)


def test_the_keyed_sets_are_there() -> None:
    assert len(_articles()) >= 45


def test_extraction_names_no_source_longer_than_a_name() -> None:
    for label, text in _mangled():
        publisher = label.split(": ", 1)[1]
        for statement in extract_statements(text, publisher):
            names = [statement.source, statement.person or "", *statement.relayed_by]
            assert all(len(n) <= MAX_SOURCE_NAME_CHARS for n in names), label
            assert not statement.source.startswith('"'), label


@pytest.fixture
def unlimited_client(
    settings: Settings, encoder: SentenceTransformerEncoder
) -> Iterator[TestClient]:
    """The real app on the test database, with no limit on writes per minute."""
    unlimited = settings.model_copy(update={"rate_limit_write": None})
    with TestClient(create_app(Runtime(unlimited, encoder=encoder))) as test_client:
        wait_until_ready(test_client)
        yield test_client


@pytest.mark.slow
def test_mangled_articles_never_make_ingestion_fail(unlimited_client: TestClient) -> None:
    client = unlimited_client
    statuses: dict[int, list[str]] = {}
    for label, text in _mangled():
        publisher = label.split(": ", 1)[1]
        response = client.post("/v1/documents", json={"text": text, "publisher": publisher})
        statuses.setdefault(response.status_code, []).append(label)
        assert response.status_code < 500, (label, response.text)
    assert set(statuses) <= {200, 201}, {code: labels[:3] for code, labels in statuses.items()}
    assert client.get("/readyz").status_code == 200
