"""Named, scoped rules that overrule the classifier where the text leaves no doubt.

Each rule looks at the claim and the deciding sentence (the evidence sentence nearest the claim)
and either stays silent or names a stance with the reason for it. A rule acts only on what its
cue scopes over: a denial contradicts only when what it denies is what the claim asserts, and a
figure counts only against a figure for the same kind of thing, outside any denied content.
`bench/stance.py --rules` measures each rule on the dev splits; `rules.json` beside the trained
model keeps how often each was right there, which weighs its confidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from crosscheck.stance.cues import Cues, find_cues
from crosscheck.stance.quantities import extract_quantities, find_agreement, find_conflict
from crosscheck.stance.schemas import Stance
from crosscheck.stance.scope import Scoped, denied_content, unconfirmed_content

# Rules act only on a deciding sentence this close to the claim: about the same matter.
CLOSE = 0.5
# Denied or unconfirmed content this close to the claim is about what the claim asserts.
SCOPE_MATCH = 0.6
# Small counts ("two men", "three dogs") describe scenes; the figures worth checking are larger.
NOTABLE_FIGURE = 10

Similarity = Callable[[str], float]


@dataclass(frozen=True)
class RuleInput:
    claim: str
    deciding_text: str
    similarity: float
    label: Stance
    claim_cues: Cues
    evidence_cues: Cues
    # Cosine between a stretch of the evidence and the claim (the engine's encoder).
    similarity_to_claim: Similarity


@dataclass(frozen=True)
class Overrule:
    stance: Stance
    reason: str
    rule: str


def _quoted(words: list[str]) -> str:
    return ", ".join(f"'{w}'" for w in dict.fromkeys(words))


def _matching(scoped: list[Scoped], given: RuleInput) -> Scoped | None:
    """The first scoped content that is about what the claim asserts."""
    for item in scoped:
        if given.similarity_to_claim(item.content) >= SCOPE_MATCH:
            return item
    return None


def _outside_scopes(text: str) -> str:
    """``text`` without what it denies or calls unconfirmed: figures there are not asserted."""
    for item in denied_content(text) + unconfirmed_content(text):
        text = text.replace(item.content, " ")
    return text


def number_conflict(given: RuleInput) -> Overrule | None:
    """Figures for the same kind of thing that cannot both be true."""
    if given.similarity < CLOSE:
        return None
    conflict = find_conflict(given.claim, _outside_scopes(given.deciding_text))
    if conflict is None:
        return None
    stated = " / ".join(f"'{q.text}'" for q in conflict.stated)
    reason = (
        f"numbers conflict: the claim says '{conflict.claimed.text}', the evidence says {stated}"
    )
    return Overrule(Stance.CONTRADICTS, reason, "number_conflict")


def explicit_denial(given: RuleInput) -> Overrule | None:
    """The deciding sentence denies, or calls false, what the claim asserts."""
    if given.label is Stance.CONTRADICTS or given.claim_cues.negative:
        return None
    denial = _matching(denied_content(given.deciding_text), given)
    if denial is None or find_cues(denial.content).negative:
        return None
    return Overrule(
        Stance.CONTRADICTS,
        f"denies it: '{denial.cue}' about \"{denial.content}\"",
        "explicit_denial",
    )


def absence_of_evidence(given: RuleInput) -> Overrule | None:
    """ "No indication that X", "could not confirm X": neither backs nor denies X."""
    if given.label is Stance.DISCUSSES or given.claim_cues.negative:
        return None
    if unconfirmed_content(given.claim):
        return None
    absence = _matching(unconfirmed_content(given.deciding_text), given)
    if absence is None:
        return None
    return Overrule(
        Stance.DISCUSSES,
        f"says only that it is unconfirmed: '{absence.cue}' about \"{absence.content}\"",
        "absence_of_evidence",
    )


_CLAUSES = re.compile(r"[,;]|\band\b|\bbut\b")


def _clause_negated(text: str, figure: str) -> bool:
    """Whether the clause that states ``figure`` carries a negation."""
    for clause in _CLAUSES.split(text):
        if figure.split()[0] in clause and find_cues(clause).negative:
            return True
    return False


def numbers_agree(given: RuleInput) -> Overrule | None:
    """The evidence states a figure that establishes the claim's, without hedging or negation."""
    if given.label is not Stance.DISCUSSES or given.evidence_cues.strong_hedges:
        return None
    claimed = [
        q for q in extract_quantities(given.claim) if not q.in_sum and q.low >= NOTABLE_FIGURE
    ]
    agreement = find_agreement(given.claim, _outside_scopes(given.deciding_text))
    if not claimed or agreement is None:
        return None
    if _clause_negated(given.deciding_text, agreement[1].text):
        return None
    reason = f"numbers agree: '{agreement[0].text}' and '{agreement[1].text}'"
    return Overrule(Stance.CORROBORATES, reason, "numbers_agree")


def other_quantity(given: RuleInput) -> Overrule | None:
    """The claim is a count; the evidence counts only other things (soldiers vs containers of
    weapons, people vs litres): it cannot back the claim's figure."""
    if given.label is not Stance.CORROBORATES:
        return None
    claimed = [
        q
        for q in extract_quantities(given.claim)
        if q.units and not q.in_sum and q.low >= NOTABLE_FIGURE
    ]
    stated = [q for q in extract_quantities(_outside_scopes(given.deciding_text)) if q.units]
    if not claimed or not stated:
        return None
    if any(c.counts_same_thing(q) for c in claimed for q in stated):
        return None
    reason = (
        f"counts something else: the claim counts '{claimed[0].text}', "
        f"the evidence {' / '.join(repr(q.text) for q in stated)}"
    )
    return Overrule(Stance.DISCUSSES, reason, "other_quantity")


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
    "absence_of_evidence": absence_of_evidence,
    "numbers_agree": numbers_agree,
    "other_quantity": other_quantity,
    "unconfirmed_report": unconfirmed_report,
}


def first_overrule(given: RuleInput, enabled: frozenset[str]) -> Overrule | None:
    for name, rule in RULES.items():
        if name in enabled:
            decision = rule(given)
            if decision is not None:
                return decision
    return None
