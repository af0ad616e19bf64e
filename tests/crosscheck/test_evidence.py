from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from crosscheck.stance import evidence
from crosscheck.stance.evidence import select_sentences, split_sentences
from crosscheck.stance.preparation import MAX_ENCODED_SENTENCES, EvidencePreparer
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder

ARTICLE = (
    "  The U.S. says 3,000 troops arrived.\n\nRussia denied it! "
    "Officials in Seoul, South Korea, gave a lower figure?   Nobody else commented."
)


def test_sentences_carry_exact_offsets() -> None:
    sentences = split_sentences(ARTICLE)
    assert [s.text for s in sentences] == [
        "The U.S. says 3,000 troops arrived.",
        "Russia denied it!",
        "Officials in Seoul, South Korea, gave a lower figure?",
        "Nobody else commented.",
    ]
    for sentence in sentences:
        assert ARTICLE[sentence.start : sentence.end] == sentence.text


def test_blank_text_has_no_sentences_and_one_fragment_is_one_sentence() -> None:
    assert split_sentences("   ") == []
    (only,) = split_sentences("  no full stop here ")
    assert only.text == "no full stop here" and only.start == 2


def test_selection_keeps_document_order() -> None:
    sentences = split_sentences(ARTICLE)
    claim = np.array([1.0, 0.0], dtype=np.float32)
    vectors = np.array([[0.1, 1], [0.9, 0.1], [0.2, 1], [0.8, 0.2]], dtype=np.float32)
    chosen, scores = select_sentences(claim, vectors, sentences, limit=2)
    assert [s.text for s in chosen] == ["Russia denied it!", "Nobody else commented."]
    assert scores == [float(np.float32(0.9)), float(np.float32(0.8))]


def test_the_splitter_reads_long_text_in_bounded_passages_with_exact_offsets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # pysbd's time grows with the square of what it is given on text like this: it must only
    # ever be given bounded passages, and the sentences must still map back exactly.
    segmenter = evidence._segmenter()
    lengths: list[int] = []
    segment = segmenter.segment

    def recording(text: str) -> Any:
        lengths.append(len(text))
        return segment(text)

    monkeypatch.setattr(segmenter, "segment", recording)
    text = "e. " * 10_000 + "\n" + "The dam burst on Monday. " * 400
    sentences = split_sentences(text)
    assert max(lengths) <= evidence.SPLIT_CHUNK_CHARS
    assert len(sentences) == 10_400
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text


class CountingEncoder:
    """Wraps the packaged encoder and counts the texts it is asked to embed."""

    def __init__(self, encoder: SentenceTransformerEncoder) -> None:
        self.inner = encoder
        self.dimension = encoder.dimension
        self.encoded = 0

    def encode(self, texts: Sequence[str]) -> Any:
        self.encoded += len(texts)
        return self.inner.encode(texts)


def test_very_long_evidence_is_narrowed_by_shared_words_before_it_is_embedded(
    encoder: SentenceTransformerEncoder,
) -> None:
    filler = [f"Item {i} of the town's inventory was counted." for i in range(3_000)]
    filler.insert(2_500, "The Eastvale dam burst on Monday, flooding the farms.")
    counting = CountingEncoder(encoder)
    [prepared] = EvidencePreparer(counting).prepare(  # type: ignore[arg-type]
        [("The Eastvale dam burst.", " ".join(filler))]
    )
    assert counting.encoded <= MAX_ENCODED_SENTENCES + 1
    assert prepared.sentence_count == 3_001
    assert prepared.deciding_sentence is not None
    assert prepared.deciding_sentence.text == filler[2_500]
