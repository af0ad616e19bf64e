from __future__ import annotations

import pytest

from crosscheck.stance.cues import find_cues
from crosscheck.stance.rules import RuleStanceJudge
from crosscheck.stance.schemas import Stance, StanceJudgement

CLAIM = "North Korea sent troops to Russia"


def _judge(claim: str, evidence: str, similarity: float) -> StanceJudgement:
    return RuleStanceJudge().judge(claim=claim, evidence=evidence, similarity=similarity)


@pytest.mark.parametrize("similarity", [-1.0, 0.0, 0.2, 0.349])
def test_below_related_threshold_is_unrelated(similarity: float) -> None:
    judgement = _judge(CLAIM, "Russia denied North Korean troops were sent", similarity)
    assert judgement.stance is Stance.UNRELATED
    assert "about something else" in judgement.reasons[0]


def test_related_threshold_is_configurable() -> None:
    judge = RuleStanceJudge(related_threshold=0.8)
    judgement = judge.judge(claim=CLAIM, evidence=CLAIM, similarity=0.7)
    assert judgement.stance is Stance.UNRELATED


def test_at_related_threshold_is_related() -> None:
    assert _judge(CLAIM, "Pyongyang has an army", 0.35).stance is not Stance.UNRELATED


@pytest.mark.parametrize(
    ("evidence", "cues"),
    [
        ("Russia denied that North Korean troops were sent", ["denied"]),
        ("Moscow dismissed the reports as propaganda", ["dismissed", "propaganda"]),
        ("The Kremlin called the report fake", ["fake"]),
        ("Officials said there are no troops in Russia", ["no"]),
    ],
)
def test_denial_of_affirmative_claim_contradicts_and_quotes_cue(
    evidence: str, cues: list[str]
) -> None:
    judgement = _judge(CLAIM, evidence, 0.7)
    assert judgement.stance is Stance.CONTRADICTS
    reason = judgement.reasons[-1]
    assert reason.startswith("denies or negates what the claim asserts")
    for cue in cues:
        assert f"'{cue}'" in reason


@pytest.mark.parametrize(
    ("claim", "cue"),
    [
        ("North Korea did not send troops to Russia", "not"),
        ("North Korea didn't send troops to Russia", "didn't"),
        ("North Korea never sent troops to Russia", "never"),
    ],
)
def test_negated_claim_against_affirmative_evidence_contradicts(claim: str, cue: str) -> None:
    judgement = _judge(claim, CLAIM, 0.9)
    assert judgement.stance is Stance.CONTRADICTS
    assert "asserts what the claim denies" in judgement.reasons[-1]
    assert f"'{cue}'" in judgement.reasons[-1]


def test_both_negative_does_not_contradict() -> None:
    judgement = _judge(
        "North Korea did not send troops to Russia", "Pyongyang never sent troops to Russia", 0.9
    )
    assert judgement.stance is Stance.CORROBORATES
    assert any("both deny it" in reason and "'never'" in reason for reason in judgement.reasons)


def test_denial_against_negated_claim_does_not_contradict() -> None:
    judgement = _judge(
        "North Korea has not sent troops", "Moscow denied that North Korea sent troops", 0.6
    )
    assert judgement.stance is not Stance.CONTRADICTS


@pytest.mark.parametrize(
    ("evidence", "hedge"),
    [
        ("North Korea may have sent troops to Russia", "may"),
        ("North Korea reportedly sent troops to Russia", "reportedly"),
        ("According to officials, North Korea sent troops to Russia", "according to"),
    ],
)
def test_hedged_evidence_discusses(evidence: str, hedge: str) -> None:
    judgement = _judge(CLAIM, evidence, 0.9)
    assert judgement.stance is Stance.DISCUSSES
    assert f"'{hedge}'" in judgement.reasons[-1]


def test_hedged_claim_and_hedged_evidence_can_corroborate() -> None:
    judgement = _judge(
        "North Korea reportedly sent troops", "North Korea reportedly sent troops", 0.9
    )
    assert judgement.stance is Stance.CORROBORATES


def test_conflicting_numbers_contradict_with_both_numbers_in_reason() -> None:
    judgement = _judge(
        "About 1,500 soldiers were sent to Russia", "At least 3,000 troops were sent to Russia", 0.9
    )
    assert judgement.stance is Stance.CONTRADICTS
    reason = judgement.reasons[-1]
    assert reason.startswith("conflicting numbers")
    assert "About 1,500 soldiers" in reason
    assert "At least 3,000 troops" in reason


def test_conflicting_numbers_win_over_hedging() -> None:
    judgement = _judge(
        "About 1,500 soldiers were sent", "Reportedly at least 3,000 troops were sent", 0.9
    )
    assert judgement.stance is Stance.CONTRADICTS


def test_high_similarity_plain_statement_corroborates() -> None:
    judgement = _judge(CLAIM, "Pyongyang dispatched soldiers to Russia", 0.8)
    assert judgement.stance is Stance.CORROBORATES
    assert judgement.reasons == ["states the same thing (similarity 0.80)"]


def test_corroboration_mentions_agreeing_numbers() -> None:
    judgement = _judge("About 3,000 troops were sent", "3,100 soldiers were sent", 0.9)
    assert judgement.stance is Stance.CORROBORATES
    assert "numbers agree: 'About 3,000 troops' and '3,100 soldiers'" in judgement.reasons


def test_related_but_not_similar_enough_discusses() -> None:
    judgement = _judge(CLAIM, "North Korea and Russia signed a treaty", 0.45)
    assert judgement.stance is Stance.DISCUSSES
    assert "without stating or denying" in judgement.reasons[-1]


def test_not_only_but_also_is_not_a_negation() -> None:
    evidence = "North Korea sent not only troops but also shells to Russia"
    assert find_cues(evidence).negations == []
    assert _judge(CLAIM, evidence, 0.9).stance is Stance.CORROBORATES


def test_real_negation_next_to_not_only_is_still_found() -> None:
    cues = find_cues("Not only was nothing sent, troops never left")
    assert "nothing" in cues.negations
    assert "never" in cues.negations


def test_cues_find_curly_apostrophe_contractions() -> None:
    assert find_cues("Russia didn\u2019t receive troops").negations == ["didn't"]


def test_cues_match_whole_words_only() -> None:
    cues = find_cues("Nobel laureates knotted the notes; mayors noted it")
    assert cues.negations == []
    assert cues.hedges == []
    assert not cues.negative


@pytest.mark.parametrize("similarity", [-1.0, 0.0, 0.35, 0.5, 0.55, 0.9, 1.0, 1.5])
@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        (CLAIM, CLAIM),
        (CLAIM, "Russia denied it"),
        ("North Korea did not send troops", CLAIM),
        (CLAIM, "North Korea may have sent troops"),
        ("About 1,500 soldiers", "At least 3,000 troops"),
        (CLAIM, "Something loosely related"),
    ],
)
def test_confidence_is_always_strictly_between_zero_and_one(
    claim: str, evidence: str, similarity: float
) -> None:
    confidence = _judge(claim, evidence, similarity).confidence
    assert 0 < confidence < 1


def test_confidence_grows_with_similarity() -> None:
    low = _judge(CLAIM, "Russia denied it", 0.4).confidence
    high = _judge(CLAIM, "Russia denied it", 0.9).confidence
    assert low < high


def test_absence_of_evidence_discusses_rather_than_denies() -> None:
    judgement = _judge(CLAIM, "Officials said there is no evidence that troops were sent", 0.7)
    assert judgement.stance is Stance.DISCUSSES
    assert "not confirmed ('no evidence')" in judgement.reasons[-1]
