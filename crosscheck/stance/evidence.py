"""Evidence as sentences with character spans, and the sentences that bear on a claim."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pysbd

from embeddings.encoder import Vectors


@dataclass(frozen=True)
class Sentence:
    """One sentence of the evidence and where it stands in it."""

    text: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` (pysbd), stripped, with their offsets into ``text``."""
    sentences = []
    for span in _segmenter().segment(text):
        raw = span.sent
        stripped = raw.strip()
        if not stripped:
            continue
        start = span.start + (len(raw) - len(raw.lstrip()))
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
