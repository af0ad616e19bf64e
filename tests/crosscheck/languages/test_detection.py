"""Language detection: offline, and only confident calls of an unsupported language."""

from __future__ import annotations

import pytest

from crosscheck.languages.detection import ENGLISH_ONLY, LanguageSupport


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Nordkoreanische Soldaten sind in Russland", "de"),
        ("Des soldats nord-coréens sont arrivés en Russie", "fr"),
        ("Los soldados norcoreanos están en Rusia desde octubre", "es"),
    ],
)
def test_other_languages_are_named(text: str, code: str) -> None:
    found = ENGLISH_ONLY.unsupported(text)
    assert found is not None and found.code == code and 0 < found.confidence <= 1


@pytest.mark.parametrize(
    "text",
    [
        "North Korean soldiers are in Russia",
        "Tap water in Riverton is safe to drink",
        "The Kremlin dismissed the reports as propaganda.",
        "Twelve people needed hospital treatment after the Halvorsen leak",
    ],
)
def test_english_is_supported(text: str) -> None:
    assert ENGLISH_ONLY.unsupported(text) is None


def test_very_short_texts_are_not_guessed() -> None:
    assert ENGLISH_ONLY.unsupported("Soldaten Russland") is None


def test_configured_languages_are_supported() -> None:
    both = LanguageSupport.of(["en", " DE ", ""])
    assert both.languages == frozenset({"en", "de"})
    assert both.unsupported("Nordkoreanische Soldaten sind in Russland") is None
