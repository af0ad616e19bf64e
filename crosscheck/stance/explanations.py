"""Reasons a journalist can read: which words, which numbers, which sentence decided."""

from __future__ import annotations

from crosscheck.stance.cues import find_cues
from crosscheck.stance.preparation import PreparedPair
from crosscheck.stance.quantities import find_agreement, find_conflict
from crosscheck.stance.schemas import Stance
from crosscheck.stance.scope import denied_content, unconfirmed_content


def _quoted(words: list[str]) -> str:
    return ", ".join(f"'{w}'" for w in dict.fromkeys(words))


def unrelated_reason(pair: PreparedPair) -> str:
    signals = pair.signals
    shared = (
        f"shares only {_quoted(signals.shared_names)}"
        if signals.shared_names
        else "shares no names with the claim"
    )
    return f"about something else: best similarity {signals.max_similarity:.2f}, {shared}"


def model_reasons(
    label: Stance, *, claim: str, deciding_text: str, probability: float, similarity: float
) -> list[str]:
    """Why the judge's label holds, naming the words or figures that carry it where any do."""
    judge = f"judge {probability:.0%}"
    claim_cues, evidence_cues = find_cues(claim), find_cues(deciding_text)
    if label is Stance.CONTRADICTS:
        denials = denied_content(deciding_text)
        if denials:
            return [f"denies it: '{denials[0].cue}' about \"{denials[0].content}\" ({judge})"]
        conflict = find_conflict(claim, deciding_text)
        if conflict is not None:
            stated = " / ".join(f"'{q.text}'" for q in conflict.stated)
            return [f"numbers differ: '{conflict.claimed.text}' against {stated} ({judge})"]
        if evidence_cues.negative != claim_cues.negative:
            words = evidence_cues.polarity_words or claim_cues.polarity_words
            side = "this statement" if evidence_cues.negative else "the claim"
            return [f"{side} negates what the other asserts: {_quoted(words)} ({judge})"]
        return [f"what it asserts cannot be true together with the claim ({judge})"]
    if label is Stance.CORROBORATES:
        reasons = [f"states the same thing (similarity {similarity:.2f}, {judge})"]
        agreement = find_agreement(claim, deciding_text)
        if agreement is not None:
            reasons.append(f"numbers agree: '{agreement[0].text}' and '{agreement[1].text}'")
        return reasons
    absent = unconfirmed_content(deciding_text)
    if absent:
        return [f"says only that it is unconfirmed: '{absent[0].cue}' ({judge})"]
    if evidence_cues.hedges:
        return [f"reports it without asserting it: {_quoted(evidence_cues.hedges)} ({judge})"]
    return [f"on the same matter without backing or denying it ({judge})"]
