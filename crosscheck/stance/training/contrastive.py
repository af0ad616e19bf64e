"""Contrastive statement pairs made from training text: one edit, a known change of stance.

Each edit takes a news statement and changes what it asserts in one known way: another number,
date or place (contradicts), another actor (a different claim: discusses), a negation inside the
asserted clause (contradicts), the statement turned into a denial (contradicts), relayed as
hearsay or as absence of evidence (discusses), or rewordings that keep its meaning (attribution,
a negated aside outside the asserted clause, a dropped conjunct, number formats: corroborates).
Statements come from the bodies of the training stories only, so dev edits come from dev stories.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from crosscheck.stance.evidence import Sentence
from crosscheck.stance.schemas import Stance
from crosscheck.stance.training.datasets import StancePair

DATASET = "contrastive"

_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
# Places an edit may swap for one another: an event in one did not happen in the other.
_PLACES = (
    "Afghanistan Argentina Australia Austria Bangladesh Belgium Brazil Canada Chile China "
    "Colombia Cuba Denmark Egypt England Ethiopia Finland France Germany Ghana Greece Hungary "
    "India Indonesia Iran Iraq Ireland Israel Italy Japan Jordan Kenya Lebanon Libya Malaysia "
    "Mexico Morocco Nepal Netherlands Nigeria Norway Pakistan Peru Philippines Poland Portugal "
    "Romania Russia Scotland Serbia Somalia Spain Sudan Sweden Switzerland Syria Taiwan Thailand "
    "Turkey Ukraine Venezuela Vietnam Yemen Zimbabwe London Paris Berlin Madrid Rome Moscow "
    "Beijing Tokyo Delhi Mumbai Cairo Lagos Nairobi Sydney Toronto Chicago Texas California "
    "Florida Ohio Boston Seattle Baghdad Kabul Damascus Tehran Istanbul Dublin Vienna Athens"
).split()
_AUXILIARIES = (
    "is are was were has have had will would can could should must does do did may might"
).split()
_NEGATIONS = re.compile(r"\b(not|no|never|none|nobody|nothing|neither|nor|without|cannot)\b|n't")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?![\w.,]\d)")
_QUALIFIED = re.compile(
    r"(at least|more than|over|up to|at most|fewer than|less than|about|around|nearly|"
    r"almost|roughly|some|approximately|under)\s+$",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<!^)(?<![.!?] )\b([A-Z][a-z]+(?: [A-Z][a-z]+)*)\b")
_SMALL_NUMBERS = {
    "2": "two",
    "3": "three",
    "4": "four",
    "5": "five",
    "6": "six",
    "7": "seven",
    "8": "eight",
    "9": "nine",
    "10": "ten",
    "12": "twelve",
}
_ACTORS = (
    "Officials",
    "The ministry",
    "A government spokesperson",
    "Police",
    "The company",
    "The agency",
    "Local authorities",
    "A spokesman for the group",
    "The organisers",
    "Investigators",
)
# Asides that carry a negation without touching what the statement asserts.
_NEGATED_ASIDES = (
    "No further details were given.",
    "It was not immediately clear what would happen next.",
    "Officials did not give a timetable for further updates.",
    "Nobody else was available for comment.",
    "No other agency has commented so far.",
    "The statement did not name its sources.",
)
_ATTRIBUTIONS = (
    "{actor} said {clause}.",
    "{sentence}, {actor_lower} said.",
    "According to {actor_lower}, {clause}.",
)
_DENIALS = (
    "{actor} denied that {clause}.",
    "{actor} dismissed reports that {clause} as false.",
    "{actor} rejected claims that {clause}.",
    "Reports that {clause} are untrue, {actor_lower} said.",
    "{actor} said it was false that {clause}.",
)
_HEARSAY = (
    "Reportedly, {clause}.",
    "{sentence}, according to unconfirmed reports.",
    "Unverified posts on social media claim that {clause}.",
    "It is rumoured that {clause}.",
    "{actor} allegedly said that {clause}.",
)
_ABSENCES = (
    "There is no indication so far that {clause}.",
    "{actor} said they could not confirm that {clause}.",
    "There is no evidence yet that {clause}.",
    "{actor} said they were not aware of any sign that {clause}.",
    "It has not been confirmed that {clause}.",
)
# Sentence openings that are ordinary words (lower-cased inside a clause), not names.
_COMMON_OPENINGS = frozenset(
    (
        "the a an this that these those some many most more several at about around nearly "
        "almost over police officials scientists researchers residents people authorities "
        "two three four five six seven eight nine ten one hundreds thousands dozens it its "
        "their they he she we our his her local state federal government"
    ).split()
)


@dataclass(frozen=True)
class Edit:
    """A claim / evidence pair made from one statement, with its stance and the edit's name."""

    claim: str
    evidence: str
    label: Stance
    kind: str


