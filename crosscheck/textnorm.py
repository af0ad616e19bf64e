"""Canonical forms of text used for de-duplication keys and content hashes."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# C0 and C1 control characters other than tab, line feed and carriage return (NUL included:
# PostgreSQL cannot store it, SQLite would): never part of a statement's text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Categories that show nothing on their own: controls, format characters (zero-width space,
# joiners, BOM), surrogates, unassigned code points, and separators.
_INVISIBLE = {"Cc", "Cf", "Cs", "Cn", "Zs", "Zl", "Zp"}


def without_controls(text: str) -> str:
    """``text`` with its control characters removed."""
    return CONTROL_CHARACTERS.sub("", text)


def clean_text(text: str) -> str:
    """NFC-normalised text without control characters, runs of whitespace collapsed to one
    space: the one cleaning rule for stored statements and names, whatever the database."""
    return " ".join(unicodedata.normalize("NFC", without_controls(text)).split())


def has_visible_characters(text: str) -> bool:
    """Whether ``text`` shows anything: not only whitespace, zero-width or control characters."""
    return any(unicodedata.category(character) not in _INVISIBLE for character in text)


def visible_text(text: str) -> str:
    """``text``, refused (``ValueError``) if it shows nothing."""
    if not has_visible_characters(text):
        raise ValueError("must contain visible characters")
    return text


def name_key(name: str) -> str:
    """The case- and spacing-insensitive key under which a source name is unique."""
    return clean_text(name).casefold()


def content_hash(text: str) -> str:
    """SHA-256 of the case-folded clean text: the identity of a statement's wording."""
    return hashlib.sha256(clean_text(text).casefold().encode("utf-8")).hexdigest()


def contains_pattern(fragment: str) -> str:
    """A LIKE pattern matching ``fragment`` anywhere, with wildcards escaped by ``\\``."""
    escaped = (
        without_controls(fragment).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    )
    return f"%{escaped}%"
