"""Reading and writing the stance graph: edges by claim, links between one source's near
statements, what is left to judge, the lag."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.orm import Session

from crosscheck.claims.models import Claim
from crosscheck.database import utcnow
from crosscheck.graph.models import GraphedClaim, SourceLink, StanceEdge
from crosscheck.stance.schemas import Stance, StanceJudgement

# From this similarity a statement of a claim's own source is linked to it (timelines read the
# links; a ``timeline_similarity`` setting below it makes them search the index instead).
LINK_SIMILARITY = 0.5


@dataclass(frozen=True)
class JudgedEdge:
    """``evidence_id``'s stance towards ``claim_id``, as the judge gave it."""

    claim_id: int
    evidence_id: int
    similarity: float
    judgement: StanceJudgement


@dataclass(frozen=True)
class Link:
    """``other_id`` is a statement of ``claim_id``'s own source, ``similarity`` near it."""

    claim_id: int
    other_id: int
    similarity: float


@dataclass(frozen=True)
class GraphLag:
    """Claims not yet graphed by the current model, and how long the oldest has waited."""

    pending: int
    oldest_seconds: float


def pending_claim_ids(*, session: Session, model_version: str, limit: int) -> list[int]:
    """Up to ``limit`` claims, oldest id first, not graphed by ``model_version``."""
    graphed = select(GraphedClaim.claim_id).where(GraphedClaim.model_version == model_version)
    statement = select(Claim.id).where(Claim.id.not_in(graphed)).order_by(Claim.id).limit(limit)
    return list(session.scalars(statement))


def lag(*, session: Session, model_version: str, now: datetime | None = None) -> GraphLag:
    """How far the graph is behind the claims table."""
    graphed = select(GraphedClaim.claim_id).where(GraphedClaim.model_version == model_version)
    count, oldest = session.execute(
        select(func.count(Claim.id), func.min(Claim.created_at)).where(Claim.id.not_in(graphed))
    ).one()
    if not count or oldest is None:
        return GraphLag(pending=0, oldest_seconds=0.0)
    # min() keeps the column's type, so ``oldest`` is already an aware UTC datetime.
    waited = ((now or utcnow()) - oldest).total_seconds()
    return GraphLag(pending=int(count), oldest_seconds=max(0.0, waited))


def judged_pairs(
    *, session: Session, pairs: Iterable[tuple[int, int]], model_version: str
) -> set[tuple[int, int]]:
    """Those (claim, evidence) pairs that already have an edge from ``model_version``."""
    wanted = set(pairs)
    if not wanted:
        return set()
    claim_ids = {claim_id for claim_id, _ in wanted}
    rows = session.execute(
        select(StanceEdge.claim_id, StanceEdge.evidence_id).where(
            StanceEdge.claim_id.in_(claim_ids), StanceEdge.model_version == model_version
        )
    )
    return {(row.claim_id, row.evidence_id) for row in rows} & wanted


def store(
    *,
    session: Session,
    edges: Sequence[JudgedEdge],
    graphed: Sequence[int],
    model_version: str,
    links: Sequence[Link] = (),
) -> None:
    """Write ``edges`` (replacing older judgements of the same pairs), the ``graphed`` claims'
    links to their own source's statements (both ways, those not yet held), and mark
    ``graphed``.

    The caller commits: edges and marks land together or not at all, so a claim killed
    half-way is graphed again from scratch and no pair is stored twice.
    """
    if edges:
        pairs = [(edge.claim_id, edge.evidence_id) for edge in edges]
        session.execute(
            delete(StanceEdge).where(tuple_(StanceEdge.claim_id, StanceEdge.evidence_id).in_(pairs))
        )
    session.add_all(
        StanceEdge(
            claim_id=edge.claim_id,
            evidence_id=edge.evidence_id,
            stance=edge.judgement.stance.value,
            confidence=edge.judgement.confidence,
            similarity=edge.similarity,
            reasons=json.dumps(edge.judgement.reasons),
            rule=edge.judgement.rule,
            model_version=model_version,
        )
        for edge in edges
    )
    _add_links(session, links)
    if graphed:
        session.execute(delete(GraphedClaim).where(GraphedClaim.claim_id.in_(graphed)))
        session.add_all(
            GraphedClaim(claim_id=claim_id, model_version=model_version) for claim_id in graphed
        )
    session.flush()


def _add_links(session: Session, links: Sequence[Link]) -> None:
    """Store each link both ways, once. Links hold whatever model judges, so a claim graphed
    again keeps those an earlier search found (its own search may not reach every one)."""
    both_ways: dict[tuple[int, int], float] = {}
    for link in links:
        both_ways[(link.claim_id, link.other_id)] = link.similarity
        both_ways[(link.other_id, link.claim_id)] = link.similarity
    if not both_ways:
        return
    held = session.execute(
        select(SourceLink.claim_id, SourceLink.other_id).where(
            tuple_(SourceLink.claim_id, SourceLink.other_id).in_(list(both_ways))
        )
    )
    for row in held:
        both_ways.pop((row.claim_id, row.other_id), None)
    session.add_all(
        SourceLink(claim_id=claim_id, other_id=other_id, similarity=similarity)
        for (claim_id, other_id), similarity in both_ways.items()
    )


def stored_judgements(
    *, session: Session, claim_id: int, evidence_ids: Sequence[int], model_version: str
) -> dict[int, StanceJudgement]:
    """The graph's judgements of ``evidence_ids`` against ``claim_id`` by ``model_version``."""
    if not evidence_ids:
        return {}
    rows = session.scalars(
        select(StanceEdge).where(
            StanceEdge.claim_id == claim_id,
            StanceEdge.evidence_id.in_(set(evidence_ids)),
            StanceEdge.model_version == model_version,
        )
    )
    return {
        row.evidence_id: StanceJudgement(
            Stance(row.stance), row.confidence, list(json.loads(row.reasons)), rule=row.rule
        )
        for row in rows
    }


def linked_statements(
    *, session: Session, claim_ids: Collection[int], min_similarity: float
) -> dict[int, list[tuple[int, float]]]:
    """Each claim's linked statements of its own source at least ``min_similarity`` near it,
    best first."""
    linked: dict[int, list[tuple[int, float]]] = {claim_id: [] for claim_id in claim_ids}
    if not claim_ids:
        return linked
    rows = session.execute(
        select(SourceLink.claim_id, SourceLink.other_id, SourceLink.similarity)
        .where(SourceLink.claim_id.in_(set(claim_ids)), SourceLink.similarity >= min_similarity)
        .order_by(SourceLink.similarity.desc(), SourceLink.other_id)
    )
    for row in rows:
        linked[row.claim_id].append((row.other_id, row.similarity))
    return linked


def fully_linked_sources(*, session: Session, source_ids: Collection[int]) -> set[int]:
    """Those sources every statement of which has been graphed (by any model): their links are
    complete, so timelines can read them instead of searching."""
    if not source_ids:
        return set()
    # NOT EXISTS, not NOT IN: one key lookup per statement of these sources, rather than
    # reading the whole graphed_claims table on every verification.
    graphed = select(GraphedClaim.claim_id).where(GraphedClaim.claim_id == Claim.id)
    waiting = select(Claim.source_id).where(Claim.source_id.in_(set(source_ids)), ~graphed.exists())
    return set(source_ids) - set(session.scalars(waiting.distinct()))
