"""Evidence as sentences with character spans, and the sentences that bear on a claim."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pysbd

from embeddings.encoders.base import Vectors


@dataclass(frozen=True)
class Sentence:
    """One sentence of the evidence and where it stands in it."""

    text: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


# pysbd's time grows with the square of a passage's length on some text ("e. e. e. ..."): it
# reads passages of at most this many characters, cut at line ends, else after a sentence end.
SPLIT_CHUNK_CHARS = 2_000
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+")


def _chunks(text: str, size: int = SPLIT_CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """``text`` in passages of at most ``size`` characters, with their offsets."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            window = text[start:end]
            cut = window.rfind("\n") + 1
            if cut <= 0:
                ends = [match.end() for match in _SENTENCE_END.finditer(window)]
                cut = ends[-1] if ends else window.rfind(" ") + 1
            if cut > 0:
                end = start + cut
        yield start, text[start:end]
        start = end


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` (pysbd), stripped, with their offsets into ``text``."""
    sentences = []
    for offset, chunk in _chunks(text):
        for span in _segmenter().segment(chunk):
            raw = span.sent
            stripped = raw.strip()
            if not stripped:
                continue
            start = offset + span.start + (len(raw) - len(raw.lstrip()))
            sentences.append(Sentence(stripped, start, start + len(stripped)))
    if not sentences and text.strip():
        stripped = text.strip()
        start = text.index(stripped)
        sentences.append(Sentence(stripped, start, start + len(stripped)))
    return sentences


def select_sentences(
    claim_vector: Vectors, sentence_vectors: Vectors, sentences: Sequence[Sentence], limit: int = 3
) -> tuple[list[Sentence], list[float]]:
    """The ``limit`` sentences nearest the claim, in document order, with their cosines."""
    if not sentences:
        return [], []
    scores = sentence_vectors @ claim_vector
    best = sorted(np.argsort(-scores)[:limit].tolist())
    return [sentences[i] for i in best], [float(scores[i]) for i in best]
