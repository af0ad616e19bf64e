"""A stance judge from explicit rules: relatedness, denial and negation, conflicting figures."""

from __future__ import annotations

from crosscheck.stance.cues import find_cues
from crosscheck.stance.quantities import find_agreement, find_conflict
from crosscheck.stance.schemas import Stance, StanceJudgement
from crosscheck.stance.scope import unconfirmed_content


def _quoted(words: list[str]) -> str:
    return ", ".join(f"'{w}'" for w in dict.fromkeys(words))


def _bounded(value: float) -> float:
    return round(min(0.99, max(0.01, value)), 3)


class RuleStanceJudge:
    """Stance from embedding similarity plus denial, negation, hedging and number cues."""

    def __init__(
        self, *, related_threshold: float = 0.35, corroborate_threshold: float = 0.55
    ) -> None:
        self.related_threshold = related_threshold
        self.corroborate_threshold = corroborate_threshold

    def judge(self, *, claim: str, evidence: str, similarity: float) -> StanceJudgement:
        if similarity < self.related_threshold:
            return StanceJudgement(
                Stance.UNRELATED,
                _bounded(1.0 - similarity),
                [f"about something else (similarity {similarity:.2f})"],
            )
        related = f"same subject (similarity {similarity:.2f})"
        closeness = (similarity - self.related_threshold) / (1.0 - self.related_threshold)

        conflict = find_conflict(claim, evidence)
        if conflict is not None:
            stated = " / ".join(q.text for q in conflict.stated)
            return StanceJudgement(
                Stance.CONTRADICTS,
                _bounded(0.6 + 0.35 * closeness),
                [
                    related,
                    f"conflicting numbers: the claim says '{conflict.claimed.text}', "
                    f"this statement says '{stated}'",
                ],
            )

        claim_cues, evidence_cues = find_cues(claim), find_cues(evidence)
        unconfirmed = unconfirmed_content(evidence)
        if unconfirmed and not unconfirmed_content(claim):
            # "There is no evidence that X" leaves X open: absence of evidence, not a denial.
            return StanceJudgement(
                Stance.DISCUSSES,
                _bounded(0.5 + 0.3 * closeness),
                [
                    related,
                    f"says it is not confirmed ('{unconfirmed[0].cue}'), not that it is false",
                ],
            )
        if claim_cues.negative != evidence_cues.negative:
            if evidence_cues.negative:
                cues = _quoted(evidence_cues.polarity_words)
                why = f"denies or negates what the claim asserts ({cues})"
            else:
                cues = _quoted(claim_cues.polarity_words)
                why = f"asserts what the claim denies ({cues} in the claim)"
            return StanceJudgement(
                Stance.CONTRADICTS, _bounded(0.55 + 0.4 * closeness), [related, why]
            )

        if evidence_cues.hedges and not claim_cues.hedges:
            return StanceJudgement(
                Stance.DISCUSSES,
                _bounded(0.5 + 0.3 * closeness),
                [related, f"reports it without asserting it ({_quoted(evidence_cues.hedges)})"],
            )

        if similarity >= self.corroborate_threshold:
            reasons = [f"states the same thing (similarity {similarity:.2f})"]
            if claim_cues.negative:
                reasons.append(f"both deny it ({_quoted(evidence_cues.polarity_words)})")
            agreement = find_agreement(claim, evidence)
            if agreement is not None:
                reasons.append(f"numbers agree: '{agreement[0].text}' and '{agreement[1].text}'")
            return StanceJudgement(Stance.CORROBORATES, _bounded(0.5 + 0.45 * closeness), reasons)

        return StanceJudgement(
            Stance.DISCUSSES,
            _bounded(0.4 + 0.3 * closeness),
            [related, "touches on the claim without stating or denying it"],
        )