_REPORTING = re.compile(
    r"\b(said|says|say|told|tells|according|reportedly|allegedly|alleged|claims?|claimed|"
    r"reports?|reported|believes?|believed|thinks?|think|may|might|could|would|should|i|my|"
    r"me|we|our|us|you|your)\b",
    re.IGNORECASE,
)
_SUBORDINATE_OPENINGS = frozenset(
    "since although though while if when after before as because so but and or yet".split()
)


def _plain_assertion(text: str) -> bool:
    """A statement in its own voice: no speaker, hedge or person addressed, no dependent opening."""
    first = text.split(" ", 1)[0].lower().strip(",")
    return not _REPORTING.search(text) and first not in _SUBORDINATE_OPENINGS


def base_statements(texts: Iterable[str], *, min_words: int = 7, max_words: int = 35) -> list[str]:
    """Plain declarative assertions fit for editing: no quotes, questions, lists or speakers."""
    kept = []
    for text in texts:
        words = text.split()
        if not min_words <= len(words) <= max_words or not text.endswith("."):
            continue
        marks = ('"', "\u201c", "\u201d", "?", ":", ";", "(", "'s'")
        if not text[0].isupper() or any(mark in text for mark in marks):
            continue
        if _plain_assertion(text):
            kept.append(text)
    return list(dict.fromkeys(kept))


class Casing:
    """How often each word is written in lower case inside sentences of the corpus."""

    def __init__(self, statements: Iterable[str]) -> None:
        self._lower: dict[str, int] = {}
        self._upper: dict[str, int] = {}
        for text in statements:
            for word in re.findall(r"[A-Za-z]+", text)[1:]:
                table = self._upper if word[0].isupper() else self._lower
                table[word.lower()] = table.get(word.lower(), 0) + 1

    def is_common(self, word: str) -> bool:
        """A word that is lower case more often than not mid-sentence (not a name)."""
        key = word.lower()
        return key in _COMMON_OPENINGS or self._lower.get(key, 0) > self._upper.get(key, 0)


def _sentence(text: str) -> str:
    return text.rstrip(". ")


def _clause(text: str, casing: Casing) -> str:
    """The statement as a subordinate clause: no final stop, a common first word lower-cased."""
    body = _sentence(text)
    first = body.split(" ", 1)[0]
    if casing.is_common(first):
        body = first.lower() + body[len(first) :]
    return body


def _fill(template: str, statement: str, rng: random.Random, casing: Casing) -> str:
    actor = rng.choice(_ACTORS)
    return template.format(
        actor=actor,
        actor_lower=actor[0].lower() + actor[1:],
        clause=_clause(statement, casing),
        sentence=_sentence(statement),
    )


def _changed_number(statement: str, rng: random.Random) -> str | None:
    for match in _NUMBER.finditer(statement):
        digits = match.group(1).replace(",", "")
        value = int(digits)
        is_year = len(digits) == 4 and 1800 <= value <= 2100 and "," not in match.group(1)
        if is_year or value == 0 or _QUALIFIED.search(statement[: match.start()]):
            continue
        factor = rng.choice((2, 3, 4, 5, 10))
        new = value * factor if rng.random() < 0.6 or value < factor * 2 else value // factor
        text = f"{new:,}" if "," in match.group(1) or new >= 10_000 else str(new)
        return statement[: match.start()] + text + statement[match.end() :]
    return None


def _reformatted_number(statement: str) -> str | None:
    for match in _NUMBER.finditer(statement):
        raw = match.group(1)
        if "," in raw:
            return statement[: match.start()] + raw.replace(",", "") + statement[match.end() :]
        if raw in _SMALL_NUMBERS:
            return statement[: match.start()] + _SMALL_NUMBERS[raw] + statement[match.end() :]
    return None


