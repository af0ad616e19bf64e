"""New evidence for a watched claim: each claim stored later, judged against it as it arrives.

A verification weighs the nearest stored claims; a watch weighs each new claim once, when the
claim feed announces it. Claims less similar than the related threshold are not judged at all,
so a bulk load costs one encoding per new claim, not one stance judgement.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from crosscheck.claims import service as claim_service
from crosscheck.claims.schemas import ClaimRead
from crosscheck.indexing.service import ClaimIndex
from crosscheck.stance.preparation import LruCache
from crosscheck.stance.schemas import Stance, StanceJudge, StanceJudgement
from crosscheck.verdicts.evidence import Evidence
from embeddings.encoders.base import Vectors


@dataclass(frozen=True)
class EvidenceWatch:
    """A stored claim watched for new evidence, with its vector encoded once."""

    claim_id: int
    source_id: int
    text: str
    vector: Vectors
    include_same_source: bool = False

    def considers(self, claim: ClaimRead) -> bool:
        """Whether a new claim may be evidence: another claim, from another source unless asked."""
        if claim.id == self.claim_id:
            return False
        return self.include_same_source or claim.source.id != self.source_id


def watch_claim(
    *, session: Session, claim_index: ClaimIndex, claim_id: int, include_same_source: bool
) -> EvidenceWatch:
    """Start watching a stored claim; an unknown id is ``ClaimNotFoundError``."""
    claim = claim_service.get(session=session, claim_id=claim_id)
    return EvidenceWatch(
        claim_id=claim.id,
        source_id=claim.source_id,
        text=claim.text,
        vector=claim_index.encoder.encode([claim.text])[0],
        include_same_source=include_same_source,
    )


# (similarity, judgement) of an arrival against a watched claim; no judgement below the
# related threshold.
Weighed = tuple[float, StanceJudgement | None]


class SharedArrivals:
    """Arrivals weighed once per watched claim, however many subscribers watch it: the first
    to ask does the work, the others wait for it and read the result."""

    def __init__(self, capacity: int = 20_000) -> None:
        self._done: LruCache[tuple[int, int, str], Weighed] = LruCache(capacity)
        self._working: dict[tuple[int, int, str], threading.Lock] = {}
        self._guard = threading.Lock()

    def weigh(self, key: tuple[int, int, str], work: Callable[[], Weighed]) -> Weighed:
        done = self._done.get(key)
        if done is not None:
            return done
        with self._guard:
            lock = self._working.setdefault(key, threading.Lock())
        with lock:
            done = self._done.get(key)
            if done is None:
                done = work()
                self._done.put(key, done)
        with self._guard:
            self._working.pop(key, None)
        return done


def judge_arrival(
    *,
    session: Session,
    claim_index: ClaimIndex,
    judge: StanceJudge,
    watch: EvidenceWatch,
    arrival: ClaimRead,
    related_threshold: float,
    shared: SharedArrivals | None = None,
) -> Evidence | None:
    """The new claim as evidence for the watched one, or ``None`` if it does not bear on it."""

    def weigh() -> Weighed:
        # The arrival is indexed already: its stored vector spares the encoder.
        vector = claim_index.vectors([arrival.id]).get(arrival.id)
        if vector is None:
            vector = claim_index.encoder.encode([arrival.text])[0]
        similarity = float(np.dot(watch.vector, vector))
        if similarity < related_threshold:
            return similarity, None
        return similarity, judge.judge_many(watch.text, [arrival.text], statements=True)[0]

    key = (watch.claim_id, arrival.id, judge.version)
    similarity, judgement = weigh() if shared is None else shared.weigh(key, weigh)
    if judgement is None or judgement.stance is Stance.UNRELATED:
        return None
    claim = claim_service.get_many(session=session, claim_ids=[arrival.id]).get(arrival.id)
    if claim is None:  # deleted since it was announced
        return None
    return Evidence(claim=claim, similarity=similarity, judgement=judgement)
