"""Newer statements by the same source replace older ones in a verdict."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence

from crosscheck.stance.schemas import StanceJudge
from crosscheck.timelines.service import StatementHistory, vectors_of
from crosscheck.verdicts.evidence import Evidence
from embeddings.encoders.base import Vectors


def with_successors(
    evidence: Sequence[Evidence],
    *,
    history: StatementHistory,
    judge: StanceJudge,
    text: str,
    query: Vectors,
    exclude_claims: Collection[int],
) -> list[Evidence]:
    """``evidence`` with each item's newer statement (by its source) marked as superseding it.

    A superseding statement that was not among the evidence is judged against ``text`` and
    joins it, whatever its stance, so that the source counts for what it says now; it may in
    turn be superseded by a still newer one.
    """
    weighed = {item.claim.id: item for item in evidence}
    pending = list(evidence)
    while pending:
        newer_of = history.newer_statements(
            [item.claim for item in pending], exclude=exclude_claims
        )
        successors = {claim_id: newer for claim_id, newer in newer_of.items() if newer is not None}
        fresh = list({c.id: c for c in successors.values() if c.id not in weighed}.values())
        if fresh:
            judgements = judge.judge_many(text, [c.text for c in fresh], statements=True)
            similarities = vectors_of(history.claim_index, fresh) @ query
            for claim, judgement, similarity in zip(fresh, judgements, similarities, strict=True):
                weighed[claim.id] = Evidence(
                    claim=claim, similarity=float(similarity), judgement=judgement
                )
        for older_id, newer in successors.items():
            weighed[older_id] = dataclasses.replace(weighed[older_id], superseded_by=newer)
        pending = [weighed[claim.id] for claim in fresh]
    return list(weighed.values())
