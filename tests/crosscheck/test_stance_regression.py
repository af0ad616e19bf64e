"""The statement judge on pairs written for it: the demo scenarios and new ones.

Numbers, denials, hedges, paraphrases and scope traps, each pair with the label a journalist
would give it. "Discusses" pairs assert only that the judge takes neither side. Pairs the shipped
model still gets wrong are strict xfails, so a fix shows up as a pass to be promoted.
"""

from __future__ import annotations

import pytest

from crosscheck.stance.engine import StanceEngine
from crosscheck.stance.schemas import Stance

C, X, D = Stance.CORROBORATES, Stance.CONTRADICTS, Stance.DISCUSSES

PAIRS: list[tuple[str, str, Stance]] = [
    # The demo: North Korean troops in Russia.
    (
        "North Korea has sent 3,000 soldiers to Russia.",
        "Around 3,000 North Korean troops have arrived in Russia, officials said.",
        C,
    ),
    (
        "North Korea has sent 3,000 soldiers to Russia.",
        "Only a few hundred North Korean soldiers are in Russia.",
        X,
    ),
    (
        "Only 500 North Korean troops are in Russia.",
        "North Korea has sent roughly 3,000 soldiers to Russia.",
        X,
    ),
    (
        "North Korean soldiers are in Russia.",
        "Russia denies that any North Korean soldiers are on its territory.",
        X,
    ),
    (
        "North Korean soldiers are in Russia.",
        "There is no indication so far that North Korea has sent soldiers to Russia.",
        D,
    ),
    (
        "North Korean soldiers are in Russia.",
        "South Korean intelligence says North Korean special forces are training in Russia.",
        C,
    ),
    (
        "North Korea has sent troops to Russia.",
        "Pyongyang has dispatched soldiers to Russia, according to Seoul.",
        C,
    ),
    (
        "North Korea has sent 3,000 soldiers to Russia.",
        "North Korea has shipped 13,000 containers of weapons to Russia.",
        D,
    ),
    (
        "North Korean troops are fighting in Ukraine.",
        "North Korean troops are reportedly fighting in Ukraine, but this could not be confirmed.",
        D,
    ),
    (
        "North Korean troops are in Russia.",
        "The foreign ministry called reports of North Korean troops in Russia fake news.",
        X,
    ),
    # The demo: Riverton's water and the Halvorsen leak.
    (
        "Tap water in Riverton is safe to drink.",
        "Riverton's tap water is safe to drink and no special precautions are needed.",
        C,
    ),
    (
        "Tap water in Riverton is safe to drink.",
        "Residents of Riverton should not drink tap water until further notice.",
        X,
    ),
    (
        "Tap water in Riverton is safe to drink.",
        "Riverton's tap water is unsafe to drink.",
        X,
    ),
    (
        "Twelve people needed hospital treatment after the Halvorsen leak.",
        "Twelve people were treated in hospital after the leak at the Halvorsen plant.",
        C,
    ),
    (
        "Twelve people needed hospital treatment after the Halvorsen leak.",
        "Nobody needed hospital treatment after the Halvorsen leak.",
        X,
    ),
    (
        "Twelve people needed hospital treatment after the Halvorsen leak.",
        "Forty people were treated in hospital after the Halvorsen leak.",
        X,
    ),
    (
        "The Halvorsen leak has been contained.",
        "The leak at Halvorsen Chemical Works is still spreading into the river.",
        X,
    ),
    (
        "The Halvorsen leak has been contained.",
        "Crews have stopped the leak at the Halvorsen plant.",
        C,
    ),
    # A bridge.
    (
        "The Elm Street bridge will close for three months.",
        "The Elm Street bridge is closing for repairs lasting three months.",
        C,
    ),
    (
        "The Elm Street bridge will close for three months.",
        "The Elm Street bridge will stay open during the repairs.",
        X,
    ),
    (
        "The Elm Street bridge will close for three months.",
        "The Elm Street bridge will close for six months.",
        X,
    ),
    # A port strike.
    (
        "Dock workers at the port of Vessa went on strike on Monday.",
        "Dock workers at the port of Vessa walked out on Monday.",
        C,
    ),
    (
        "Dock workers at the port of Vessa went on strike on Monday.",
        "Dock workers at the port of Vessa did not go on strike on Monday.",
        X,
    ),
    (
        "Dock workers at the port of Vessa went on strike on Monday.",
        "The union at the port of Vessa denied that its members had gone on strike.",
        X,
    ),
    # An election.
    (
        "Maria Lind won the mayoral election with 54% of the vote.",
        "Maria Lind was elected mayor, taking 54 percent of the vote.",
        C,
    ),
    (
        "Maria Lind won the mayoral election with 54% of the vote.",
        "Maria Lind lost the mayoral election.",
        X,
    ),
    (
        "Maria Lind won the mayoral election with 54% of the vote.",
        "Maria Lind won the mayoral election with 38% of the vote.",
        X,
    ),
    # Layoffs.
    (
        "Norvik Motors is laying off 2,000 workers.",
        "Norvik Motors announced it will cut 2,000 jobs.",
        C,
    ),
    (
        "Norvik Motors is laying off 2,000 workers.",
        "Norvik Motors said it has no plans to lay off any workers.",
        X,
    ),
    (
        "Norvik Motors is laying off 2,000 workers.",
        "Norvik Motors is hiring 2,000 new workers this year.",
        X,
    ),
    # An outbreak.
    (
        "Dengue cases in Carapa rose by 40% this year.",
        "Carapa recorded a 40% rise in dengue cases this year.",
        C,
    ),
    (
        "Dengue cases in Carapa rose by 40% this year.",
        "Dengue cases in Carapa fell this year.",
        X,
    ),
    # A resignation.
    (
        "The mayor of Dunmore resigned on Friday.",
        "Dunmore's mayor stepped down on Friday.",
        C,
    ),
    (
        "The mayor of Dunmore resigned on Friday.",
        "The mayor of Dunmore rejected calls to resign and will stay in office.",
        X,
    ),
    # A factory fire.
    (
        "Three firefighters were injured in the factory fire in Oslund.",
        "The blaze at the Oslund factory left three firefighters hurt.",
        C,
    ),
    (
        "Three firefighters were injured in the factory fire in Oslund.",
        "No firefighters were hurt in the Oslund factory fire.",
        X,
    ),
    # A robbery.
    (
        "Police arrested two suspects after the bank robbery in Tarnow.",
        "Two suspects were arrested by police following the Tarnow bank robbery.",
        C,
    ),
    (
        "Police arrested two suspects after the bank robbery in Tarnow.",
        "No arrests have been made after the bank robbery in Tarnow.",
        X,
    ),
    # An airline.
    (
        "Skylark Air cancelled all flights on Tuesday.",
        "All Skylark Air flights were cancelled on Tuesday.",
        C,
    ),
    (
        "Skylark Air cancelled all flights on Tuesday.",
        "Skylark Air flights operated normally on Tuesday.",
        X,
    ),
    # A ceasefire.
    (
        "The ceasefire in Arvand has held for a week.",
        "Fighting in Arvand has continued every day this week despite the ceasefire.",
        X,
    ),
    (
        "The ceasefire in Arvand has held for a week.",
        "The Arvand ceasefire has held for seven days.",
        C,
    ),
    # Scope traps: a negation that does not negate what the claim asserts.
    (
        "The new vaccine is effective.",
        "The new vaccine is effective and has no serious side effects.",
        C,
    ),
    (
        "The factory reopened on Monday.",
        "The factory reopened on Monday; no workers were hurt during the repairs.",
        C,
    ),
    (
        "The minister visited the flooded town.",
        "The minister never visited the flooded town.",
        X,
    ),
    # Hedges: reported, not asserted.
    (
        "The dam in Eastvale has burst.",
        "Unconfirmed social media posts claim the dam in Eastvale has burst.",
        D,
    ),
    (
        "The CEO of Norvik Motors will resign.",
        "Officials could not confirm whether the CEO of Norvik Motors will resign.",
        D,
    ),
    # Something else entirely.
    (
        "Twelve people needed hospital treatment after the Halvorsen leak.",
        "The city council approved a larger budget for road repairs next spring.",
        Stance.UNRELATED,
    ),
]

