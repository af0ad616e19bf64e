"""Ranking stored claims against a text: words (the lexical index) and meaning (the vector
index), fused by reciprocal rank. Used by search and by verification's candidates alike."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from crosscheck.claims import service as claim_service
from crosscheck.claims.models import Claim
from crosscheck.indexing.service import ClaimIndex
from crosscheck.matching.fusion import reciprocal_rank_fusion
from crosscheck.matching.lexical import search_lexical
from crosscheck.matching.posts import normalize_post, query_texts
from crosscheck.matching.schemas import Retrieval, SearchRequest
from crosscheck.timings import timed
from embeddings.encoders.base import Vectors

# How deep each signal's ranking goes before fusion: deeper lists let a claim that one signal
# ranks low and the other high still surface.
SEARCH_DEPTH = 40


@dataclass(frozen=True)
class Ranked:
    """One claim found, with where each signal placed it (1 = best)."""

    claim_id: int
    score: float
    lexical_rank: int | None = None
    semantic_rank: int | None = None


@dataclass
class Rankings:
    """The fused ranking of claims for a text, best first, and the query vector (if encoded)."""

    items: list[Ranked]
    vector: Vectors | None


def _filtered(
    session: Session, claim_ids: list[int], conditions: list[ColumnElement[bool]]
) -> list[int]:
    """``claim_ids`` in their order, only those meeting ``conditions``."""
    if not conditions or not claim_ids:
        return claim_ids
    passing = set(session.scalars(select(Claim.id).where(Claim.id.in_(claim_ids), *conditions)))
    return [claim_id for claim_id in claim_ids if claim_id in passing]


# Encodes beside the lexical query; a few threads, as requests run a few at a time.
_ENCODING = ThreadPoolExecutor(max_workers=4, thread_name_prefix="crosscheck-match-encode")


def _encode(claim_index: ClaimIndex, texts: list[str]) -> tuple[Vectors, float]:
    """The texts' vectors and the milliseconds they took."""
    started = time.perf_counter()
    vectors = claim_index.encoder.encode(texts)
    return vectors, (time.perf_counter() - started) * 1000


def rank_claims(
    *,
    session: Session,
    claim_index: ClaimIndex,
    parts: Sequence[str],
    depth: int,
    retrieval: Retrieval = Retrieval.HYBRID,
    conditions: list[ColumnElement[bool]] | None = None,
    vector: Vectors | None = None,
    timings: dict[str, float] | None = None,
) -> Rankings:
    """Claims ranked against ``parts`` (a text, and perhaps its sentences), each signal looking
    ``depth`` deep per part; ``vector``: the first part's vector, if the caller has it."""
    conditions = conditions or []
    timings = {} if timings is None else timings
    lexical: list[list[int]] = []
    semantic: list[list[int]] = []
    to_encode = (
        [] if retrieval is Retrieval.LEXICAL else list(parts if vector is None else parts[1:])
    )
    # The model encodes on another thread while the database ranks words on this one (the
    # session stays on its own thread): the slower of the two, not their sum.
    encoding = _ENCODING.submit(_encode, claim_index, to_encode) if to_encode else None
    try:
        if retrieval is not Retrieval.SEMANTIC:
            with timed(timings, "lexical"):
                for part in parts:
                    found = search_lexical(
                        session=session, query=part, limit=depth, conditions=conditions
                    )
                    lexical.append([claim_id for claim_id, _ in found])
    finally:
        encoded: list[Vectors] = []
        if encoding is not None:
            found_vectors, timings["encode"] = encoding.result()
            encoded = list(found_vectors)
    query_vector = vector
    if retrieval is not Retrieval.LEXICAL:
        vectors = [*([vector] if vector is not None else []), *encoded]
        query_vector = vectors[0]
        # Filters are applied after the search: look deeper so that enough pass them.
        fetch = min(claim_index.count(), depth * 4 if conditions else depth)
        with timed(timings, "search"):
            for part_vector in vectors:
                hits = [claim_id for claim_id, _ in claim_index.search(part_vector, fetch)]
                semantic.append(_filtered(session, hits, conditions)[:depth])
    fused = reciprocal_rank_fusion([*lexical, *semantic])
    lexical_rank = _first_ranks(lexical)
    semantic_rank = _first_ranks(semantic)
    return Rankings(
        items=[
            Ranked(
                claim_id=claim_id,
                score=score,
                lexical_rank=lexical_rank.get(claim_id),
                semantic_rank=semantic_rank.get(claim_id),
            )
            for claim_id, score in fused
        ],
        vector=query_vector,
    )


def _first_ranks(rankings: list[list[int]]) -> dict[int, int]:
    """Each id's best rank over the rankings (1 = first)."""
    best: dict[int, int] = {}
    for ranking in rankings:
        for rank, claim_id in enumerate(ranking, start=1):
            best[claim_id] = min(rank, best.get(claim_id, rank))
    return best


@dataclass(frozen=True)
class SearchHit:
    claim: Claim
    ranked: Ranked
    similarity: float | None


@dataclass
class SearchResult:
    text: str
    normalized: str
    parts: list[str]
    retrieval: Retrieval
    hits: list[SearchHit]
    timings: dict[str, float] = field(default_factory=dict)


def search_claims(
    *, session: Session, claim_index: ClaimIndex, request: SearchRequest
) -> SearchResult:
    """The stored claims that best match ``request.text``, best first; no stance is judged."""
    timings: dict[str, float] = {}
    normalized = normalize_post(request.text)
    parts = query_texts(normalized or request.text)
    conditions = claim_service.filter_conditions(
        session=session, claim_filter=request.claim_filter()
    )
    rankings = rank_claims(
        session=session,
        claim_index=claim_index,
        parts=parts,
        depth=max(request.top_k, SEARCH_DEPTH),
        retrieval=request.retrieval,
        conditions=conditions,
        timings=timings,
    )
    chosen = rankings.items[: request.top_k]
    with timed(timings, "fetch"):
        claims = claim_service.get_many(session=session, claim_ids=[r.claim_id for r in chosen])
        similarity = _similarities(claim_index, rankings.vector, list(claims))
    return SearchResult(
        text=request.text,
        normalized=normalized,
        parts=parts,
        retrieval=request.retrieval,
        hits=[
            SearchHit(claim=claims[r.claim_id], ranked=r, similarity=similarity(r.claim_id))
            for r in chosen
            if r.claim_id in claims  # deleted since it was ranked
        ],
        timings=timings,
    )


def _similarities(
    claim_index: ClaimIndex, vector: Vectors | None, claim_ids: list[int]
) -> Callable[[int], float | None]:
    if vector is None:
        return lambda claim_id: None
    stored = claim_index.vectors(claim_ids)
    scores = {claim_id: round(float(stored[claim_id] @ vector), 4) for claim_id in stored}
    return scores.get
