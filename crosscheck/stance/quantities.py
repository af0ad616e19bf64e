"""Counted quantities ("at least 3,000 soldiers") as intervals, and where they conflict."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
    "dozens": 24,
}
_SCALES = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "billion": 1e9,
    "hundred": 1e2,
}
_LOWER_BOUND = (
    "at least",
    "more than",
    "over",
    "upwards of",
    "in excess of",
    "no fewer than",
    "no less than",
)
_UPPER_BOUND = (
    "up to",
    "at most",
    "fewer than",
    "less than",
    "no more than",
    "under",
    "as many as",
)
_APPROXIMATE = (
    "about",
    "approximately",
    "around",
    "roughly",
    "some",
    "an estimated",
    "nearly",
    "almost",
    "close to",
)
_ADDITIVE = ("additional", "another", "further", "more", "extra")
# What a count of people under arms is called: these units compare with each other.
_UNIT_GROUPS = (
    {
        "soldier",
        "troop",
        "personnel",
        "serviceman",
        "servicemen",
        "force",
        "fighter",
        "special",
        "adviser",
        "advisor",
    },
)
# What "nobody" and "no one" count.
_PEOPLE = frozenset({"people", "person"})
# "Nobody was hurt", "no resident needed treatment": a count of none. "No more than", "no
# other", "no longer" and the like qualify or compare; they are not a count of zero.
_NONE = re.compile(
    r"\b(?:(?P<nobody>nobody|no one|no-one)\b|no\s+(?P<unit>(?:[a-z][a-z-]*\s*){1,5}))",
    re.IGNORECASE,
)
_NOT_A_COUNT_AFTER_NO = frozenset(
    "more fewer less longer other further additional extra doubt matter one".split()
)

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(_WORD_NUMBERS) + r")"
_QUALIFIER = "|".join(
    sorted(_LOWER_BOUND + _UPPER_BOUND + _APPROXIMATE + _ADDITIVE, key=len, reverse=True)
)
_PATTERN = re.compile(
    rf"(?:\b(?P<qualifier>{_QUALIFIER})\s+)?\b(?P<number>{_NUMBER})(?:\s*(?P<scale>k|m|thousand|million|millions|billion|hundred)\b)?"
    rf"(?=(?P<unit>(?:\s+[a-z][a-z-]*){{0,5}}))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    """A count with its qualifier, as the closed interval of values it allows."""

    text: str
    low: float
    high: float
    units: frozenset[str]
    additive: bool = False
    in_sum: bool = False

    def overlaps(self, other: Quantity) -> bool:
        return self.low <= other.high and other.low <= self.high

    def counts_same_thing(self, other: Quantity) -> bool:
        return bool(self.units & other.units)

    def supports(self, claimed: Quantity) -> bool:
        """Whether this figure, as evidence, establishes ``claimed``: it lies within the claimed
        range (give or take rounding), or both are estimates of about the same value.

        "At least 1,500" is compatible with "3,000" but does not establish it.
        """
        if not self.overlaps(claimed):
            return False
        if self.low >= claimed.low * 0.95 and self.high <= claimed.high * 1.05:
            return True
        estimates = all(math.isfinite(q.high) and q.low > 0 for q in (self, claimed))
        centre, claimed_centre = (self.low + self.high) / 2, (claimed.low + claimed.high) / 2
        return estimates and abs(centre - claimed_centre) <= 0.15 * claimed_centre


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


_STOPWORDS = frozenset(
    (
        "a an the and or but of in on at to from by for with as is are was were be been being has "
        "have had that which who this these those since until than then there their its it they he "
        "she we said says say will would can could may might already also"
    ).split()
)


def _unit_words(words: str) -> list[str]:
    """The words after a number up to the first function word: the phrase naming what it counts."""
    kept: list[str] = []
    for word in words.split():
        lowered = word.lower()
        # A participle after the noun ("containers arrived", "troops training") ends the phrase;
        # one before it ("armed soldiers") describes it.
        verb_like = kept and lowered.endswith(("ed", "ing"))
        if lowered in _STOPWORDS or verb_like:
            break
        kept.append(word)
    return kept


def _head_noun(words: list[str]) -> str | None:
    """What a counted phrase counts: a known unit, else its first plural, else its last word."""
    content = [_singular(w.lower()) for w in words if w.lower() not in _ADDITIVE]
    plain = [w.lower() for w in words if w.lower() not in _ADDITIVE]
    if not content:
        return None
    known = [w for w in content if any(w in group for group in _UNIT_GROUPS)]
    if known:
        return known[0]
    plurals = [c for c, w in zip(content, plain, strict=True) if c != w and len(w) > 3]
    return plurals[0] if plurals else content[-1]


def _units(words: list[str]) -> frozenset[str]:
    """The head noun of the counted phrase, with the words that mean the same."""
    head = _head_noun(words)
    if head is None:
        return frozenset()
    for group in _UNIT_GROUPS:
        if head in group:
            return frozenset(group)
    return frozenset({head})


def _value(number: str, scale: str | None) -> float:
    lowered = number.lower()
    base = (
        float(_WORD_NUMBERS[lowered])
        if lowered in _WORD_NUMBERS
        else float(lowered.replace(",", ""))
    )
    return base * _SCALES.get((scale or "").lower(), 1.0)


def _interval(value: float, qualifier: str) -> tuple[float, float]:
    if qualifier in _LOWER_BOUND:
        return value, math.inf
    if qualifier in _UPPER_BOUND:
        return 0.0, value
    if qualifier in _APPROXIMATE:
        return value * 0.85, value * 1.15
    # Reported figures are rounded: allow a little either side of a bare number.
    return value * 0.95, value * 1.05


def extract_quantities(text: str) -> list[Quantity]:
    """Counted quantities in ``text``; bare years and unit-less numbers are left out."""
    quantities: list[Quantity] = []
    for match in _PATTERN.finditer(text):
        number, scale = match.group("number"), match.group("scale")
        unit_words = _unit_words(match.group("unit") or "")
        units = _units(unit_words)
        value = _value(number, scale)
        is_year = scale is None and "," not in number and number.isdigit() and 1800 <= value <= 2100
        if is_year or not units:
            continue
        qualifier = (match.group("qualifier") or "").lower()
        additive = qualifier in _ADDITIVE or (bool(unit_words) and unit_words[0] in _ADDITIVE)
        low, high = _interval(value, qualifier)
        quantities.append(
            Quantity(
                text=" ".join([match.group(0).strip(), *unit_words]),
                low=low,
                high=high,
                units=units,
                additive=additive,
            )
        )
    return _with_totals(quantities + _none_counted(text))


def _none_counted(text: str) -> list[Quantity]:
    """ "Nobody", "no one" and "no <plural or unit noun>": a count of zero of that thing."""
    found: list[Quantity] = []
    for match in _NONE.finditer(text):
        if match.group("nobody"):
            units, phrase = _PEOPLE, match.group("nobody")
        else:
            unit_words = _unit_words(match.group("unit") or "")
            if not unit_words or unit_words[0].lower() in _NOT_A_COUNT_AFTER_NO:
                continue
            units = _units(unit_words[:1])
            phrase = f"no {unit_words[0]}"
        if units:
            found.append(Quantity(text=phrase, low=0.0, high=0.0, units=units))
    return found


def _with_totals(quantities: list[Quantity]) -> list[Quantity]:
    """Add the running total where a figure is said to come on top of an earlier one."""
    result = list(quantities)
    for position, quantity in enumerate(quantities):
        if not quantity.additive:
            continue
        earlier = [i for i, q in enumerate(result[:position]) if q.counts_same_thing(quantity)]
        if earlier:
            base = result[earlier[-1]]
            result[earlier[-1]] = replace(base, in_sum=True)
            result[position] = replace(quantity, in_sum=True)
            result.append(
                Quantity(
                    text=f"{base.text} + {quantity.text}",
                    low=base.low + quantity.low,
                    high=base.high + quantity.high,
                    units=base.units | quantity.units,
                )
            )
    return result


@dataclass(frozen=True)
class QuantityConflict:
    claimed: Quantity
    stated: list[Quantity]


def find_conflict(claim: str, evidence: str) -> QuantityConflict | None:
    """A figure in ``claim`` that no figure for the same thing in ``evidence`` can agree with."""
    stated = extract_quantities(evidence)
    # A figure that is one part of a sum in the claim is checked through the sum alone.
    for claimed in (q for q in extract_quantities(claim) if not q.in_sum):
        comparable = [q for q in stated if q.counts_same_thing(claimed)]
        if comparable and not any(claimed.overlaps(q) for q in comparable):
            return QuantityConflict(claimed=claimed, stated=comparable)
    return None


def find_agreement(claim: str, evidence: str) -> tuple[Quantity, Quantity] | None:
    """A figure in ``claim`` that a figure for the same thing in ``evidence`` establishes."""
    stated = extract_quantities(evidence)
    for claimed in extract_quantities(claim):
        for quantity in stated:
            if quantity.counts_same_thing(claimed) and quantity.supports(claimed):
                return claimed, quantity
    return None
