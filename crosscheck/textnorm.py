"""Canonical forms of text used for de-duplication keys and content hashes."""

from __future__ import annotations

import hashlib
import unicodedata


def clean_text(text: str) -> str:
    """NFC-normalised text with runs of whitespace collapsed to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def name_key(name: str) -> str:
    """The case- and spacing-insensitive key under which a source name is unique."""
    return clean_text(name).casefold()


def content_hash(text: str) -> str:
    """SHA-256 of the case-folded clean text: the identity of a statement's wording."""
    return hashlib.sha256(clean_text(text).casefold().encode("utf-8")).hexdigest()


def contains_pattern(fragment: str) -> str:
    """A LIKE pattern matching ``fragment`` anywhere, with wildcards escaped by ``\\``."""
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
