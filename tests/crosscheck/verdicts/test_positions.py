"""A source stands once: its current position, counted by one statement, or divided."""

from __future__ import annotations

from crosscheck.claims.models import Claim
from crosscheck.stance.schemas import Stance, StanceJudgement
from crosscheck.verdicts.evidence import Evidence
from crosscheck.verdicts.positions import Position, source_positions


def _evidence(
    claim_id: int, source_id: int, stance: Stance, confidence: float, *, superseded: bool = False
) -> Evidence:
    claim = Claim(id=claim_id, text=f"statement {claim_id}", source_id=source_id)
    newer = Claim(id=claim_id + 100, text="newer", source_id=source_id) if superseded else None
    return Evidence(
        claim=claim,
        similarity=0.8,
        judgement=StanceJudgement(stance, confidence),
        superseded_by=newer,
    )


def test_a_source_on_one_side_is_counted_by_its_most_confident_statement() -> None:
    positions = source_positions(
        [
            _evidence(1, 7, Stance.CONTRADICTS, 0.6),
            _evidence(2, 7, Stance.CONTRADICTS, 0.9),
            _evidence(3, 7, Stance.DISCUSSES, 0.95),
        ]
    )
    assert positions[7].position is Position.CONTRADICTS
    assert positions[7].counted_claim_id == 2


def test_a_source_on_both_sides_is_divided_and_counted_by_nothing() -> None:
    positions = source_positions(
        [_evidence(1, 7, Stance.CONTRADICTS, 0.6), _evidence(2, 7, Stance.CORROBORATES, 0.7)]
    )
    assert positions[7].position is Position.DIVIDED
    assert positions[7].counted_claim_id is None


def test_superseded_statements_do_not_make_a_source_divided() -> None:
    positions = source_positions(
        [
            _evidence(1, 7, Stance.CONTRADICTS, 0.9, superseded=True),
            _evidence(2, 7, Stance.CORROBORATES, 0.7),
        ]
    )
    assert positions[7].position is Position.CORROBORATES
    assert positions[7].counted_claim_id == 2


def test_a_source_that_takes_no_side_has_no_position() -> None:
    positions = source_positions([_evidence(1, 7, Stance.DISCUSSES, 0.9)])
    assert positions[7].position is Position.NONE
