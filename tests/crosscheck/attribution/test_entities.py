"""Speaker phrases become entities: titles and affiliations off the name, clauses refused."""

from __future__ import annotations

import pytest

from crosscheck.attribution.cues import Cue
from crosscheck.attribution.entities import Refusal, SpeakerEntity, speaker_entity
from crosscheck.attribution.extractor import extract_statements


@pytest.mark.parametrize(
    ("source", "person", "expected"),
    [
        (
            "Edward Vance of the Institute for Maritime Studies",
            None,
            SpeakerEntity(
                "Edward Vance",
                "Edward Vance",
                ("Edward Vance of the Institute for Maritime Studies",),
            ),
        ),
        (
            "Senate Majority Leader Ruth Calder, who has opposed tariffs",
            None,
            SpeakerEntity("Ruth Calder", "Ruth Calder", ("Senate Majority Leader Ruth Calder",)),
        ),
        (
            "Deputy Secretary of State for Trade Policy Amira Osei",
            "Deputy Secretary of State for Trade Policy Amira Osei",
            SpeakerEntity(
                "Amira Osei",
                "Amira Osei",
                ("Deputy Secretary of State for Trade Policy Amira Osei",),
            ),
        ),
        (  # a spokesperson keeps speaking for the body
            "Korvany Interior Ministry",
            "ministry spokesman Pavel Drozdan",
            SpeakerEntity("Korvany Interior Ministry", "Pavel Drozdan"),
        ),
        ("Royal Bank of Lestria", None, SpeakerEntity("Royal Bank of Lestria", None)),
        ("Friends of the Marsh", None, SpeakerEntity("Friends of the Marsh", None)),
    ],
)
def test_speaker_entities(source: str, person: str | None, expected: SpeakerEntity) -> None:
    assert speaker_entity(source, person) == expected


def test_phrases_that_cannot_be_names_are_refused() -> None:
    clause = "The Company Is Counting Flights It Scrapped Last Week As If They Were Never There"
    assert speaker_entity(clause, None) is Refusal.TOO_LONG
    assert speaker_entity('He said "no', None) is Refusal.NOT_A_NAME


def test_a_run_on_body_leaves_its_statement_unattributed() -> None:
    text = (
        "Coast Herald\n"
        "Anna Berg, a spokeswoman for The People Who Have Lived Along The River For Generations "
        "And Who Have Watched The Water Rise Every Spring Since The Dam Was Built, said 40 ships "
        "were waiting.\n"
    )
    (statement,) = extract_statements(text, "Coast Herald")
    assert statement.cue is Cue.UNATTRIBUTED and not statement.attributed
    assert statement.source == "Coast Herald" and statement.confidence == 0.0
