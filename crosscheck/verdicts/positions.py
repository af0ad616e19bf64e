"""A source stands once: each source's current position on the matter, from its statements.

A source whose current (not superseded) statements all take one side stands on that side, once,
counted by its most confident statement there; its other statements stay listed, not counted.
A source whose current statements take both sides is divided: shown as such, on neither side.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from crosscheck.stance.schemas import Stance
from crosscheck.verdicts.evidence import Evidence

SIDES = (Stance.CORROBORATES, Stance.CONTRADICTS)


class Position(enum.StrEnum):
    CORROBORATES = "corroborates"
    CONTRADICTS = "contradicts"
    DIVIDED = "divided"
    NONE = "none"


@dataclass(frozen=True)
class SourcePosition:
    """Where one source stands, and the statement it is counted by (if it takes a side)."""

    source_id: int
    position: Position
    counted_claim_id: int | None = None


def source_positions(evidence: Sequence[Evidence]) -> dict[int, SourcePosition]:
    """Each source's position, from its current statements that take a side."""
    sided: dict[int, list[Evidence]] = {}
    for item in evidence:
        sided.setdefault(item.claim.source_id, [])
        if item.current and item.stance in SIDES:
            sided[item.claim.source_id].append(item)
    positions = {}
    for source_id, items in sided.items():
        stances = {item.stance for item in items}
        if not stances:
            positions[source_id] = SourcePosition(source_id, Position.NONE)
        elif len(stances) > 1:
            positions[source_id] = SourcePosition(source_id, Position.DIVIDED)
        else:
            best = max(items, key=lambda item: (item.judgement.confidence, item.similarity))
            positions[source_id] = SourcePosition(
                source_id, Position(best.stance.value), counted_claim_id=best.claim.id
            )
    return positions
