"""Word cues for denial, negation and hedged reporting."""

from __future__ import annotations

import re
from dataclasses import dataclass

DENIAL_CUES = (
    "deny",
    "denies",
    "denied",
    "denying",
    "denial",
    "dismiss",
    "dismissed",
    "dismisses",
    "reject",
    "rejected",
    "rejects",
    "refute",
    "refuted",
    "refutes",
    "rebut",
    "rebutted",
    "propaganda",
    "false",
    "fake",
    "baseless",
    "fabricated",
    "fabrication",
    "hoax",
    "untrue",
    "disinformation",
    "misinformation",
    "groundless",
    "unfounded",
    "debunked",
    "nonsense",
    "retracted",
    "retract",
    "not true",
)
NEGATION_CUES = ("not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without")
HEDGE_CUES = (
    "reportedly",
    "allegedly",
    "alleged",
    "rumour",
    "rumor",
    "rumoured",
    "rumored",
    "unconfirmed",
    "may",
    "might",
    "could",
    "possibly",
    "suggest",
    "suggests",
    "believed",
    "claims",
    "claimed",
    "according to",
    "appears",
    "apparently",
    "unverified",
)
# Words that mark unconfirmed hearsay: the evidence relays the claim, it does not back it.
STRONG_HEDGE_CUES = (
    "reportedly",
    "allegedly",
    "alleged",
    "unconfirmed",
    "unverified",
    "rumour",
    "rumor",
    "rumoured",
    "rumored",
    "purportedly",
    "supposedly",
)
# "not only X but also Y" asserts X; these phrases carry a negation word without denying anything.
NON_NEGATING = ("not only", "no doubt", "no longer than", "nothing but")

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def _find(cues: tuple[str, ...], text: str) -> list[str]:
    lowered = text.lower().replace("\u2019", "'")
    for phrase in NON_NEGATING:
        lowered = lowered.replace(phrase, " ")
    words = _WORD.findall(lowered)
    joined = f" {' '.join(words)} "
    found = [cue for cue in cues if f" {cue} " in joined]
    if cues is NEGATION_CUES:
        found += [w for w in words if w.endswith("n't")]
    return found


@dataclass(frozen=True)
class Cues:
    """The polarity and hedging cues found in one statement."""

    denials: list[str]
    negations: list[str]
    hedges: list[str]
    strong_hedges: list[str]

    @property
    def negative(self) -> bool:
        return bool(self.denials or self.negations)

    @property
    def polarity_words(self) -> list[str]:
        return self.denials + self.negations


def find_cues(text: str) -> Cues:
    return Cues(
        denials=_find(DENIAL_CUES, text),
        negations=_find(NEGATION_CUES, text),
        hedges=_find(HEDGE_CUES, text),
        strong_hedges=_find(STRONG_HEDGE_CUES, text),
    )
