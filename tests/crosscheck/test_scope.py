"""What a denial or a statement of absent evidence scopes over."""

from __future__ import annotations

import pytest

from crosscheck.stance.scope import denied_content, unconfirmed_content


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        (
            "Russia denies that any North Korean soldiers are on its territory.",
            "denies",
            "North Korean soldiers are on its territory",
        ),
        (
            "The ministry dismissed reports of North Korean troops in Russia as propaganda.",
            "dismissed",
            "North Korean troops in Russia",
        ),
        (
            "Suggestions of a threat to residents are false.",
            "false",
            "a threat to residents",
        ),
    ],
)
def test_a_denial_names_what_it_denies(text: str, cue: str, content: str) -> None:
    found = denied_content(text)
    assert found and found[0].cue == cue
    assert content in found[0].content


@pytest.mark.parametrize(
    "text",
    [
        "Riverton's tap water is safe and no special precautions are needed.",
        "The factory reopened; no workers were hurt.",
        "North Korean soldiers are in Russia.",
    ],
)
def test_a_negation_is_not_a_denial(text: str) -> None:
    assert denied_content(text) == []
    assert unconfirmed_content(text) == []


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("There is no indication so far that North Korea has sent any soldiers.", "no indication"),
        ("Officials could not confirm that the dam had burst.", "could not confirm"),
        ("We have seen no evidence of troops crossing the border.", "no evidence"),
    ],
)
def test_absence_of_evidence_is_found_with_its_content(text: str, cue: str) -> None:
    found = unconfirmed_content(text)
    assert found and found[0].cue == cue
    assert len(found[0].content.split()) >= 2