def _changed_date(statement: str, rng: random.Random) -> str | None:
    for match in re.finditer(r"\b(1[89]\d\d|20\d\d)\b", statement):
        shift = rng.choice((-5, -3, -2, -1, 1, 2, 3))
        new = str(int(match.group(1)) + shift)
        return statement[: match.start()] + new + statement[match.end() :]
    for names in (_MONTHS, _WEEKDAYS):
        for name in names:
            found = re.search(rf"\b{name}\b", statement)
            if found:
                other = rng.choice([n for n in names if n != name])
                return statement[: found.start()] + other + statement[found.end() :]
    return None


def _changed_place(statement: str, rng: random.Random) -> str | None:
    present = [p for p in _PLACES if re.search(rf"\b{p}\b", statement)]
    if len(present) != 1:
        return None
    other = rng.choice([p for p in _PLACES if p != present[0]])
    return re.sub(rf"\b{present[0]}\b", other, statement)


def _changed_actor(statement: str, names: Sequence[str], rng: random.Random) -> str | None:
    found = [
        m
        for m in _NAME.finditer(statement)
        if m.group(1) not in _PLACES
        and m.group(1) not in _MONTHS
        and m.group(1) not in _WEEKDAYS
        and m.group(1).lower() not in _COMMON_OPENINGS
    ]
    if not found or not names:
        return None
    match = found[0]
    other = rng.choice(names)
    if other == match.group(1) or other in statement:
        return None
    return statement[: match.start()] + other + statement[match.end() :]


def _negated(statement: str) -> str | None:
    """The statement with "not" after its first auxiliary verb, if it has none yet."""
    if _NEGATIONS.search(statement.lower()):
        return None
    words = statement.split(" ")
    for position, word in enumerate(words[1:], start=1):
        if word in _AUXILIARIES:
            if position > 12:
                return None
            negated = "cannot" if word == "can" else f"{word} not"
            return " ".join([*words[:position], negated, *words[position + 1 :]])
        if "," in word:
            return None  # past the subject and its first clause: the asserted verb is unclear
    return None


def _first_conjunct(statement: str) -> str | None:
    head, sep, tail = _sentence(statement).partition(", and ")
    # "a, b, and c" is a list, not two clauses.
    if not sep or "," in head or len(head.split()) < 5 or len(tail.split()) < 4:
        return None
    return head + "."


@dataclass(frozen=True)
class Corpus:
    """What edits draw on beyond the statement: names to swap in, and word casing."""

    names: Sequence[str]
    casing: Casing


EditMaker = Callable[[str, random.Random, Corpus], list[Edit]]


def _number_edits(text: str, rng: random.Random, corpus: Corpus) -> list[Edit]:
    edits = []
    changed = _changed_number(text, rng)
    if changed:
        edits.append(Edit(changed, text, Stance.CONTRADICTS, "number"))
    same = _reformatted_number(text)
    if same:
        edits.append(Edit(same, text, Stance.CORROBORATES, "number_format"))
    return edits


def _date_edits(text: str, rng: random.Random, corpus: Corpus) -> list[Edit]:
    changed = _changed_date(text, rng)
    return [Edit(changed, text, Stance.CONTRADICTS, "date")] if changed else []


def _place_edits(text: str, rng: random.Random, corpus: Corpus) -> list[Edit]:
    changed = _changed_place(text, rng)
    return [Edit(changed, text, Stance.CONTRADICTS, "place")] if changed else []


def _actor_edits(text: str, rng: random.Random, corpus: Corpus) -> list[Edit]:
    changed = _changed_actor(text, corpus.names, rng)
    return [Edit(changed, text, Stance.DISCUSSES, "actor")] if changed else []


def _negation_edits(text: str, rng: random.Random, corpus: Corpus) -> list[Edit]:
    negated = _negated(text)
    if not negated:
        return []
    if rng.random() < 0.5:
        return [Edit(negated, text, Stance.CONTRADICTS, "negation")]
    return [Edit(text, negated, Stance.CONTRADICTS, "negation")]