# Pairs the shipped model gets wrong today, by their evidence; each is a strict xfail. Most
# are contradictions without a negation word ("fell", "lost", "operated normally") read as
# corroboration, and paraphrases read as merely discussing.
KNOWN_FAILURES: set[str] = {
    "Dengue cases in Carapa fell this year.",
    "Fighting in Arvand has continued every day this week despite the ceasefire.",
    "Maria Lind lost the mayoral election.",
    "Maria Lind won the mayoral election with 38% of the vote.",
    "Norvik Motors announced it will cut 2,000 jobs.",
    "Norvik Motors is hiring 2,000 new workers this year.",
    "Norvik Motors said it has no plans to lay off any workers.",
    "Pyongyang has dispatched soldiers to Russia, according to Seoul.",
    "Riverton's tap water is unsafe to drink.",
    "Skylark Air flights operated normally on Tuesday.",
    "South Korean intelligence says North Korean special forces are training in Russia.",
    "The Elm Street bridge will stay open during the repairs.",
    "The leak at Halvorsen Chemical Works is still spreading into the river.",
    "The mayor of Dunmore rejected calls to resign and will stay in office.",
}


def _cases() -> list[object]:
    cases: list[object] = []
    for claim, evidence, expected in PAIRS:
        marks = (
            [pytest.mark.xfail(strict=True, reason="the shipped judge gets this pair wrong")]
            if evidence in KNOWN_FAILURES
            else []
        )
        cases.append(pytest.param(claim, evidence, expected, marks=marks, id=evidence[:60]))
    return cases


def test_the_set_is_large_and_balanced() -> None:
    labels = [label for _, _, label in PAIRS]
    assert len(PAIRS) >= 40
    assert labels.count(C) >= 15 and labels.count(X) >= 15 and labels.count(D) >= 4
    evidences = [evidence for _, evidence, _ in PAIRS]
    assert len(set(evidences)) == len(evidences) and set(evidences) >= KNOWN_FAILURES


@pytest.mark.parametrize(("claim", "evidence", "expected"), _cases())
def test_statement_pair(
    stance_engine: StanceEngine, claim: str, evidence: str, expected: Stance
) -> None:
    judgement = stance_engine.judge_many(claim, [evidence], statements=True)[0]
    if expected is D:
        assert judgement.stance in (D, Stance.UNRELATED), judgement
    else:
        assert judgement.stance is expected, judgement
    assert 0 < judgement.confidence < 1 and judgement.reasons
