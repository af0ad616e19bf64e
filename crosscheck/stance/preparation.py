"""Turning (claim, evidence) pairs into what the stance engine decides from, in batches.

Evidence is split into sentences; claims and sentences are embedded once (cached by text, since
benchmarks and verification repeat the same texts); the sentences nearest the claim are selected.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

from crosscheck.deadlines import check_deadline
from crosscheck.stance.evidence import Sentence, select_sentences, split_sentences
from crosscheck.stance.relatedness import RelatednessSignals, content_words, relatedness_signals
from embeddings.encoders.base import Encoder, Vectors

SELECTED_SENTENCES = 3
# Sentences of one piece of evidence that are embedded at most; a longer text (100,000
# characters of short sentences would be thousands) is first narrowed to those sharing the
# most words with the claim, so the encoder's work per pair stays bounded.
MAX_ENCODED_SENTENCES = 128

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class PreparedPair:
    """A claim and its evidence, with the evidence sentences that bear on the claim."""

    claim: str
    evidence: str
    selected: list[Sentence]
    selected_similarities: list[float]
    signals: RelatednessSignals
    sentence_count: int

    @property
    def selected_text(self) -> str:
        return " ".join(sentence.text for sentence in self.selected)

    @property
    def deciding_sentence(self) -> Sentence | None:
        if not self.selected:
            return None
        return self.selected[int(np.argmax(self.selected_similarities))]


def nearest_in_words(claim: str, sentences: list[Sentence], limit: int) -> list[Sentence]:
    """``sentences`` if at most ``limit``; else the ``limit`` sharing the most content words
    with ``claim`` (earlier first among equals), in document order."""
    if len(sentences) <= limit:
        return sentences
    words = content_words(claim)
    shared = [len(words & content_words(sentence.text)) for sentence in sentences]
    best = sorted(range(len(sentences)), key=lambda i: (-shared[i], i))[:limit]
    return [sentences[i] for i in sorted(best)]


class LruCache(Generic[K, V]):
    """A bounded map; least recently used entries leave first. Safe to share between threads."""

    def __init__(self, capacity: int) -> None:
        self._items: OrderedDict[K, V] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        if self._capacity <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)


class EvidencePreparer:
    """Prepares pairs in batches, embedding each distinct text once."""

    def __init__(self, encoder: Encoder, *, cache_size: int = 100_000) -> None:
        self._encoder = encoder
        self._vectors: LruCache[str, Vectors] = LruCache(cache_size)
        self._sentences: LruCache[str, list[Sentence]] = LruCache(max(1, cache_size // 20))

    def sentences(self, evidence: str) -> list[Sentence]:
        cached = self._sentences.get(evidence)
        if cached is not None:
            return cached
        sentences = split_sentences(evidence)
        self._sentences.put(evidence, sentences)
        return sentences

    def remember(self, vectors: Mapping[str, Vectors]) -> None:
        """Take vectors already computed elsewhere (by text) instead of encoding those texts."""
        for text, vector in vectors.items():
            if self._vectors.get(text) is None:
                self._vectors.put(text, np.asarray(vector, dtype=np.float32))

    def vectors(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors for ``texts``, encoding only those not seen recently."""
        missing = list(dict.fromkeys(t for t in texts if self._vectors.get(t) is None))
        if missing:
            for text, vector in zip(missing, self._encoder.encode(missing), strict=True):
                self._vectors.put(text, vector)
        rows = [self._vectors.get(text) for text in texts]
        present = [row for row in rows if row is not None]
        if not present:
            return np.zeros((0, self._encoder.dimension), np.float32)
        return np.vstack(present).astype(np.float32)

    def prepare(self, pairs: Sequence[tuple[str, str]]) -> list[PreparedPair]:
        counts = [len(self.sentences(evidence)) for _, evidence in pairs]
        split = [
            nearest_in_words(claim, self.sentences(evidence), MAX_ENCODED_SENTENCES)
            for claim, evidence in pairs
        ]
        texts = [claim for claim, _ in pairs] + [s.text for sentences in split for s in sentences]
        check_deadline()  # splitting long evidence is done; encoding it is the costly part
        self.vectors(texts)  # one encoder call for everything not cached
        prepared = []
        for (claim, evidence), sentences, count in zip(pairs, split, counts, strict=True):
            claim_vector = self.vectors([claim])[0]
            sentence_vectors = self.vectors([s.text for s in sentences])
            similarities = (sentence_vectors @ claim_vector).tolist() if sentences else []
            selected, scores = select_sentences(
                claim_vector, sentence_vectors, sentences, SELECTED_SENTENCES
            )
            prepared.append(
                PreparedPair(
                    claim=claim,
                    evidence=evidence,
                    selected=selected,
                    selected_similarities=scores,
                    signals=relatedness_signals(claim, evidence, similarities),
                    sentence_count=count,
                )
            )
        return prepared
