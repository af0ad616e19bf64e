"""When one statement supersedes another, and what was known at a given time.

A newer statement supersedes an older one (of the same source, near it in meaning: the caller
checks that) when both are dated, it was made later, and on another occasion: statements from
one URL or one document are parts of one briefing, which complement each other. Undated
statements are never superseded and never supersede: nothing says which came first.

``as_of`` keeps to what was known then: a claim counts from its ``stated_at``, or, when it has
none, from when it was stored (``created_at``).
"""

from __future__ import annotations

from datetime import datetime

from crosscheck.claims.models import Claim


def known_by(claim: Claim, as_of: datetime | None) -> bool:
    """Whether the claim was stated (or, undated, stored) by ``as_of``; always without one."""
    return as_of is None or (claim.stated_at or claim.created_at) <= as_of


def same_occasion(a: Claim, b: Claim) -> bool:
    """Statements from one URL or one document: parts of one briefing, not revisions."""
    return (a.url is not None and a.url == b.url) or (
        a.document_id is not None and a.document_id == b.document_id
    )


def supersedes(newer: Claim, older: Claim) -> bool:
    """``newer`` was made after ``older`` on another occasion (similarity aside)."""
    return (
        newer.id != older.id
        and newer.stated_at is not None
        and older.stated_at is not None
        and newer.stated_at > older.stated_at
        and not same_occasion(newer, older)
    )


def chronological_key(claim: Claim) -> tuple[bool, datetime, int]:
    """Oldest first; undated statements last, in the order they were stored."""
    return (claim.stated_at is None, claim.stated_at or claim.created_at, claim.id)