def _aside_edits(text: str, rng: random.Random, corpus: Corpus) -> list[Edit]:
    evidence = f"{text} {rng.choice(_NEGATED_ASIDES)}"
    return [Edit(text, evidence, Stance.CORROBORATES, "negated_aside")]


def _template_edit(templates: Sequence[str], label: Stance, kind: str) -> EditMaker:
    def make(text: str, rng: random.Random, corpus: Corpus) -> list[Edit]:
        return [Edit(text, _fill(rng.choice(templates), text, rng, corpus.casing), label, kind)]

    return make


def _conjunct_edits(text: str, rng: random.Random, corpus: Corpus) -> list[Edit]:
    head = _first_conjunct(text)
    if not head:
        return []
    if rng.random() < 0.5:
        return [Edit(head, text, Stance.CORROBORATES, "conjunct")]
    return [Edit(text, head, Stance.DISCUSSES, "conjunct_partial")]


EDITS: dict[str, EditMaker] = {
    "number": _number_edits,
    "date": _date_edits,
    "place": _place_edits,
    "actor": _actor_edits,
    "negation": _negation_edits,
    "negated_aside": _aside_edits,
    "attribution": _template_edit(_ATTRIBUTIONS, Stance.CORROBORATES, "attribution"),
    "denial": _template_edit(_DENIALS, Stance.CONTRADICTS, "denial"),
    "hearsay": _template_edit(_HEARSAY, Stance.DISCUSSES, "hearsay"),
    "absence": _template_edit(_ABSENCES, Stance.DISCUSSES, "absence"),
    "conjunct": _conjunct_edits,
}


def names_in(statements: Iterable[str], casing: Casing, *, min_count: int = 2) -> list[str]:
    """Capitalised names found inside statements at least ``min_count`` times, for actor swaps."""
    counts: dict[str, int] = {}
    for text in statements:
        for match in _NAME.finditer(text):
            name = match.group(1)
            if name in _PLACES or name in _MONTHS or name in _WEEKDAYS:
                continue
            if " " not in name and casing.is_common(name):
                continue
            counts[name] = counts.get(name, 0) + 1
    return sorted(name for name, count in counts.items() if count >= min_count)


def contrastive_pairs(
    statements: Sequence[tuple[str, str, str]], *, seed: int = 13
) -> list[StancePair]:
    """Two edits of each (statement, topic, split), as labelled pairs.

    One edit is of a kind that fits few statements (numbers, dates, places, negation,
    conjuncts, actors) where one fits, the other a rewording that fits any statement, so that
    every kind is well represented.
    """
    rng = random.Random(seed)
    casing = Casing(text for text, _, _ in statements)
    corpus = Corpus(names_in((text for text, _, _ in statements), casing), casing)
    specific = ["number", "date", "place", "negation", "conjunct", "actor"]
    general = ["attribution", "denial", "hearsay", "absence", "negated_aside"]
    pairs: list[StancePair] = []
    for text, topic, split in statements:
        made: list[Edit] = []
        for kinds in (specific, general):
            for kind in rng.sample(kinds, len(kinds)):
                edits = EDITS[kind](text, rng, corpus)
                if edits:
                    made.append(rng.choice(edits))
                    break
        pairs.extend(
            StancePair(
                dataset=DATASET,
                claim=edit.claim,
                evidence=edit.evidence,
                label=edit.label,
                topic=f"{topic}|{edit.kind}",
                split=split,
            )
            for edit in made
        )
    return pairs


def from_articles(
    pairs: Iterable[StancePair], sentences: Callable[[str], Sequence[Sentence]], *, seed: int = 13
) -> list[StancePair]:
    """Contrastive pairs edited from the statements in the bodies of related article pairs,
    each in its story's topic and split."""
    statements: dict[str, tuple[str, str, str]] = {}
    for pair in pairs:
        if pair.label is Stance.UNRELATED:
            continue  # the body's own story gives its topic and split
        for text in base_statements(s.text for s in sentences(pair.evidence)):
            statements.setdefault(text, (text, pair.topic, pair.split))
    return contrastive_pairs(list(statements.values()), seed=seed)


def edit_kind(pair: StancePair) -> str:
    """The edit a contrastive pair was made by (its topic carries it)."""
    return pair.topic.rsplit("|", 1)[-1]
