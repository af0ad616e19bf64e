from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from crosscheck.stance import evidence
from crosscheck.stance.evidence import select_sentences, split_sentences

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
