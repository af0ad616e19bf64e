"""What an answer says besides its verdict: languages the configured models do not read."""

from __future__ import annotations

from collections.abc import Sequence

from crosscheck.claims.models import Claim
from crosscheck.verdicts.schemas import Notice

UNSUPPORTED_LANGUAGE = "unsupported_language"
UNSUPPORTED_EVIDENCE_LANGUAGE = "unsupported_evidence_language"


def unsupported_claim_notice(language: str) -> Notice:
    return Notice(
        code=UNSUPPORTED_LANGUAGE,
        message=f"the claim is in a language ({language}) the configured models do not read: "
        "it was not checked (see CROSSCHECK_MODEL_LANGUAGES)",
        field="text",
    )


def unread_evidence_notice(claims: Sequence[Claim]) -> Notice:
    ids = ", ".join(str(claim.id) for claim in claims)
    return Notice(
        code=UNSUPPORTED_EVIDENCE_LANGUAGE,
        message=f"{len(claims)} nearby stored statement(s) in a language the configured models "
        f"do not read were not weighed: claim {ids}",
    )
