"""Explicit rules that overrule the classifier where the text leaves no doubt.

Each rule looks at the claim and the deciding sentence (the evidence sentence nearest the claim)
and either stays silent or names a stance with the reason for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crosscheck.stance.cues import Cues
from crosscheck.stance.quantities import extract_quantities, find_agreement, find_conflict
from crosscheck.stance.schemas import Stance


@dataclass(frozen=True)
class RuleInput:
    claim: str
    deciding_text: str
    similarity: float
    label: Stance
    claim_cues: Cues
    evidence_cues: Cues


@dataclass(frozen=True)
class Overrule:
    stance: Stance
    reason: str
    rule: str


def _quoted(words: list[str]) -> str:
    return ", ".join(f"'{w}'" for w in dict.fromkeys(words))


# Rules act only on a deciding sentence this close to the claim: about the same event.
CLOSE = 0.5
# Small counts ("two men", "three dogs") describe scenes; the figures worth checking are larger.
NOTABLE_FIGURE = 10


def number_conflict(given: RuleInput) -> Overrule | None:
    """Figures for the same thing that cannot both be true."""
    if given.similarity < CLOSE:
        return None
    conflict = find_conflict(given.claim, given.deciding_text)
    if conflict is None:
        return None
    stated = " / ".join(f"'{q.text}'" for q in conflict.stated)
    reason = (
        f"numbers conflict: the claim says '{conflict.claimed.text}', the evidence says {stated}"
    )
    return Overrule(Stance.CONTRADICTS, reason, "number_conflict")


def numbers_agree(given: RuleInput) -> Overrule | None:
    """The evidence states the claim's figure (or parts that add up to it) without hedging."""
    if given.label is not Stance.DISCUSSES or given.evidence_cues.negative:
        return None
    claimed = [
        q for q in extract_quantities(given.claim) if not q.in_sum and q.low >= NOTABLE_FIGURE
    ]
    agreement = find_agreement(given.claim, given.deciding_text)
    if not claimed or agreement is None or given.evidence_cues.strong_hedges:
        return None
    reason = f"numbers agree: '{agreement[0].text}' and '{agreement[1].text}'"
    return Overrule(Stance.CORROBORATES, reason, "numbers_agree")


def explicit_denial(given: RuleInput) -> Overrule | None:
    """The deciding sentence denies or dismisses what the claim asserts."""
    denials = given.evidence_cues.denials
    if given.label is Stance.CONTRADICTS or not denials or given.claim_cues.negative:
        return None
    if given.similarity < CLOSE:
        return None
    return Overrule(Stance.CONTRADICTS, f"denies it: {_quoted(denials)}", "explicit_denial")


def unconfirmed_report(given: RuleInput) -> Overrule | None:
    """Relaying a rumour ("reportedly", "allegedly") is discussing it, not standing behind it."""
    hedges = given.evidence_cues.strong_hedges
    if given.label is not Stance.CORROBORATES or not hedges or given.claim_cues.strong_hedges:
        return None
    return Overrule(
        Stance.DISCUSSES,
        f"relays it without standing behind it: {_quoted(hedges)}",
        "unconfirmed_report",
    )


Rule = Callable[[RuleInput], Overrule | None]
RULES: dict[str, Rule] = {
    "number_conflict": number_conflict,
    "explicit_denial": explicit_denial,
    "numbers_agree": numbers_agree,
    "unconfirmed_report": unconfirmed_report,
}


def first_overrule(given: RuleInput, enabled: frozenset[str]) -> Overrule | None:
    for name, rule in RULES.items():
        if name in enabled:
            decision = rule(given)
            if decision is not None:
                return decision
    return None
